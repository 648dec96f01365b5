// Keywords as OpenSSH 9.2 knows them: every keyword of its readconf.c is accepted (fixtures/ssh/
// keywords-9.2.txt, one sample value each), an unknown one is refused unless IgnoreUnknown names it,
// and the values OpenSSH refuses for keywords fleetstat otherwise ignores are refused too. Each case
// is put to `ssh -G` (which never connects; every host here is an address, so nothing is looked up).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { configFromText, parseSshConfig, resolveSshConfig, type SshConfigIssueKind } from '../../../src/openssh/config/index.js';
import { KEYWORDS } from '../../../src/openssh/config/keywords.js';
import { describeIf, hasCommand } from '../../helpers/requirements.js';
import { sshG } from './openssh.js';

const me = userInfo();
const HOST = '127.0.0.9';
const target = (host = HOST) => ({ host, localUser: me.username, homeDir: me.homedir, env: {} });
const samples = readFileSync(join(process.cwd(), 'fixtures/ssh/keywords-9.2.txt'), 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => [l.slice(0, l.indexOf(' ')), l] as const);

/** Our verdict on a config text for one host: the issue kinds of the file, and whether the host may be contacted. */
function ours(text: string, host = HOST) {
  const loaded = configFromText(text, 'cfg');
  return { issues: loaded.issues.map((i) => [i.kind, i.line, i.field]), errors: resolveSshConfig(loaded, target(host)).errors };
}

describe('the keywords of OpenSSH 9.2', () => {
  test('the list is readconf.c\'s, every name once', () => {
    expect(samples.map(([k]) => k).sort()).toEqual([...KEYWORDS.keys()].sort());
    expect(new Set(samples.map(([k]) => k)).size).toBe(122);
  });

  test.each(samples)('%s is accepted', (_keyword, line) => {
    expect(ours(`${line}\n`)).toEqual({ issues: [], errors: [] });
  });

  test('a misspelled keyword is refused with its file, line and name, even in a block that does not apply', () => {
    expect(ours('Host other\n  HostNmae 10.0.0.1\n')).toEqual({
      issues: [['unknown-keyword', 2, 'hostnmae']],
      errors: ['cfg:2: Bad configuration option: hostnmae'],
    });
  });

  test('unsupported keywords are accepted with a warning, as ssh does', () => {
    expect(configFromText('RSAAuthentication yes\n', 'cfg').warnings).toEqual(['cfg:1: Unsupported option "rsaauthentication" (OpenSSH ignores it too)']);
  });
});

describe('IgnoreUnknown', () => {
  test('names keywords (patterns, any case) that may then appear', () => {
    expect(ours('IgnoreUnknown usekeychain,Add*\nUseKeychain yes\nAddSomething x\n')).toEqual({ issues: [], errors: [] });
  });

  test('only from the line where it is set: a keyword before it is refused, whatever the host', () => {
    expect(ours('UseKeychain yes\nIgnoreUnknown UseKeychain\n')).toEqual({
      issues: [['unknown-keyword', 1, 'usekeychain']],
      errors: ['cfg:1: Bad configuration option: usekeychain'],
    });
  });

  test('only for the hosts whose block sets it', () => {
    const text = 'Host 127.0.0.9\n  IgnoreUnknown UseKeychain\nHost *\n  UseKeychain yes\n';
    expect(ours(text, '127.0.0.9')).toEqual({ issues: [], errors: [] });
    expect(ours(text, '127.0.0.8')).toEqual({ issues: [], errors: ['cfg:4: Bad configuration option: usekeychain'] });
  });

  test('the first IgnoreUnknown wins', () => {
    expect(ours('IgnoreUnknown Foo\nIgnoreUnknown UseKeychain\nUseKeychain yes\n').errors).toEqual(['cfg:3: Bad configuration option: usekeychain']);
  });
});

// Values OpenSSH refuses for keywords fleetstat does not act on: ssh refuses to run, so must we.
const rejected: Array<[string, SshConfigIssueKind]> = [
  ['Compression maybe', 'bad-value'],
  ['Compression true', 'bad-value'],
  ['BatchMode yes no', 'extra-arguments'],
  ['ForwardAgent $1-x', 'bad-value'],
  ['LogLevel LOUD', 'bad-value'],
  ['SyslogFacility LOCAL9', 'bad-value'],
  ['EscapeChar ab', 'bad-value'],
  ['ControlPersist maybe', 'bad-value'],
  ['ControlPersist YES', 'bad-value'],
  ['ControlMaster sometimes', 'bad-value'],
  ['TunnelDevice x', 'bad-value'],
  ['IPQoS loud', 'bad-value'],
  ['IPQoS af11 cs1 ef', 'extra-arguments'],
  ['RekeyLimit 10', 'bad-value'],
  ['RekeyLimit 1G 5x', 'bad-value'],
  ['StreamLocalBindMask 999', 'bad-value'],
  ['FingerprintHash sha3', 'bad-value'],
  ['AddKeysToAgent sometimes', 'bad-value'],
  ['SendEnv A=B', 'bad-value'],
  ['SetEnv A', 'bad-value'],
  ['Ciphers aes*', 'bad-value'],
  ['Ciphers +nope-cipher', 'bad-value'],
  ['MACs hmac-sha3', 'bad-value'],
  ['KexAlgorithms ^nope', 'bad-value'],
  ['HostKeyAlgorithms ssh-nope', 'bad-value'],
  ['PubkeyAcceptedAlgorithms nope*', 'bad-value'],
  ['ConnectionAttempts many', 'bad-value'],
  ['NumberOfPasswordPrompts -1', 'bad-value'],
  ['RequiredRSASize big', 'bad-value'],
  ['CanonicalDomains .example.test', 'bad-value'],
  ['CanonicalDomains a none', 'bad-value'],
  ['CanonicalizePermittedCNAMEs x', 'bad-value'],
  ['PermitRemoteOpen somehost', 'bad-value'],
  ['LocalForward 8080', 'missing-argument'],
  ['DynamicForward 1080 1081', 'extra-arguments'],
  ['VerifyHostKeyDNS maybe', 'bad-value'],
  ['UpdateHostKeys sometimes', 'bad-value'],
  ['HashKnownHosts often', 'bad-value'],
  ['CheckHostIP yes no', 'extra-arguments'],
  ['RequestTTY always', 'bad-value'],
  ['SessionType shell', 'bad-value'],
  ['AddressFamily ipx', 'bad-value'],
  ['Tunnel sideways', 'bad-value'],
  ['PubkeyAuthentication maybe', 'bad-value'],
  ['IdentityAgent $bad-name', 'bad-value'],
  ['RevokedHostKeys a b', 'extra-arguments'],
  ['KnownHostsCommand', 'missing-argument'],
  ['UseKeychain yes', 'unknown-keyword'],
];

