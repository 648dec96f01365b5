// Reaching a host: inventory words, then ssh_config, then defaults, then the command line.
import { configFromText } from '../../src/openssh/config/index.js';
import { sshConfigLookup } from '../../src/transport/index.js';
import { planConnection, type ScanSshOptions } from '../../src/transport/plan.js';
import type { HostSpec } from '../../src/model/index.js';

const local: ScanSshOptions = { localUser: 'me', homeDir: '/home/me' };
const host = (over: Partial<HostSpec> = {}): HostSpec => ({ name: 'web01', address: 'web01', groups: [], connection: 'ssh', become: false, ...over });
const plan = (config: string, spec: HostSpec, options: Partial<ScanSshOptions> = {}) =>
  planConnection(spec, sshConfigLookup(configFromText(config, '/home/me/.ssh/config'), local), { ...local, ...options });

describe('planConnection', () => {
  const config = [
    'Host web*',
    '  HostName %h.prod.test',
    '  User ops',
    '  Port 2200',
    '  IdentityFile ~/.ssh/prod_ed25519',
    '  ProxyJump bastion',
    'Host bastion',
    '  HostName bastion.prod.test',
    '  User jump',
    '  ProxyJump outer.test:2022',
    'Host legacy',
    '  StrictHostKeyChecking no',
    '  HostKeyAlias legacy-box',
    '  Port 2222',
    'Host proxied',
    '  ProxyCommand nc %h %p',
  ].join('\n');

  test('ssh_config fills what the inventory leaves open', () => {
    const p = plan(config, host());
    expect([p.host, p.port, p.user]).toEqual(['web01.prod.test', 2200, 'ops']);
    expect(p.identityFiles).toEqual([{ path: '/home/me/.ssh/prod_ed25519', explicit: true }]);
    expect([p.hostKeyMode, p.knownHostsName, p.knownHostsPort]).toEqual(['yes', 'web01.prod.test', 2200]);
    expect(p.knownHostsFiles).toEqual(['/home/me/.ssh/known_hosts', '/home/me/.ssh/known_hosts2']);
  });

  test('the inventory wins over ssh_config, as ssh -l -p -i would', () => {
    const p = plan(config, host({ user: 'deploy', port: 22, identityFile: '~/.ssh/inv_key' }));
    expect([p.port, p.user]).toEqual([22, 'deploy']);
    expect(p.identityFiles.map((f) => f.path)).toEqual(['/home/me/.ssh/inv_key', '/home/me/.ssh/prod_ed25519']);
  });

  test('ProxyJump: the jump host resolved through ssh_config too, with its own jump before it', () => {
    const p = plan(config, host());
    expect(p.via && [p.via.host, p.via.user, p.via.port]).toEqual(['bastion.prod.test', 'jump', 22]);
    expect(p.via?.via && [p.via.via.host, p.via.via.port, p.via.via.via]).toEqual(['outer.test', 2022, null]);
  });

  test('-J a,b: b is reached through a', () => {
    const p = plan('Host t\n  ProxyJump a.test,b.test:2\n', host({ name: 't', address: 't' }));
    expect([p.via?.host, p.via?.port, p.via?.via?.host]).toEqual(['b.test', 2, 'a.test']);
  });

  test('StrictHostKeyChecking no in a config file is not enough to turn checking off', () => {
    const p = plan(config, host({ name: 'legacy', address: 'legacy' }));
    expect(p.hostKeyMode).toBe('accept-new');
    expect(p.warnings.join()).toContain('treated as accept-new');
    expect([p.knownHostsName, p.knownHostsPort]).toEqual(['legacy-box', 22]);
  });

  test('command-line choices win: --strict-host-keys, --known-hosts, --connect-timeout', () => {
    const p = plan(config, host({ name: 'legacy', address: 'legacy' }), { hostKeyMode: 'yes', knownHostsFile: '/tmp/kh', connectTimeout: 3 });
    expect([p.hostKeyMode, p.knownHostsFiles, p.connectTimeoutMs]).toEqual(['yes', ['/tmp/kh'], 3000]);
  });

  test('--known-hosts replaces UserKnownHostsFile only: GlobalKnownHostsFile (and its @revoked lines) still counts', () => {
    const p = plan('GlobalKnownHostsFile /etc/fleet/known_hosts\n', host(), { knownHostsFile: '/tmp/kh' });
    expect([p.knownHostsFiles, p.globalKnownHostsFiles]).toEqual([['/tmp/kh'], ['/etc/fleet/known_hosts']]);
  });

  test('host-key keywords travel with the plan: HashKnownHosts, RevokedHostKeys, RequiredRSASize, algorithms', () => {
    const p = plan('HashKnownHosts yes\nRevokedHostKeys /etc/ssh/revoked\nRequiredRSASize 3072\nHostKeyAlgorithms ssh-ed25519\nCiphers aes256-ctr\n', host());
    expect([p.hashKnownHosts, p.revokedHostKeys, p.requiredRsaSize, p.hostKeyAlgorithms, p.algorithms.cipher]).toEqual([
      true, '/etc/ssh/revoked', 3072, { list: ['ssh-ed25519'], knownFirst: false }, ['aes256-ctr'],
    ]);
    expect([plan('', host()).hashKnownHosts, plan('', host()).revokedHostKeys, plan('', host()).hostKeyAlgorithms.knownFirst]).toEqual([false, undefined, true]);
  });

  test('KnownHostsCommand is never run: the host is refused before any connection', () => {
    expect(plan('KnownHostsCommand /usr/local/bin/kh %H\n', host()).hostKeyRefusal).toMatch(/KnownHostsCommand .* never runs/);
    expect(plan('KnownHostsCommand none\n', host()).hostKeyRefusal).toBeUndefined();
  });

  test('CheckHostIP yes: refused for a name reached directly, nothing to do for an address or through a jump host', () => {
    expect(plan('CheckHostIP yes\n', host({ address: 'web01.example.test' })).hostKeyRefusal).toMatch(/CheckHostIP yes/);
    expect(plan('CheckHostIP yes\n', host({ address: '10.1.2.3' })).hostKeyRefusal).toBeUndefined();
    expect(plan('CheckHostIP yes\nProxyJump 10.0.0.1\n', host({ address: 'web01.example.test' })).hostKeyRefusal).toBeUndefined();
  });

  test('VerifyHostKeyDNS and NoHostAuthenticationForLocalhost are not honoured (nothing is trusted from DNS, localhost is checked): a warning', () => {
    expect(plan('VerifyHostKeyDNS yes\nNoHostAuthenticationForLocalhost yes\n', host()).warnings).toEqual([
      expect.stringContaining('SSHFP records are never consulted'),
      expect.stringContaining('host keys are checked for localhost too'),
    ]);
  });

  test('the agent: SSH_AUTH_SOCK, IdentityAgent (path, none, $VAR), kept with IdentitiesOnly, dropped with PubkeyAuthentication no', () => {
    const agent = { agentSocket: '/run/agent.sock' };
    expect(plan('', host(), agent).agentSocket).toBe('/run/agent.sock');
    expect(plan('IdentityAgent ~/other.sock\n', host(), agent).agentSocket).toBe('/home/me/other.sock');
    expect(plan('IdentityAgent none\n', host(), agent).agentSocket).toBeUndefined();
    expect(plan('IdentityAgent SSH_AUTH_SOCK\n', host(), agent).agentSocket).toBe('/run/agent.sock');
    expect(plan('IdentityAgent $FLEETSTAT_SURELY_UNSET\n', host(), agent).agentSocket).toBeUndefined();
    const only = plan('IdentitiesOnly yes\nIdentityFile ~/.ssh/k\n', host(), agent);
    expect([only.agentSocket, only.identitiesOnly]).toEqual(['/run/agent.sock', true]);
    const none = plan('PubkeyAuthentication no\n', host(), agent);
    expect([none.agentSocket, none.identityFiles]).toEqual([undefined, []]);
    expect(plan('PreferredAuthentications password,keyboard-interactive\n', host(), agent).identityFiles).toEqual([]);
  });

  test('a ProxyCommand is never run: the host is not contacted', () => {
    expect(plan(config, host({ name: 'proxied', address: 'proxied' })).errors.join()).toContain('ProxyCommand');
  });

  test('OpenSSH\'s default keys are tried quietly when nothing names one', () => {
    const p = plan('', host({ address: 'plain.test' }));
    expect(p.identityFiles.every((f) => !f.explicit)).toBe(true);
    expect(p.identityFiles.map((f) => f.path)).toContain('/home/me/.ssh/id_ed25519');
    expect(p.user).toBe('me');
  });
});
