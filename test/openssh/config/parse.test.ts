// parseSshConfig() line by line: what OpenSSH rejects is an issue of the right kind (and ssh -G
// rejects it too), what OpenSSH accepts resolves to what ssh -G prints.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  configFromText,
  parseSshConfig,
  parseTime,
  resolveSshConfig,
  splitArguments,
  strdelim,
  type SshConfigIssueKind,
} from '../../../src/openssh/config/index.js';
import { matchHostname, matchPattern, matchPatternList } from '../../../src/openssh/match.js';
import { describeIf, hasCommand } from '../../helpers/requirements.js';
import { fromResolved, fromSshG, sshG } from './openssh.js';

const me = userInfo();
const target = { host: 'x', localUser: me.username, homeDir: me.homedir, uid: me.uid, localHostname: 'here.example.test', env: {} };

describe('splitting a line as misc.c does', () => {
  test.each([
    ['a b\tc', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ["'a b' c", ['a b', 'c']],
    ['a"b c"d', ['ab cd']],
    ['a\\ b', ['a b']],
    ['"a\\"b"', ['a"b']],
    ['a\\x', ['a\\x']],
    ['a # comment', ['a']],
    ['a#b', ['a#b']],
    ['', []],
  ])('splitArguments(%j) = %j', (text, want) => {
    expect(splitArguments(text)).toEqual(want);
  });

  test('an unterminated quote fails the line', () => {
    expect(splitArguments('"abc')).toBeNull();
  });

  test.each([
    ['Port 22', 'Port', '22'],
    ['Port=22', 'Port', '22'],
    ['Port = 22', 'Port', '22'],
    ['Port =22', 'Port', '22'],
    ['"Port" 22', 'Port', '22'],
  ])('strdelim(%j) splits the keyword', (line, keyword, rest) => {
    expect(strdelim(line)).toEqual({ token: keyword, rest });
  });
});

describe('patterns as match.c matches them', () => {
  test.each([
    ['web01', 'web??', true],
    ['web001', 'web??', false],
    ['a.example.test', '*.example.test', true],
    ['example.test', '*.example.test', false],
    ['abc', '*', true],
    ['', '*', true],
    ['abc', 'a*c*', true],
    ['WEB01', 'web01', false],
  ])('matchPattern(%j, %j) = %j', (s, p, want) => {
    expect(matchPattern(s, p)).toBe(want);
  });

  test('a negated pattern wins over a positive one, wherever it is in the list', () => {
    expect(matchPatternList('web99', 'web*,!web99', false)).toBe(-1);
    expect(matchPatternList('web99', '!web99,web*', false)).toBe(-1);
    expect(matchPatternList('web01', 'web*,!web99', false)).toBe(1);
    expect(matchPatternList('db01', 'web*,!web99', false)).toBe(0);
  });

  test('host names match case-insensitively, user names do not', () => {
    expect(matchHostname('Web01.Example.TEST', '*.example.test')).toBe(1);
    expect(matchHostname('web01', 'WEB*')).toBe(1);
    expect(matchPatternList('Alice', 'alice', false)).toBe(0);
  });

  test.each([
    ['90', 90], ['1m30s', 90], ['1h', 3600], ['2W', 1209600], ['0', 0], ['1m30', 90],
    ['', null], ['5x', null], ['-5', null], ['30 5', null], ['s', null],
  ])('parseTime(%j) = %j', (text, want) => {
    expect(parseTime(text)).toBe(want);
  });
});

// Lines OpenSSH rejects: the kind we report, and the proof that OpenSSH rejects them too.
const rejected: Array<[string, SshConfigIssueKind]> = [
  ['Port 0', 'bad-value'],
  ['Port 65536', 'bad-value'],
  ['Port -1', 'bad-value'],
  ['Port 22 23', 'extra-arguments'],
  ['Port', 'missing-argument'],
  ['Port # nothing', 'missing-argument'],
  ['HostName "unterminated', 'bad-quotes'],
  ['User a b', 'extra-arguments'],
  ['User ""', 'missing-argument'],
  ['IdentityFile', 'missing-argument'],
  ['IdentitiesOnly maybe', 'bad-value'],
  ['StrictHostKeyChecking sometimes', 'bad-value'],
  ['ConnectTimeout 5x', 'bad-value'],
  ['ConnectTimeout -5', 'bad-value'],
  ['ServerAliveInterval 1m 5', 'extra-arguments'],
  ['ServerAliveCountMax -1', 'bad-value'],
  ['ServerAliveCountMax many', 'bad-value'],
  ['UserKnownHostsFile /a none', 'bad-value'],
  ['UserKnownHostsFile /a ""', 'missing-argument'],
  ['GlobalKnownHostsFile none /b', 'bad-value'],
  ['ProxyJump', 'missing-argument'],
  ['ProxyJump a:0', 'bad-value'],
  ['ProxyJump @a', 'bad-value'],
  ['ProxyJump a,,b', 'bad-value'],
  ['ProxyJump a,b, c', 'bad-value'],
  ['ProxyJump d/23', 'bad-value'],
  ['ProxyJump ::1', 'bad-value'],
  ['ProxyJump ssh://[::1]', 'bad-value'],
  ['ProxyJump ssh://a/path', 'bad-value'],
  ['Host ""', 'missing-argument'],
  ['Match', 'missing-argument'],
  ['Match # only a comment', 'bad-match'],
  ['Match nonsense x', 'bad-match'],
  ['Match host', 'bad-match'],
  ['Match all host x', 'bad-match'],
  ['Match canonical final all', 'bad-match'],
  ['Match user # comment', 'bad-match'],
  ['Include ""', 'missing-argument'],
  ['CanonicalizeHostname perhaps', 'bad-value'],
];

describe('lines OpenSSH rejects are issues of the right kind', () => {
  test.each(rejected)('%j → %s', (line, kind) => {
    const { issues } = parseSshConfig(`Host *\n${line}\n`, 'cfg');
    expect(issues.map((i) => [i.kind, i.file, i.line])).toEqual([[kind, 'cfg', 2]]);
    // and OpenSSH would not run: neither may we
    expect(resolveSshConfig(configFromText(`Host *\n${line}\n`, 'cfg'), target).errors).toEqual([expect.stringMatching(/^cfg:2: /)]);
  });

  test('keywords we do not act on are still checked, misspelled ones refused (ssh -G refuses them)', () => {
    expect(configFromText('Ciphers nonsense\nForwardAgnet yes\nHashKnownHosts\n', 'cfg').issues.map((i) => [i.kind, i.line, i.field])).toEqual([
      ['bad-value', 1, 'ciphers'],
      ['missing-argument', 3, 'hashknownhosts'],
      ['unknown-keyword', 2, 'forwardagnet'],
    ]);
  });

  test('every issue names its keyword', () => {
    expect(parseSshConfig('  port   70000\n', 'cfg').issues).toEqual([
      { kind: 'bad-value', file: 'cfg', line: 1, field: 'port', message: "bad port '70000'" },
    ]);
  });
});

// Lines OpenSSH accepts, some of them surprising: the resolution must equal ssh -G's.
const accepted: Array<[string, string]> = [
  ['port=2222', 'keyword=value, lowercase keyword'],
  ['PORT = 2222', 'spaces around ='],
  ['Port= 2222', '= then a space'],
  ['  Port 2222   # trailing comment', 'indent and comment'],
  ['Port "2222"', 'quoted number'],
  ['Port ssh', 'the service name ssh'],
  ['User "x y"', 'quoted user'],
  ['User x\\ y', 'escaped space'],
  ["IdentityFile '/keys/a b'", 'single quotes'],
  ['HostName "spaced name"', 'HostName with a space (only names on the command line are checked)'],
  ['HostName %h.example.test', '%h in HostName'],
  ['HostName %%h', '%% in HostName'],
  ['HostName UPPER.Example.Test', 'lowercased'],
  ['ConnectTimeout none\nConnectTimeout 7', 'none does not take the slot'],
  ['ServerAliveInterval 1h1m1s', 'time units'],
  ['StrictHostKeyChecking off', 'off is no'],
  ['StrictHostKeyChecking TRUE', 'true is yes'],
  ['StrictHostKeyChecking ask', 'ask is yes for us'],
  ['UserKnownHostsFile none', 'none'],
  ['UserKnownHostsFile /a /b\nUserKnownHostsFile /c', 'the first line wins whole'],
  ['GlobalKnownHostsFile ~/g_%h', 'no expansion in GlobalKnownHostsFile'],
  ['IdentityFile /k1\nIdentityFile /k2\nIdentityFile /k1', 'IdentityFile accumulates, duplicates dropped'],
  ['IdentityFile none', 'IdentityFile none: no key files'],
  ['IdentityFile %d/id_%r@%h:%p', 'tokens in IdentityFile'],
  ['ProxyJump a b', 'ProxyJump stops at the first blank'],
  ['ProxyJump a,b ,c', '… even inside the list'],
  ['ProxyJump a # c', 'a comment'],
  ['ProxyJump none # c', 'a host named none: "none" must be the whole rest of the line'],
  ['ProxyJump =a', 'a leading ='],
  ['ProxyJump [::1]', 'a bracketed address'],
  ['ProxyJump u@[::1]:2222', 'user, address, port'],
  ['ProxyJump 10.1.2.3:99', 'address and port'],
  ['ProxyJump a:ssh', 'service name port'],
  ['ProxyJump a:', 'empty port'],
  ['ProxyJump ssh://u@a:2', 'ssh URI'],
  ['ProxyJump ssh://a/', 'ssh URI with a slash'],
  ['ProxyJump a@b@c', 'the last @ splits the user'],
  ['ProxyJump NONE\nProxyJump j', 'none, any case, takes the slot'],
  ['ProxyJump j\nProxyCommand nc %h %p', 'a jump makes ProxyCommand none'],
  ['ProxyJump none\nProxyCommand nc %h %p', 'ProxyJump none does not'],
  ['ProxyCommand none\nProxyJump j', 'ProxyCommand none takes the jump slot too'],
  ['ProxyCommand=ssh -W %h:%p jump # not a comment', 'ProxyCommand keeps the whole rest of the line'],
  ['HostKeyAlias Mixed.Case', 'the alias is lowercased'],
  ['Host x\nPort 1\nHost *\nPort 2', 'first block wins'],
  ['Host !x *\nPort 1\nHost *\nPort 2', 'negation first'],
  ['Host * !x\nPort 1\nHost *\nPort 2', 'negation last'],
  ['Host !x\nPort 1', 'only a negation never matches'],
  ['Host x # comment\nPort 1', 'comment after patterns'],
  ['Host "x"\nPort 1', 'quoted pattern'],
  ['Host y\nPort 1\nHost #\nPort 2', 'a Host line with no pattern matches nothing'],
  ['HashKnownHosts yes\nCheckHostIP yes\nVerifyHostKeyDNS ask\nRequiredRSASize 2048', 'host key keywords'],
  ['HashKnownHosts no\nHashKnownHosts yes', 'first value wins'],
  ['RevokedHostKeys ~/revoked_%h', 'RevokedHostKeys: nothing expanded'],
  ['RevokedHostKeys NONE', 'RevokedHostKeys none'],
  ['KnownHostsCommand /usr/bin/printf %s %H', 'KnownHostsCommand: the rest of the line'],
  ['IdentityAgent ~/agent.%h', 'IdentityAgent: ~ and tokens'],
  ['IdentityAgent none', 'IdentityAgent none'],
  ['IdentityAgent SSH_AUTH_SOCK', 'IdentityAgent SSH_AUTH_SOCK'],
  ['IdentityAgent $FLEETSTAT_SURELY_UNSET', 'IdentityAgent $VAR unset'],
  ['Ciphers -aes*\nMACs ^hmac-sha1', 'remove and put first'],
  ['KexAlgorithms +diffie-hellman-group1-sha1', 'append'],
  ['HostKeyAlgorithms ssh-ed25519*,rsa-*', 'patterns'],
  ['HostKeyAlgorithms -ssh-ed25519*', 'patterns removed'],
  ['HostKeyAlgorithms ^ssh-rsa', 'put first'],
  ['IgnoreUnknown UseKeychain\nUseKeychain yes', 'IgnoreUnknown'],
];

describeIf(hasCommand('ssh') ? [] : ['ssh (openssh-client)'], 'lines against ssh -G', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-sshline-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(rejected)('OpenSSH rejects %j too', (line) => {
    const file = join(dir, 'rejected');
    writeFileSync(file, `Host *\n${line}\n`);
    const g = sshG(file, 'x');
    expect(g.status).toBe(255);
    expect(g.stderr).toMatch(/line 2|terminating/);
  });

  test.each(accepted)('%j (%s)', (text) => {
    const file = join(dir, 'accepted');
    writeFileSync(file, `${text}\n`);
    const g = sshG(file, 'x');
    expect(g.status).toBe(0);
    const r = resolveSshConfig(configFromText(`${text}\n`, file), { ...target, localHostname: undefined });
    expect(r.errors).toEqual([]);
    expect(fromResolved(r, me.username)).toEqual(fromSshG(g, 'x', me.homedir, me.username));
  });
});