const accepted = [
  'Compression yes', 'EscapeChar ^A', 'EscapeChar none', 'ControlPersist 10m', 'ControlPersist yes', 'IPQoS 0x10 cs1',
  'IPQoS 010', 'RekeyLimit default none', 'RekeyLimit 1.5G 1h', 'RekeyLimit 0', 'StreamLocalBindMask 0177',
  'Ciphers -aes*', 'Ciphers +aes128-cbc', 'Ciphers ^aes256-ctr', 'MACs -*sha1*', 'KexAlgorithms -diffie*',
  'HostKeyAlgorithms ssh-ed25519*,rsa-*', 'HostKeyAlgorithms +ssh-rsa', 'CASignatureAlgorithms ^ssh-ed25519',
  'SendEnv LANG -LC_*', 'SetEnv A=1 B=2', 'TunnelDevice 1:any', 'ConnectionAttempts +3',
  'CanonicalizePermittedCNAMEs none', 'PermitRemoteOpen [::1]:22 localhost:*', 'RemoteForward 8080',
  'AddKeysToAgent confirm 5m', 'AddKeysToAgent 1h', 'ForwardAgent ~/agent.sock', 'IdentityAgent $SSH_AUTH_SOCK',
  'IdentityAgent none', 'KnownHostsCommand /bin/true %H', 'RevokedHostKeys /nonexistent/revoked', 'LogVerbose none',
  'VerifyHostKeyDNS ask', 'UpdateHostKeys ask', 'PubkeyAuthentication host-bound', 'DSAAuthentication no',
  'LogLevel debug3', 'SyslogFacility authpriv', 'FingerprintHash MD5', 'IgnoreUnknown *',
];

describe('values of the keywords fleetstat does not act on', () => {
  test.each(rejected)('%j → %s', (line, kind) => {
    const { issues } = parseSshConfig(`Host *\n${line}\n`, 'cfg');
    const all = configFromText(`Host *\n${line}\n`, 'cfg').issues;
    expect((kind === 'unknown-keyword' ? all : issues).map((i) => [i.kind, i.line])).toEqual([[kind, 2]]);
  });

  test.each(accepted)('%j is accepted', (line) => {
    expect(ours(`${line}\n`)).toEqual({ issues: [], errors: [] });
  });
});

describeIf(hasCommand('ssh') ? [] : ['ssh (openssh-client)'], 'keywords against ssh -G', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-keywords-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const g = (text: string, host = HOST) => {
    const file = join(dir, 'config');
    writeFileSync(file, text);
    return sshG(file, host);
  };

  test.each(samples)('ssh accepts %s too', (_keyword, line) => {
    expect(g(`${line}\n`).status).toBe(0);
  });

  test.each(rejected)('ssh refuses %j too', (line) => {
    expect(g(`Host *\n${line}\n`).status).toBe(255);
  });

  test.each(accepted)('ssh accepts %j too', (line) => {
    expect(g(`${line}\n`).status).toBe(0);
  });

  test('a misspelled keyword, IgnoreUnknown per host and in order: ssh agrees', () => {
    expect(g('Host other\n  HostNmae 10.0.0.1\n').stderr).toMatch(/line 2: Bad configuration option: hostnmae/);
    expect(g('IgnoreUnknown usekeychain,Add*\nUseKeychain yes\nAddSomething x\n').status).toBe(0);
    expect(g('UseKeychain yes\nIgnoreUnknown UseKeychain\n').status).toBe(255);
    const perHost = 'Host 127.0.0.9\n  IgnoreUnknown UseKeychain\nHost *\n  UseKeychain yes\n';
    expect([g(perHost, '127.0.0.9').status, g(perHost, '127.0.0.8').status]).toEqual([0, 255]);
    expect(g('IgnoreUnknown Foo\nIgnoreUnknown UseKeychain\nUseKeychain yes\n').status).toBe(255);
    expect(g('RSAAuthentication yes\n').stderr).toMatch(/Unsupported option "rsaauthentication"/);
  });
});
