// Acceptance for scanning over SSH: a fleet of real OpenSSH hosts (each its own network and pid
// namespace, behind one sshd on loopback), scanned by the real CLI.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanResult } from '../../src/model/index.js';
import { describeIf } from '../helpers/requirements.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';
import { refusedPort, startTarpit, type Tarpit } from '../helpers/tarpit.js';
import { fleetstatRow, parseSs, rowKey } from '../helpers/ss.js';
import { schemaErrors } from '../helpers/schema.js';

const repo = new URL('../../', import.meta.url).pathname;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  result?: ScanResult;
}

/** The CLI as a user runs it, with a HOME of its own (no ~/.ssh of this machine) and no agent unless given. */
function fleetstat(home: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${repo}bin/run.js`, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, USER: 'root', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => {
      let result: ScanResult | undefined;
      try {
        result = JSON.parse(stdout) as ScanResult;
      } catch {
        result = undefined;
      }
      resolve({ status, stdout, stderr, ...(result ? { result } : {}) });
    });
  });
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
      const ours = scanned.sockets.filter((s) => s.proto !== 'unix' && !s.proto.startsWith('raw')).map(fleetstatRow).map(rowKey).sort();
      const truth = parseSs(await fleet.ssInside(host.index)).map(rowKey).sort();
      // the SSH connection itself is sshd's, in the machine's namespace: a host sees only its own sockets
      expect(ours).toEqual(truth);
      // each host has its own listeners, not the others'
      const port = host.ports[0]!.listen!;
      expect(ours.some((r) => r.includes(`:${port} `) && r.includes('LISTEN'))).toBe(true);
    }
  }, 60_000);
});
