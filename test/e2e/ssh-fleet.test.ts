// Acceptance for scanning over SSH: a fleet of real OpenSSH hosts (each its own network and pid
// namespace, behind one sshd on loopback), scanned by the real CLI.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanResult } from '../../src/model/index.js';
import { fleetstatAsync } from '../helpers/run-cli.js';
import { describeIf } from '../helpers/requirements.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';
import { refusedPort, startTarpit, type Tarpit } from '../helpers/tarpit.js';
import { fleetstatRow, parseSs, rowKey, ssTuanLists } from '../helpers/ss.js';
import { schemaErrors } from '../helpers/schema.js';

const repo = new URL('../../', import.meta.url).pathname;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  result?: ScanResult;
}

/** The CLI as a user runs it (helpers/run-cli.ts), with its JSON read when it printed some. */
async function fleetstat(home: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { status, stdout, stderr } = await fleetstatAsync(home, args, env);
  let result: ScanResult | undefined;
  try {
    result = JSON.parse(stdout) as ScanResult;
  } catch {
    result = undefined;
  }
  return { status, stdout, stderr, ...(result ? { result } : {}) };
}

const statuses = (run: Run) => Object.fromEntries((run.result?.hosts ?? []).map((h) => [h.name, h.status]));

describeIf(sshFleetMissing(), 'scanning a fleet over SSH', () => {
  let fleet: SshFleet;
  let home: string;
  const scan = (args: string[], env?: Record<string, string>) => fleetstat(home, ['scan', '--json', ...args], env);

  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 5 });
    home = mkdtempSync(join(tmpdir(), 'fleetstat-home-'));
  }, 60_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  test('every host ok, and every host\'s sockets equal ss run inside that host', async () => {
    const run = await scan([fleet.inventory, '--known-hosts', fleet.knownHosts]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(schemaErrors(run.result)).toEqual([]);
    expect(Object.values(statuses(run))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'].map(() => expect.stringMatching(/^(ok|partial)$/)));
    for (const host of fleet.hosts) {
      const scanned = run.result!.hosts.find((h) => h.name === host.name)!;
      expect(scanned.facts?.hostname).toBe(host.hostname);
      const ours = scanned.sockets.filter(ssTuanLists).map(fleetstatRow).map(rowKey).sort();
      const truth = parseSs(await fleet.ssInside(host.index)).map(rowKey).sort();
      // the SSH connection itself is sshd's, in the machine's namespace: a host sees only its own sockets
      expect(ours).toEqual(truth);
      // each host has its own listeners, not the others'
      const port = host.ports[0]!.listen!;
      expect(ours.some((r) => r.includes(`:${port} `) && r.includes('LISTEN'))).toBe(true);
    }
  }, 60_000);

  /** An inventory file of the fleet's hosts (0-based indices), each with the given extra vars. */
  function inventory(name: string, indices: number[], vars: Record<string, string | number>, extra = ''): string {
    const lines = ['all:', '  hosts:'];
    for (const i of indices) {
      const host = fleet.hosts[i]!;
      lines.push(`    ${host.name}:`, `      ansible_host: ${host.address}`, `      ansible_port: ${fleet.port}`);
      for (const [k, v] of Object.entries(vars)) lines.push(`      ${k}: ${v}`);
    }
    const path = join(home, `${name}.yml`);
    writeFileSync(path, lines.join('\n') + '\n' + extra);
    return path;
  }
  const all = () => fleet.hosts.map((h) => h.index);
  const asRoot = () => ({ ansible_user: 'root', ansible_ssh_private_key_file: fleet.keys.ed25519.path });
  const knownHostsFile = (name: string, text: string) => {
    const path = join(home, name);
    writeFileSync(path, text);
    return path;
  };
  const accepted = async () => (await fleet.sshdLogLines()).filter((l) => l.startsWith('Accepted publickey')).length;

  describe('host keys', () => {
    test('unknown keys are refused by default, with the fingerprint, before any authentication', async () => {
      const before = await accepted();
      const run = await scan([fleet.inventory, '--known-hosts', knownHostsFile('empty_known_hosts', '')]);
      expect(run.status).toBe(8);
      for (const host of run.result!.hosts) {
        expect(host.status).toBe('hostkey');
        expect(host.error?.message).toMatch(/host key not known: \S+ SHA256:[A-Za-z0-9+/]{43} for \[127\.0\.77\.\d+\]:\d+/);
        expect(host.sockets).toEqual([]);
      }
      // the regression this guards: a rejected key must never reach authentication
      expect(await accepted()).toBe(before);
    }, 30_000);

    test('accept-new records new hosts; OpenSSH then accepts the lines it wrote; a second scan finds them known', async () => {
      const file = knownHostsFile('accept_new_known_hosts', '');
      const first = await scan([fleet.inventory, '--known-hosts', file, '--strict-host-keys', 'accept-new']);
      expect(first.status).toBe(0);
      expect(first.result!.hosts.map((h) => h.hostKey?.check)).toEqual(fleet.hosts.map(() => 'added'));
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(fleet.hosts.length);

      const host = fleet.hosts[0]!;
      const ssh = spawnSync('ssh', [
        '-F', 'none', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${file}`,
        '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'IdentitiesOnly=yes', '-i', fleet.keys.ed25519.path,
        '-p', String(fleet.port), `root@${host.address}`, 'sh -s',
      ], { input: 'cat /proc/sys/kernel/hostname\n', encoding: 'utf8', timeout: 20_000 });
      expect(ssh.stderr).not.toMatch(/Host key verification failed|REMOTE HOST IDENTIFICATION/);
      expect([ssh.status, ssh.stdout.trim()]).toEqual([0, host.hostname]);

      const second = await scan([fleet.inventory, '--known-hosts', file]);
      expect(second.result!.hosts.map((h) => h.hostKey?.check)).toEqual(fleet.hosts.map(() => 'known'));
    }, 60_000);

    test('a changed key is refused, even with accept-new, and only that host fails', async () => {
      const good = readFileSync(fleet.knownHosts, 'utf8').split('\n').filter(Boolean);
      const target = fleet.hosts[1]!;
      const [fakeType, fakeKey] = fleet.keys.unauthorized.publicKey.trim().split(/\s+/);
      const lines = good.filter((l) => !l.startsWith(`[${target.address}]:`));
      lines.push(`[${target.address}]:${fleet.port} ${fakeType} ${fakeKey}`);
      const file = knownHostsFile('changed_known_hosts', lines.join('\n') + '\n');
      const run = await scan([fleet.inventory, '--known-hosts', file, '--strict-host-keys', 'accept-new']);
      expect(run.status).toBe(8);
      expect(statuses(run)).toEqual(Object.fromEntries(fleet.hosts.map((h) => [h.name, h === target ? 'hostkey' : expect.stringMatching(/^(ok|partial)$/)])));
      expect(run.result!.hosts[1]!.error?.message).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
      // nothing was added for the changed host
      expect(readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith(`[${target.address}]:`))).toHaveLength(1);
    }, 30_000);

    test('entries hashed by ssh-keygen -H are honoured', async () => {
      const run = await scan([fleet.inventory, '--known-hosts', fleet.knownHostsHashed]);
      expect(run.status).toBe(0);
      expect(run.result!.hosts.every((h) => h.hostKey?.check === 'known')).toBe(true);
    }, 30_000);

    test('@revoked keys are refused, even when also listed as good', async () => {
      const revoked = fleet.hostKeys.map((k) => `@revoked * ${k.publicKey.trim().split(/\s+/).slice(0, 2).join(' ')}`);
      const file = knownHostsFile('revoked_known_hosts', readFileSync(fleet.knownHosts, 'utf8') + revoked.join('\n') + '\n');
      const run = await scan([fleet.inventory, '--known-hosts', file]);
      expect(run.status).toBe(8);
      for (const host of run.result!.hosts) {
        expect(host.status).toBe('hostkey');
        expect(host.error?.message).toContain('revoked');
      }
    }, 30_000);

    test('checking turned off is shown on every host and in the warning', async () => {
      const run = await scan([fleet.inventory, '--known-hosts', knownHostsFile('off_known_hosts', ''), '--insecure-no-host-key-check']);
      expect(run.status).toBe(0);
      expect(run.result!.hosts.every((h) => h.hostKey?.check === 'unchecked')).toBe(true);
      expect(run.stderr).toContain('host key checking is OFF');
    }, 30_000);
  });

  test('a bastion: every target through ONE connection to the jump host, whose key is checked too', async () => {
    const before = await fleet.connectionsTo('jump');
    const lines = ['all:', '  hosts:', ...fleet.hosts.flatMap((h) => [`    ${h.name}:`, `      ansible_host: ${h.name}-via-jump`])];
    const path = join(home, 'via-jump.yml');
    writeFileSync(path, lines.join('\n') + '\n');
    const run = await scan([path, '-F', fleet.sshConfig]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(Object.values(statuses(run))).toEqual(fleet.hosts.map(() => expect.stringMatching(/^(ok|partial)$/)));
    expect(run.result!.hosts.map((h) => h.facts?.hostname)).toEqual(fleet.hosts.map((h) => h.hostname));
    expect((await fleet.connectionsTo('jump')) - before).toBe(1);

    // the jump host's own key is verified: with it unknown, nothing gets through
    const noJumpKey = readFileSync(fleet.knownHosts, 'utf8').split('\n').filter((l) => !l.startsWith(`[${fleet.jump.address}]:`)).join('\n');
    const refused = await scan([path, '-F', fleet.sshConfig, '--known-hosts', knownHostsFile('no_jump_known_hosts', noJumpKey + '\n')]);
    expect(Object.values(statuses(refused))).toEqual(fleet.hosts.map(() => 'hostkey'));
    expect(refused.result!.hosts[0]!.error?.message).toContain('jump host');
  }, 60_000);

  describe('dead and hostile hosts cost only their own row', () => {
    let tarpit: Tarpit;
    beforeAll(async () => {
      tarpit = await startTarpit();
    });
    afterAll(() => tarpit?.stop());

    test('a refused port is unreachable, a tarpit times out, every other host completes with full data', async () => {
      const dead = await refusedPort();
      const extra = [
        '    dead:', '      ansible_host: 127.0.0.1', `      ansible_port: ${dead}`, '      ansible_user: root',
        '    tarpit:', `      ansible_host: ${tarpit.address}`, `      ansible_port: ${tarpit.port}`, '      ansible_user: root',
        '',
      ].join('\n');
      const path = inventory('with-dead', all(), asRoot(), extra);
      const run = await scan([path, '--known-hosts', fleet.knownHosts, '--connect-timeout', '2']);
      expect(run.status).toBe(4);
      const byName = Object.fromEntries(run.result!.hosts.map((h) => [h.name, h]));
      expect(byName.dead!.status).toBe('unreachable');
      expect(byName.dead!.error?.message).toContain('ECONNREFUSED');
      expect(byName.tarpit!.status).toBe('timeout');
      for (const host of fleet.hosts) {
        expect(byName[host.name]!.status).toMatch(/^(ok|partial)$/);
        const truth = parseSs(await fleet.ssInside(host.index)).map(rowKey).sort();
        const ours = byName[host.name]!.sockets.filter(ssTuanLists).map(fleetstatRow).map(rowKey).sort();
        expect(ours).toEqual(truth);
      }
      expect(run.stderr).toMatch(/1 timeout \(tarpit\), 1 unreachable \(dead\)/);
    }, 60_000);
  });

  describe('authentication', () => {
    test('ssh-agent (SSH_AUTH_SOCK), no key file named', async () => {
      const path = inventory('agent', [0, 1], { ansible_user: 'root' });
      const run = await scan([path, '--known-hosts', fleet.knownHosts], { SSH_AUTH_SOCK: fleet.agentSocket });
      expect(Object.values(statuses(run))).toEqual([expect.stringMatching(/^(ok|partial)$/), expect.stringMatching(/^(ok|partial)$/)]);
    }, 30_000);

    test('an RSA key (rsa-sha2 signatures: OpenSSH 9 refuses SHA-1)', async () => {
      const path = inventory('rsa', [0], { ansible_user: 'root', ansible_ssh_private_key_file: fleet.keys.rsa.path });
      const run = await scan([path, '--known-hosts', fleet.knownHosts]);
      expect(run.result!.hosts[0]!.status).toMatch(/^(ok|partial)$/);
    }, 30_000);

    test('an encrypted key with its passphrase from FLEETSTAT_SSH_PASSPHRASE', async () => {
      const path = inventory('encrypted', [0], { ansible_user: 'root', ansible_ssh_private_key_file: fleet.keys.encrypted.path });
      const run = await scan([path, '--known-hosts', fleet.knownHosts], { FLEETSTAT_SSH_PASSPHRASE: fleet.keys.encrypted.passphrase });
      expect(run.result!.hosts[0]!.status).toMatch(/^(ok|partial)$/);
    }, 30_000);

    test('an encrypted key, its passphrase typed at the prompt on a terminal (asked once for all hosts, not echoed)', async () => {
      const path = inventory('encrypted-tty', [0, 1, 2], { ansible_user: 'root', ansible_ssh_private_key_file: fleet.keys.encrypted.path });
      // `script` gives the scan a terminal; what we write to it is what the user types, once asked
      const command = `${process.execPath} ${repo}bin/run.js scan ${path} --known-hosts ${fleet.knownHosts} --json -q`;
      const child = spawn('script', ['-qfec', command, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, USER: 'root' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      child.stdout.on('data', (d: Buffer) => {
        const before = screen;
        screen += d.toString();
        if (!before.includes('Enter passphrase') && screen.includes('Enter passphrase')) child.stdin.write(`${fleet.keys.encrypted.passphrase}\r`);
      });
      await new Promise((resolve) => child.on('close', resolve));
      expect(screen.match(/Enter passphrase for key/g)).toHaveLength(1);
      expect(screen).not.toContain(fleet.keys.encrypted.passphrase);
      const json = screen.slice(screen.indexOf('{'), screen.lastIndexOf('}') + 1).replace(/\r\n/g, '\n');
      const result = JSON.parse(json) as ScanResult;
      expect(result.hosts.map((h) => h.status)).toEqual([0, 1, 2].map(() => expect.stringMatching(/^(ok|partial)$/)));
    }, 40_000);

    test('an encrypted key with no passphrase and no terminal: auth fails, nothing waits for input', async () => {
      const path = inventory('encrypted-batch', [0], { ansible_user: 'root', ansible_ssh_private_key_file: fleet.keys.encrypted.path });
      const run = await scan([path, '--known-hosts', fleet.knownHosts]);
      expect(run.result!.hosts[0]!.status).toBe('auth');
      expect(run.stderr).toContain('is encrypted and no passphrase was given');
    }, 30_000);

    test('a key the host does not accept: auth', async () => {
      const path = inventory('unauthorized', [0], { ansible_user: 'root', ansible_ssh_private_key_file: fleet.keys.unauthorized.path });
      const run = await scan([path, '--known-hosts', fleet.knownHosts]);
      expect(run.status).toBe(8);
      expect(run.result!.hosts[0]!.status).toBe('auth');
    }, 30_000);
  });

  describe('privilege', () => {
    test('without root: every socket still listed, owners of other users\' sockets unknown, attribution partial', async () => {
      const run = await scan([fleet.userInventory, '--known-hosts', fleet.knownHosts]);
      expect(run.status).toBe(0);
      for (const host of fleet.hosts) {
        const scanned = run.result!.hosts.find((h) => h.name === host.name)!;
        expect(scanned.status).toBe('partial');
        expect(scanned.facts?.attribution).toBe('partial');
        expect(scanned.facts?.collectorUid).toBe(fleet.user.uid);
        const truth = parseSs(await fleet.ssInside(host.index)).map((r) => rowKey({ ...r, processes: [] })).sort();
        const ours = scanned.sockets.filter(ssTuanLists).map(fleetstatRow).map((r) => rowKey({ ...r, processes: [] })).sort();
        expect(ours).toEqual(truth);
        expect(scanned.sockets.filter((s) => s.proto.startsWith('tcp')).every((s) => s.processes.length === 0)).toBe(true);
      }
      const table = await fleetstat(home, ['scan', fleet.userInventory, '--known-hosts', fleet.knownHosts, '-q']);
      expect(table.stdout).toContain('Not all processes could be identified');
    }, 60_000);

    test('--sudo (sudo -n): the same user sees every owner', async () => {
      const run = await scan([fleet.userInventory, '--known-hosts', fleet.knownHosts, '--sudo']);
      for (const host of fleet.hosts) {
        const scanned = run.result!.hosts.find((h) => h.name === host.name)!;
        expect(scanned.facts?.collectorUid).toBe(0);
        const listener = scanned.sockets.find((s) => s.state === 'LISTEN' && s.proto === 'tcp');
        expect(listener?.processes.map((p) => p.pid)).toContain(host.zooPidInside);
      }
    }, 60_000);
  });
});
