// Acceptance for Ctrl-C on real OpenSSH hosts: finished hosts are printed and saved, the host in
// flight and the hosts not started are `interrupted`, exit 130; and on the hosts no process of the
// collection is left (checked inside each host's namespaces).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanResult } from '../../src/model/index.js';
import { cleanEnv, fleetstatAsync, runJs } from '../helpers/run-cli.js';
import { describeIf } from '../helpers/requirements.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';
import { caughtRunning, leftAfter, strangersOn } from '../helpers/host-processes.js';

describeIf(sshFleetMissing(), 'Ctrl-C during a scan of a real fleet', () => {
  let fleet: SshFleet;
  let home: string;

  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 4 });
    home = mkdtempSync(join(tmpdir(), 'fleetstat-interrupt-'));
  }, 60_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  test('finished hosts kept, the rest interrupted, exit 130, nothing left on the hosts', async () => {
    const snapshot = join(home, 'interrupted.snap.gz');
    const child = spawn(process.execPath, [runJs, 'scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '-j', '1', '--json', '--save', snapshot], {
      env: cleanEnv({ HOME: home }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // -j 1 scans the hosts in order: catch the second host's collection running, and hold it there
    const caught = await caughtRunning(fleet, 1, 30_000);
    expect(caught.length).toBeGreaterThan(0);
    await fleet.runInside(1, ['kill', '-STOP', ...caught.map((p) => String(p.pid))]);
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(Date.now() - interruptedAt).toBeLessThan(5_000);
    expect(code).toBe(130);

    const result = JSON.parse(stdout) as ScanResult;
    expect(result.hosts.map((h) => h.name)).toEqual(fleet.hosts.map((h) => h.name));
    expect(['ok', 'partial']).toContain(result.hosts[0]!.status);
    expect(result.hosts[0]!.sockets.length).toBeGreaterThan(0);
    expect(result.hosts[1]).toMatchObject({ status: 'interrupted', error: { message: 'interrupted (SIGINT) while this host was being scanned' } });
    for (const host of result.hosts.slice(2)) {
      expect(host).toMatchObject({ status: 'interrupted', error: { message: 'not scanned: interrupted (SIGINT) before this host started' } });
    }
    expect(stderr).toMatch(/4 hosts: 1 (ok|partial), 3 interrupted/);

    // what was saved is what was printed
    const replay = await fleetstatAsync(home, ['scan', snapshot, '--json']);
    expect(replay.stdout).toBe(stdout);

    // the held collection, let go: its connection is gone, so it must end, and all of it
    await fleet.runInside(1, ['kill', '-CONT', ...caught.map((p) => String(p.pid))]);
    expect(await leftAfter(fleet, 1, 10_000)).toEqual([]);
    for (const index of [0, 2, 3]) expect(await strangersOn(fleet, index)).toEqual([]);
  }, 90_000);
});
