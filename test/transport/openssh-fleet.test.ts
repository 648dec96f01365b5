// ssh_config's host-key and identity keywords against a real OpenSSH fleet (test/helpers/sshd-fleet.ts),
// scanned by the real CLI, and where it can say, the real ssh client given the same config says the
// same: RevokedHostKeys (a key list, a KRL, a missing file), --known-hosts beside GlobalKnownHostsFile,
// accept-new under one name for several hosts, HashKnownHosts, HostKeyAlgorithms, IdentitiesOnly
// with an agent, IdentityAgent, a wrong passphrase. Only 127.0.0.0/8 and the fleet's namespaces.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ScanResult } from '../../src/model/index.js';
import { describeIf } from '../helpers/requirements.js';
import { fleetstatAsync as runFleetstat } from '../helpers/run-cli.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';

interface Run {
  status: number | null;
  stderr: string;
  result?: ScanResult;
}

async function fleetstat(home: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const run = await runFleetstat(home, ['scan', '--json', '-q', ...args], env);
  let result: ScanResult | undefined;
  try {
    result = JSON.parse(run.stdout) as ScanResult;
  } catch {
    result = undefined;
  }
  return { status: run.status, stderr: run.stderr, ...(result ? { result } : {}) };
}

const rows = (run: Run) => (run.result?.hosts ?? []).map((h) => ({ name: h.name, status: h.status, message: h.error?.message ?? '', check: h.hostKey?.check }));
const ok = expect.stringMatching(/^(ok|partial)$/);

