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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  /** Processes inside host i that are neither its init nor its listeners (nor the ps looking). */
  async function strangers(index: number): Promise<Array<{ pid: number; args: string }>> {
    const host = fleet.hosts[index]!;
    const ps = await fleet.runInside(index, ['ps', '-eo', 'pid=,comm=,args=']);
    return ps.stdout
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ pid: Number(m[1]), comm: m[2]!, args: m[3]! }))
      .filter((p) => p.pid !== 1 && p.pid !== host.zooPidInside && p.comm !== 'ps')
      .map(({ pid, args }) => ({ pid, args }));
  }

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
    let caught: Array<{ pid: number; args: string }> = [];
    const until = Date.now() + 30_000;
    while (caught.length === 0 && Date.now() < until) {
      caught = await strangers(1);
      if (caught.length > 0) await fleet.runInside(1, ['kill', '-STOP', ...caught.map((p) => String(p.pid))]);
    }
    expect(caught.length).toBeGreaterThan(0);
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
    const settle = Date.now() + 10_000;
    let left = await strangers(1);
    while (left.length > 0 && Date.now() < settle) {
      await sleep(250);
      left = await strangers(1);
    }
    expect(left).toEqual([]);
    for (const index of [0, 2, 3]) expect(await strangers(index)).toEqual([]);
  }, 90_000);
});
