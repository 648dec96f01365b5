// resolveSshConfig() against OpenSSH's own `ssh -G -F FILE HOST` (which resolves and prints,
// never connects), host by host over a realistic config (fixtures/ssh/config): wildcards,
// negation, Include with a glob (at the top and inside a Host block), Match host/originalhost/
// user/localuser/final, ProxyJump lists, first-value-wins, tokens. The expectation is OpenSSH's;
// a few are also written out below so the test still means something where ssh is missing.
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { loadSshConfig, localSshTarget } from '../../../src/openssh/config/index.js';
import { resolveSshConfig, type LoadedConfig, type ResolvedSshConfig } from '../../../src/openssh/config/index.js';
import { describeIf, hasCommand } from '../../helpers/requirements.js';
import { copyFixture, fromResolved, fromSshG, removeDir, sshG, type CommandLine } from './openssh.js';

const FIXTURE = join(process.cwd(), 'fixtures/ssh/config');
const me = userInfo();
const home = me.homedir; // ssh takes ~ and %d from the password database, as userInfo() does
const env = { ...process.env, FLEETSTAT_TEST_VAR: 'from-env' };

const cases: Array<{ host: string; cli?: CommandLine; why: string }> = [
  { host: 'web01', why: 'Host web?? with HostName %h, Match host on the new name, an included Host block, ProxyJump' },
  { host: 'web02', why: 'the same block without the included ConnectTimeout' },
  { host: 'web99', why: 'negated out of web??: its own block with a ProxyCommand' },
  { host: 'WEB01', why: 'Host patterns are case-sensitive on the name as typed; the result is lowercased' },
  { host: 'web001', why: 'three characters: web?? does not match' },
  { host: 'db.example.test', why: 'Port=, a ProxyJump list, UserKnownHostsFile with tokens, HostKeyAlias' },
  { host: 'db-replica', why: 'second pattern of the db block' },
  { host: 'bastion', why: 'IdentitiesOnly, IdentityFile accumulating with Host *' },
  { host: '127.0.0.5', why: 'an address pattern, UserKnownHostsFile /dev/null, GlobalKnownHostsFile none' },
  { host: 'lab-1', why: 'included Host block with HostName to an address, then Host 127.0.0.* is not re-read' },
  { host: 'app.staging.test', why: 'Host block from the first included file' },
  { host: 'legacy-1', why: 'Match originalhost + !localuser, then a final pass on the new HostName' },
  { host: 'legacy-9', cli: { port: 2022 }, why: 'the final pass does not override a command-line port' },
  { host: 'ops-1', why: 'Include inside a Host block: both files apply, each from the start' },
  { host: 'ops-db1', why: 'an included file\'s own Host line' },
  { host: 'opsx', why: 'the Include inside Host ops-* is read but does not apply, not even its Host *' },
  { host: 'tokens', why: 'every IdentityFile/UserKnownHostsFile token, ${ENV}, IdentityFile none' },
  { host: 'other', why: 'only Host *: defaults, the first UserKnownHostsFile line, first-value-wins' },
  { host: '10.1.2.3', why: 'an address no block names' },
  { host: 'web01', cli: { user: 'alice', port: 2022, identityFiles: ['@DIR@/cli_key'] }, why: 'ssh -l -p -i win, Match user sees alice' },
  { host: 'db-replica', cli: { user: 'deploy' }, why: 'Match user deploy with a HostName that is not *.example.test' },
];

/** What OpenSSH 9.2 assumes for the keywords the fixture does not set (readconf.c fill_default_options). */
const OPENSSH_DEFAULTS = {
  hashKnownHosts: false,
  checkHostIP: false,
  verifyHostKeyDNS: 'no',
  noHostAuthenticationForLocalhost: false,
  requiredRsaSize: 1024,
  publickey: true,
  algorithms: {
    hostKey: expect.arrayContaining(['ssh-ed25519', 'rsa-sha2-512']),
    hostKeyKnownFirst: true,
    kex: expect.arrayContaining(['curve25519-sha256']),
    cipher: expect.arrayContaining(['chacha20-poly1305@openssh.com']),
    mac: expect.arrayContaining(['hmac-sha2-256-etm@openssh.com']),
  },
};

function ours(loaded: LoadedConfig, host: string, cli: CommandLine = {}): ResolvedSshConfig {
  return resolveSshConfig(loaded, localSshTarget(host, { env, ...cli }));
}