describe('accepted lines: written-out values', () => {
  const resolve = (text: string) => resolveSshConfig(configFromText(`${text}\n`, 'cfg'), target);

  test('ProxyJump quirks of OpenSSH 9.2', () => {
    expect(resolve('ProxyJump a b').proxyJump).toEqual([{ host: 'a' }]);
    expect(resolve('ProxyJump none # c').proxyJump).toEqual([{ host: 'none' }]);
    expect(resolve('ProxyJump a@b@c').proxyJump).toEqual([{ user: 'a@b', host: 'c' }]);
    expect(resolve('ProxyJump u@[::1]:2222').proxyJump).toEqual([{ user: 'u', host: '::1', port: 2222 }]);
    expect(resolve('ProxyJump %r@%h-jump:2200').proxyJump).toEqual([{ user: me.username, host: 'x-jump', port: 2200 }]);
  });

  test('ProxyCommand and ProxyJump: who takes the slot', () => {
    expect([resolve('ProxyJump j\nProxyCommand nc').proxyJump, resolve('ProxyJump j\nProxyCommand nc').proxyCommand]).toEqual([[{ host: 'j' }], undefined]);
    expect([resolve('ProxyJump none\nProxyCommand nc').proxyJump, resolve('ProxyJump none\nProxyCommand nc').proxyCommand]).toEqual([null, 'nc']);
    expect([resolve('ProxyCommand none\nProxyJump j').proxyJump, resolve('ProxyCommand none\nProxyJump j').proxyCommand]).toEqual([null, undefined]);
  });

  test('identity files: accumulate, drop duplicates, none, defaults', () => {
    expect(resolve('IdentityFile /k1\nIdentityFile /k2\nIdentityFile /k1').identityFiles).toEqual(['/k1', '/k2']);
    expect([resolve('IdentityFile none').identityFiles, resolve('IdentityFile none').identityFilesAreDefaults]).toEqual([[], false]);
    expect(resolve('Port 1').identityFiles).toEqual(['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'].map((f) => `${me.homedir}/.ssh/${f}`));
    expect(resolve('Port 1').identityFilesAreDefaults).toBe(true);
    expect(resolveSshConfig(configFromText('Port 1\n', 'cfg'), { ...target, identityFiles: ['/cli'] }).identityFiles).toEqual(['/cli']);
  });

  test('tokens: an unknown one, a missing value, a missing environment variable are errors', () => {
    expect(resolve('IdentityFile /k/%z').errors).toEqual([expect.stringMatching(/^cfg:1: IdentityFile: unknown key %z/)]);
    expect(resolveSshConfig(configFromText('UserKnownHostsFile /k/%l\n', 'cfg'), { ...target, localHostname: undefined }).errors)
      .toEqual([expect.stringMatching(/^cfg:1: UserKnownHostsFile: %l .* needs a value/)]);
    expect(resolve('UserKnownHostsFile ${NOPE}/kh').errors).toEqual([expect.stringMatching(/NOPE\} has no value/)]);
    expect(resolve('HostName %p.example.test').errors).toEqual([expect.stringMatching(/^cfg:1: HostName: unknown key %p/)]);
  });

  test('names from the command line with shell metacharacters are refused, as ssh does', () => {
    expect(resolveSshConfig(configFromText('', 'cfg'), { ...target, host: 'x;reboot' }).errors).toEqual([expect.stringMatching(/invalid characters/)]);
    expect(resolveSshConfig(configFromText('', 'cfg'), { ...target, user: '-oProxyCommand=x' }).errors).toEqual([expect.stringMatching(/invalid characters/)]);
  });
});