describeIf(sshFleetMissing(), 'ssh_config host-key and identity keywords, against a real OpenSSH fleet', () => {
  let fleet: SshFleet;
  let home: string;
  let n = 0;
  const file = (text: string | Buffer, name = `f${++n}`) => {
    const path = join(home, name);
    writeFileSync(path, text);
    return path;
  };
  /** An inventory of fleet hosts (0-based), each `name: index` pair reached at its address and the fleet's port. */
  const inventory = (hosts: Array<[string, number]>, vars: Record<string, string> = {}) =>
    file(['all:', '  hosts:', ...hosts.flatMap(([name, i]) => [
      `    ${name}:`, `      ansible_host: ${fleet.hosts[i]!.address}`, `      ansible_port: ${fleet.port}`,
      ...Object.entries(vars).map(([k, v]) => `      ${k}: ${v}`),
    ])].join('\n') + '\n');
  const root = () => ({ ansible_user: 'root', ansible_ssh_private_key_file: fleet.keys.ed25519.path });
  const hostKeyLines = (marker = '', pattern = '*') => fleet.hostKeys.map((k) => `${marker}${pattern} ${k.publicKey.split(' ').slice(0, 2).join(' ')}`).join('\n') + '\n';

  /** The real ssh client's verdict on host i with this config (it never waits: BatchMode). */
  const ssh = (config: string, i: number, env: Record<string, string> = {}) => {
    const r = spawnSync('ssh', ['-F', config, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-p', String(fleet.port), `root@${fleet.hosts[i]!.address}`, 'true'], {
      encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    return {
      verdict: r.status === 0 ? 'ok'
        : /revoked by file|Error checking host key/.test(r.stderr) ? 'revoked'
        : /HOST IDENTIFICATION HAS CHANGED/.test(r.stderr) ? 'changed'
        : /Host key verification failed|No \S+ host key is known/.test(r.stderr) ? 'hostkey'
        : /Permission denied/.test(r.stderr) ? 'auth'
        : `other: ${r.stderr}`,
      stderr: r.stderr,
    };
  };

  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 3 });
    home = mkdtempSync(join(tmpdir(), 'fleetstat-openssh-home-'));
  }, 60_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  describe('RevokedHostKeys', () => {
    const configWith = (revoked: string, extra = '') =>
      file(`Host *\n  RevokedHostKeys ${revoked}\n  UserKnownHostsFile ${fleet.knownHosts}\n  GlobalKnownHostsFile /dev/null\n  IdentitiesOnly yes\n  IdentityFile ${fleet.keys.ed25519.path}\n${extra}`);

    test('a list of public keys: every revoked key refused, as ssh refuses it; other keys pass', async () => {
      const revoked = configWith(file(`# revoked host keys\n\n${fleet.hostKeys.map((k) => k.publicKey).join('\n')}\n`));
      const run = await fleetstat(home, [inventory([['a', 0], ['b', 1]], root()), '-F', revoked]);
      expect(rows(run)).toEqual(['a', 'b'].map((name) => ({ name, status: 'hostkey', message: expect.stringMatching(/^the host key \S+ SHA256:\S+ is revoked by .* \(RevokedHostKeys\); refused$/), check: undefined })));
      expect(ssh(revoked, 0).verdict).toBe('revoked');

      const unrelated = configWith(file(`${fleet.keys.unauthorized.publicKey}\n`));
      expect(rows(await fleetstat(home, [inventory([['a', 0]], root()), '-F', unrelated])).map((r) => r.status)).toEqual([ok]);
      expect(ssh(unrelated, 0).verdict).toBe('ok');
    }, 60_000);

    test('a KRL made by ssh-keygen -k: read and honoured', async () => {
      const krl = join(home, `krl${++n}`);
      const pubs = fleet.hostKeys.map((k, i) => file(`${k.publicKey}\n`, `hostkey${n}-${i}.pub`));
      spawnSync('ssh-keygen', ['-q', '-k', '-f', krl, ...pubs], { stdio: 'ignore' });
      const config = configWith(krl);
      const run = await fleetstat(home, [inventory([['a', 0]], root()), '-F', config]);
      expect(rows(run)).toEqual([{ name: 'a', status: 'hostkey', message: expect.stringContaining('(RevokedHostKeys)'), check: undefined }]);
      expect(ssh(config, 0).verdict).toBe('revoked');
    }, 60_000);

    test('a file that cannot be read: ssh refuses every key; fleetstat refuses without connecting', async () => {
      const before = await fleet.connectionsTo(0);
      const config = configWith(join(home, 'no-such-revoked-file'));
      const run = await fleetstat(home, [inventory([['a', 0]], root()), '-F', config]);
      expect(rows(run)).toEqual([{ name: 'a', status: 'hostkey', message: expect.stringMatching(/not contacted: RevokedHostKeys .*no-such-revoked-file: cannot read: no such file/), check: undefined }]);
      expect(await fleet.connectionsTo(0)).toBe(before);
      expect(ssh(config, 0).verdict).toBe('revoked');
    }, 60_000);

    test('--known-hosts and a GlobalKnownHostsFile with @revoked lines: the revocation still holds', async () => {
      const global = file(hostKeyLines('@revoked '));
      const config = file(`Host *\n  GlobalKnownHostsFile ${global}\n`);
      const run = await fleetstat(home, [inventory([['a', 0]], root()), '-F', config, '--known-hosts', fleet.knownHosts]);
      expect(rows(run)).toEqual([{ name: 'a', status: 'hostkey', message: expect.stringContaining('is marked as revoked'), check: undefined }]);
    }, 60_000);
  });

  describe('accept-new: one decision per known_hosts name', () => {
    test('two inventory names for one address: one line, both hosts accepted', async () => {
      const knownHosts = file('');
      const run = await fleetstat(home, [inventory([['a', 0], ['a-again', 0]], root()), '-F', 'none', '--known-hosts', knownHosts, '--strict-host-keys', 'accept-new']);
      expect(rows(run)).toEqual([{ name: 'a', status: ok, message: '', check: 'added' }, { name: 'a-again', status: ok, message: '', check: 'added' }]);
      expect(readFileSync(knownHosts, 'utf8').trim().split('\n')).toHaveLength(1);
    }, 60_000);

    test('a HostKeyAlias shared by every host: one line under the alias', async () => {
      const knownHosts = file('');
      const config = file('Host *\n  HostKeyAlias fleet-shared\n');
      const run = await fleetstat(home, [inventory([['a', 0], ['b', 1], ['c', 2]], root()), '-F', config, '--known-hosts', knownHosts, '--strict-host-keys', 'accept-new']);
      expect(rows(run).map((r) => [r.status, r.check])).toEqual([[ok, 'added'], [ok, 'added'], [ok, 'added']]);
      expect(readFileSync(knownHosts, 'utf8').trim().split('\n')).toEqual([expect.stringMatching(/^fleet-shared /)]);
    }, 60_000);

    test('one alias, two different keys in one run: the first is recorded, the other refused as changed', async () => {
      const fakeKey = ssh2.utils.generateKeyPairSync('ed25519');
      const server = new ssh2.Server({ hostKeys: [fakeKey.private] }, (client) => {
        client.on('authentication', (ctx) => ctx.reject());
        client.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const knownHosts = file('');
        const config = file('Host *\n  HostKeyAlias one-name\n');
        const path = file(['all:', '  hosts:',
          '    fleet-host:', `      ansible_host: ${fleet.hosts[0]!.address}`, `      ansible_port: ${fleet.port}`, '      ansible_user: root', `      ansible_ssh_private_key_file: ${fleet.keys.ed25519.path}`,
          '    impostor:', '      ansible_host: 127.0.0.1', `      ansible_port: ${(server.address() as AddressInfo).port}`, '      ansible_user: root', `      ansible_ssh_private_key_file: ${fleet.keys.ed25519.path}`,
        ].join('\n') + '\n');
        const run = await fleetstat(home, [path, '-F', config, '--known-hosts', knownHosts, '--strict-host-keys', 'accept-new']);
        expect(readFileSync(knownHosts, 'utf8').trim().split('\n')).toHaveLength(1);
        expect(rows(run).filter((r) => r.status === 'hostkey' && r.message.includes('REMOTE HOST IDENTIFICATION HAS CHANGED'))).toHaveLength(1);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }, 60_000);

    test('HashKnownHosts yes: names written hashed, and the real ssh accepts the lines', async () => {
      const knownHosts = file('');
      const config = file('Host *\n  HashKnownHosts yes\n');
      const run = await fleetstat(home, [inventory([['a', 0], ['b', 1]], root()), '-F', config, '--known-hosts', knownHosts, '--strict-host-keys', 'accept-new']);
      expect(rows(run).map((r) => [r.status, r.check])).toEqual([[ok, 'added'], [ok, 'added']]);
      const lines = readFileSync(knownHosts, 'utf8').trim().split('\n');
      expect(lines).toEqual([expect.stringMatching(/^\|1\|\S+\|\S+ /), expect.stringMatching(/^\|1\|\S+\|\S+ /)]);
      expect(lines.join('\n')).not.toContain('127.0.77');
      const strict = file(`Host *\n  UserKnownHostsFile ${knownHosts}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  IdentitiesOnly yes\n  IdentityFile ${fleet.keys.ed25519.path}\n`);
      expect([ssh(strict, 0).verdict, ssh(strict, 1).verdict]).toEqual(['ok', 'ok']);
    }, 60_000);
  });

  test('HostKeyAlgorithms: the key type it names is the one checked, as ssh checks it', async () => {
    const ecdsa = fleet.hostKeys.find((k) => k.publicKey.startsWith('ecdsa-'))!;
    const ed = fleet.hostKeys.find((k) => k.publicKey.startsWith('ssh-ed25519'))!;
    const known = (key: typeof ecdsa) => file(`[${fleet.hosts[0]!.address}]:${fleet.port} ${key.publicKey.split(' ').slice(0, 2).join(' ')}\n`);
    for (const [knownKey, want] of [[ecdsa, 'ok'], [ed, 'changed']] as const) {
      const config = file(`Host *\n  HostKeyAlgorithms ecdsa-sha2-nistp256\n  UserKnownHostsFile ${known(knownKey)}\n  GlobalKnownHostsFile /dev/null\n  IdentitiesOnly yes\n  IdentityFile ${fleet.keys.ed25519.path}\n`);
      const run = await fleetstat(home, [inventory([['a', 0]], root()), '-F', config]);
      const [row] = rows(run);
      expect(want === 'ok' ? [row!.status, run.result!.hosts[0]!.hostKey?.type] : [row!.status, row!.message]).toEqual(
        want === 'ok' ? [ok, 'ecdsa-sha2-nistp256'] : ['hostkey', expect.stringContaining('HAS CHANGED')],
      );
      expect(ssh(config, 0).verdict).toBe(want);
    }
  }, 60_000);

  describe('the agent: IdentitiesOnly and IdentityAgent', () => {
    let agentOnlyKey: string;
    beforeAll(() => {
      // the private key is only in the agent: this path has just the .pub
      agentOnlyKey = join(home, 'agent-only');
      copyFileSync(`${fleet.keys.ed25519.path}.pub`, `${agentOnlyKey}.pub`);
    });
    const byInventory = (identity?: string) => inventory([['a', 0]], { ansible_user: 'root', ...(identity ? { ansible_ssh_private_key_file: identity } : {}) });
    const agentEnv = () => ({ SSH_AUTH_SOCK: fleet.agentSocket });
    const withKnownHosts = (text: string) => file(`Host *\n  UserKnownHostsFile ${fleet.knownHosts}\n  GlobalKnownHostsFile /dev/null\n${text}`);

    test('IdentitiesOnly yes: the agent\'s key for the IdentityFile is used (here the private key is only in the agent)', async () => {
      const config = withKnownHosts(`  IdentitiesOnly yes\n  IdentityFile ${agentOnlyKey}\n`);
      expect(rows(await fleetstat(home, [byInventory(), '-F', config], agentEnv())).map((r) => r.status)).toEqual([ok]);
      expect(ssh(config, 0, agentEnv()).verdict).toBe('ok');
    }, 60_000);

    test('IdentitiesOnly yes: the agent\'s other keys are not offered', async () => {
      const config = withKnownHosts(`  IdentitiesOnly yes\n  IdentityFile ${fleet.keys.unauthorized.path}\n`);
      expect(rows(await fleetstat(home, [byInventory(), '-F', config], agentEnv())).map((r) => r.status)).toEqual(['auth']);
      expect(ssh(config, 0, agentEnv()).verdict).toBe('auth');
      const offered = withKnownHosts(`  IdentityFile ${fleet.keys.unauthorized.path}\n`);
      expect(rows(await fleetstat(home, [byInventory(), '-F', offered], agentEnv())).map((r) => r.status)).toEqual([ok]);
    }, 60_000);

    test('IdentityAgent: a path (no SSH_AUTH_SOCK needed), $VAR, none', async () => {
      const byPath = withKnownHosts(`  IdentityAgent ${fleet.agentSocket}\n  IdentityFile none\n`);
      expect(rows(await fleetstat(home, [byInventory(), '-F', byPath])).map((r) => r.status)).toEqual([ok]);
      expect(ssh(byPath, 0).verdict).toBe('ok');
      const byVar = withKnownHosts('  IdentityAgent $FLEET_AGENT\n  IdentityFile none\n');
      expect(rows(await fleetstat(home, [byInventory(), '-F', byVar], { FLEET_AGENT: fleet.agentSocket })).map((r) => r.status)).toEqual([ok]);
      expect(ssh(byVar, 0, { FLEET_AGENT: fleet.agentSocket }).verdict).toBe('ok');
      const none = withKnownHosts('  IdentityAgent none\n  IdentityFile none\n');
      expect(rows(await fleetstat(home, [byInventory(), '-F', none], agentEnv())).map((r) => r.status)).toEqual(['auth']);
      expect(ssh(none, 0, agentEnv()).verdict).toBe('auth');
    }, 60_000);

    describe('an encrypted key held by an agent', () => {
      let agent: ChildProcess;
      let socket: string;
      beforeAll(async () => {
        socket = join(home, 'enc-agent.sock');
        agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
        for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
        spawnSync('ssh-add', ['-q', fleet.keys.encrypted.path], {
          env: { ...process.env, SSH_AUTH_SOCK: socket, SSH_ASKPASS: fleet.keys.encrypted.askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: 'none' },
          stdio: 'ignore',
        });
      });
      afterAll(() => {
        agent?.kill();
      });

      test('is used through the agent: no passphrase asked, none needed', async () => {
        const config = withKnownHosts(`  IdentitiesOnly yes\n  IdentityFile ${fleet.keys.encrypted.path}\n  IdentityAgent ${socket}\n`);
        const run = await fleetstat(home, [byInventory(), '-F', config]);
        expect(rows(run).map((r) => r.status)).toEqual([ok]);
        expect(run.stderr).not.toMatch(/encrypted|passphrase/);
      }, 60_000);
    });
  });

  test('a wrong FLEETSTAT_SSH_PASSPHRASE is said to be wrong, not missing', async () => {
    const run = await fleetstat(home, [inventory([['a', 0]], { ansible_user: 'root', ansible_ssh_private_key_file: fleet.keys.encrypted.path }), '-F', 'none', '--known-hosts', fleet.knownHosts], {
      FLEETSTAT_SSH_PASSPHRASE: 'not-the-passphrase',
    });
    expect(rows(run).map((r) => r.status)).toEqual(['auth']);
    expect(run.stderr).toContain(`identity file ${fleet.keys.encrypted.path}: wrong passphrase (from FLEETSTAT_SSH_PASSPHRASE)`);
    expect(run.stderr).not.toContain('no passphrase was given');
  }, 60_000);

  test('KnownHostsCommand: never run, the host refused without a connection', async () => {
    const before = await fleet.connectionsTo(0);
    const marker = join(home, 'kh-command-ran');
    const config = file(`Host *\n  KnownHostsCommand /usr/bin/touch ${marker}\n`);
    const run = await fleetstat(home, [inventory([['a', 0]], root()), '-F', config, '--known-hosts', fleet.knownHosts]);
    expect(rows(run)).toEqual([{ name: 'a', status: 'hostkey', message: expect.stringContaining('KnownHostsCommand'), check: undefined }]);
    expect([existsSync(marker), await fleet.connectionsTo(0)]).toEqual([false, before]);
  }, 60_000);
});