describe('resolveSshConfig: written-out expectations (hold without ssh)', () => {
  let dir: string;
  let loaded: LoadedConfig;
  beforeAll(async () => {
    dir = copyFixture(FIXTURE);
    loaded = await loadSshConfig(join(dir, 'ssh_config'), home);
  });
  afterAll(() => removeDir(dir));

  test('the fixture loads without issues', () => {
    expect(loaded.issues).toEqual([]);
    expect(loaded.files).toHaveLength(1);
  });

  test('web01: HostName %h, Match host on the new name, included ConnectTimeout first, jump via bastion', () => {
    const r = ours(loaded, 'web01');
    expect(r).toEqual({
      hostname: 'web01.example.test',
      user: 'deploy',
      identityFiles: [`${home}/.ssh/web_deploy_web01.example.test`, `${home}/.ssh/id_ed25519`],
      identityFilesAreDefaults: false,
      identitiesOnly: false,
      proxyJump: [{ host: 'bastion' }],
      userKnownHostsFiles: [`${home}/.ssh/known_hosts`, `${home}/.ssh/known_hosts.fleet`],
      globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
      strictHostKeyChecking: 'yes',
      connectTimeout: 3,
      serverAliveInterval: 90,
      serverAliveCountMax: 5,
      ...OPENSSH_DEFAULTS,
      warnings: [],
      errors: [],
    });
  });

  test('db.example.test: a three-hop ProxyJump in connection order, tokens, accept-new, alias lowercased', () => {
    const r = ours(loaded, 'db.example.test');
    expect(r.port).toBe(5022);
    expect(r.proxyJump).toEqual([
      { user: 'ops', host: 'bastion', port: 2202 },
      { host: '10.0.0.7', port: 2022 },
      { user: 'tunnel', host: 'relay.example.test', port: 2023 },
    ]);
    expect(r.userKnownHostsFiles).toEqual([`${home}/.ssh/known_hosts.db`, `${home}/.ssh/known_hosts.db.example.test_5022_${me.username}`]);
    expect(r.strictHostKeyChecking).toBe('accept-new');
    expect(r.hostKeyAlias).toBe('db-cluster');
  });

  test('legacy-1: Match originalhost, then the final pass matches the lowercased HostName', () => {
    const r = ours(loaded, 'legacy-1');
    expect([r.hostname, r.port, r.proxyJump, r.identityFiles]).toEqual([
      'legacy.internal.test', 2222, null, ['/keys/legacy key', `${home}/.ssh/id_ed25519`],
    ]);
  });

  test('web99: the ProxyCommand is reported, never run', () => {
    const r = ours(loaded, 'web99');
    expect(r.proxyCommand).toBe('nc -w 5 %h %p');
    expect(r.warnings).toEqual([expect.stringMatching(/ssh_config:24: ProxyCommand is never run/)]);
  });

  test('ops-1 / opsx: an Include inside a Host block applies only with the block', () => {
    expect([ours(loaded, 'ops-1').user, ours(loaded, 'ops-1').port, ours(loaded, 'ops-1').serverAliveInterval]).toEqual(['opsuser', 2300, 15]);
    expect([ours(loaded, 'ops-db1').port, ours(loaded, 'opsx').user, ours(loaded, 'opsx').port]).toEqual([2301, undefined, undefined]);
    expect(ours(loaded, 'opsx').serverAliveInterval).toBeUndefined();
  });
});

describeIf(hasCommand('ssh') ? [] : ['ssh (openssh-client)'], 'resolveSshConfig equals ssh -G', () => {
  let dir: string;
  let loaded: LoadedConfig;
  beforeAll(async () => {
    dir = copyFixture(FIXTURE);
    writeFileSync(join(dir, 'cli_key'), 'not a key: ssh -G only checks that it exists\n');
    loaded = await loadSshConfig(join(dir, 'ssh_config'), home);
  });
  afterAll(() => removeDir(dir));

  test.each(cases.map((c) => ({ ...c, label: c.cli ? `${c.host} ${JSON.stringify(c.cli)}` : c.host })))('$label: $why', ({ host, cli: given }) => {
    // ssh -i drops (with a warning) a key file that does not exist: give it one that does
    const cli = given && { ...given, identityFiles: given.identityFiles?.map((f) => f.replace('@DIR@', dir)) };
    const g = sshG(join(dir, 'ssh_config'), host, cli, env);
    expect(g.status).toBe(0);
    const r = ours(loaded, host, cli);
    expect(r.errors).toEqual([]);
    expect(fromResolved(r, me.username)).toEqual(fromSshG(g, host, home, me.username, env));
  });
});
