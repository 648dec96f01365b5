// Acceptance for a host that freezes after login (its sshd session SIGSTOPped while the collection
// runs): it costs only its own row (`timeout`), the scan exits within its deadline plus a small grace,
// and on the host the collection ends itself at that deadline, although its sshd never reads again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanResult } from '../../src/model/index.js';
import { fleetstatAsync } from '../helpers/run-cli.js';
import { describeIf } from '../helpers/requirements.js';
import { run } from '../helpers/sshd-run.js';
import { defaultSockets, sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';
import { leftAfter, strangersOn } from '../helpers/host-processes.js';

/**
 * The per-connection sshd processes (`sshd: root@notty`) of the fleet's sshd. The scan runs one host at
 * a time (-j 1), so while host1's collection runs they are its session's: found with one `ps`, fast
 * enough on a busy machine to stop the session while the collection still runs.
 */
async function sessionProcesses(fleet: SshFleet): Promise<number[]> {
  const ps = await run('ps', ['-eo', 'pid=,ppid=,args=']);
  const rows = ps.stdout.split('\n').map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const parent = new Map(rows.map((m) => [Number(m[1]), Number(m[2])]));
  const under = (pid: number) => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === fleet.sshdPid) return true;
    return false;
  };
  return rows.filter((m) => m[3]!.startsWith('sshd: root@notty') && under(Number(m[1]))).map((m) => Number(m[1]));
}

/**
 * Whether host1's collection is past its first lines: its watchdog (a subshell: a second `sh -s`) is
 * up. Frozen before that, `sh -s` still waits for the script sshd never hands over, with nothing of
 * ours running to end it: such a freeze proves nothing.
 */
async function isCollecting(fleet: SshFleet): Promise<boolean> {
  return (await strangersOn(fleet, 0)).filter((p) => p.args === 'sh -s').length >= 2;
}

/** Polls until host1's collection is under way, or the scan has ended, or the time is up. */
async function collectionUnderWay(fleet: SshFleet, scan: Promise<unknown>, withinMs: number): Promise<boolean> {
  let ended = false;
  scan.then(
    () => (ended = true),
    () => (ended = true),
  );
  const until = Date.now() + withinMs;
  while (!ended && Date.now() < until) if (await isCollecting(fleet)) return true;
  return false;
}

describeIf(sshFleetMissing(), 'a host that freezes after login', () => {
  let fleet: SshFleet;
  let home: string;

  beforeAll(async () => {
    // host1 has thousands of sockets: its capture is far more than a pipe holds, so a frozen sshd blocks it
    fleet = await startSshFleet({ hosts: 2, sockets: (i) => (i === 0 ? [{ kind: 'tcp-many', connections: 3000 }] : defaultSockets()) });
    home = mkdtempSync(join(tmpdir(), 'fleetstat-frozen-'));
  }, 90_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  /**
   * Starts a scan and SIGSTOPs host1's sshd session while the collection runs there. On a busy machine
   * the collection may end before the session is found: that try proves nothing, so it is waited out
   * and another is made. Frozen means: the collection was still running once its sshd was stopped
   * (so its exit status cannot have been sent).
   */
  async function scanFrozenMidCollection(deadline: number) {
    for (let attempt = 1; ; attempt += 1) {
      const started = Date.now();
      // one host at a time: host1 (first) alone has a session while its collection runs
      const scan = fleetstatAsync(home, ['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--json', '--command-timeout', String(deadline), '-j', '1']);
      // a loaded runner may take long to log in, or the collection (4 s deadline) may end unseen: then
      // this try proves nothing either, and another is made
      const caught = await collectionUnderWay(fleet, scan, 60_000);
      const sessions = caught ? await sessionProcesses(fleet) : [];
      if (sessions.length > 0) await run('kill', ['-STOP', ...sessions.map(String)]);
      const frozenAt = Date.now();
      if (sessions.length > 0 && (await isCollecting(fleet))) return { scan, started, frozenAt, sessions };
      if (sessions.length > 0) await run('kill', ['-CONT', ...sessions.map(String)]);
      await scan;
      if (attempt === 5) throw new Error('the collection on host1 always ended before its sshd could be frozen');
    }
  }

  test('only its own row, the scan ends at the deadline, the collection ends itself on the host', async () => {
    const deadline = 4;
    const { scan, started, frozenAt, sessions } = await scanFrozenMidCollection(deadline);
    try {
      const { status, stdout } = await scan;
      const elapsed = (Date.now() - started) / 1000;
      const result = JSON.parse(stdout) as ScanResult;
      expect(result.hosts[0]).toMatchObject({ name: 'host1', status: 'timeout' });
      expect(['ok', 'partial']).toContain(result.hosts[1]!.status);
      expect(status).toBe(4);
      // login, then host1's deadline, then host2 (scanned after it), then a small grace: never the minutes a frozen peer could hold it
      expect(elapsed).toBeLessThan(deadline + 10);
      // on the host: nothing of the collection a few seconds past its deadline, its sshd still frozen
      expect(await leftAfter(fleet, 0, Math.max(0, frozenAt + (deadline + 5) * 1000 - Date.now()))).toEqual([]);
    } finally {
      await run('kill', ['-CONT', ...sessions.map(String)]);
    }
  }, 180_000);
});
