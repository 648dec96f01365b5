// Acceptance for drift on real OpenSSH hosts: `diff` of scans taken before and after one listener is
// started reports exactly that listener; restarting it (new pid, new inode) reports nothing; the
// scanner's own session (new on every scan) never appears.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiffResult } from '../../src/model/diff.js';
import { fleetstatAsync } from '../helpers/run-cli.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';

const PORT = 7777;
// a listener that stays after the command that started it has returned (the host's init keeps it)
const LISTENER = `import socket, time\ns = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(("0.0.0.0", ${PORT})); s.listen(8)\ntime.sleep(600)\n`;

describeIf([...sshFleetMissing(), ...(hasCommand('python3') ? [] : ['python3'])], 'diff on an SSH fleet', () => {
  let fleet: SshFleet;
  let home: string;
  const snap = (name: string) => join(home, `${name}.snap.gz`);
  const scan = async (name: string) => {
    const run = await fleetstatAsync(home, ['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--save', snap(name), '-q', '-o', '/dev/null']);
    expect(run.status).toBe(0);
  };
  const diff = async (a: string, b: string) => {
    const run = await fleetstatAsync(home, ['diff', snap(a), snap(b), '--json']);
    return { status: run.status, result: JSON.parse(run.stdout) as DiffResult };
  };
  const startListener = async () => {
    const started = await fleet.runInside(0, ['sh', '-c', `python3 -c '${LISTENER}' >/dev/null 2>&1 & for i in $(seq 50); do ss -tlnH "sport = :${PORT}" | grep -q . && exit 0; sleep 0.1; done; exit 1`]);
    expect(started.status).toBe(0);
  };
  /** stops it, and says whether the port is free again (so that a start after it is a new process) */
  const stopListener = async () =>
    (await fleet.runInside(0, ['sh', '-c', `pkill -f 'bind\\(\\("0.0.0.0", ${PORT}\\)\\)'; for i in $(seq 50); do ss -tlnH "sport = :${PORT}" | grep -q . || exit 0; sleep 0.1; done; exit 1`])).status;

  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 3 });
    home = mkdtempSync(join(tmpdir(), 'fleetstat-diff-'));
  }, 90_000);
  afterAll(async () => {
    await stopListener().catch(() => {});
    await fleet?.stop();
  });

  test('one listener started: exactly it, on its host; restarted: nothing; the same fleet twice: nothing', async () => {
    await scan('before');
    await scan('again');
    expect(await diff('before', 'again')).toMatchObject({ status: 0, result: { hosts: [] } });

    await startListener();
    await scan('started');
    const started = await diff('before', 'started');
    expect(started.status).toBe(1);
    expect(started.result.hosts.map((h) => [h.name, h.kind, h.removed.length, h.changed.length])).toEqual([['host1', 'compared', 0, 0]]);
    expect(started.result.hosts[0]!.added).toEqual([
      { listener: { netns: null, proto: 'tcp', family: 'inet', port: PORT, path: null }, before: null, after: { address: '0.0.0.0', owners: [{ process: 'python3', user: 'root' }] } },
    ]);

    // a restart: new pid, new inode, same listener
    expect(await stopListener()).toBe(0);
    await startListener();
    await scan('restarted');
    expect(await diff('started', 'restarted')).toMatchObject({ status: 0, result: { hosts: [], summary: { hostsCompared: 3, hostsWithDrift: 0 } } });

    // scan --baseline: the same comparison in one go, against the fleet as it is now
    const baseline = async (old: string) => {
      const run = await fleetstatAsync(home, ['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--baseline', snap(old), '--json', '-q']);
      return { status: run.status, result: JSON.parse(run.stdout) as DiffResult };
    };
    const live = await baseline('before');
    expect(live.status).toBe(1);
    expect(live.result.hosts.map((h) => [h.name, h.added.map((c) => c.listener.port), h.removed.length, h.changed.length])).toEqual([['host1', [PORT], 0, 0]]);
    expect(await baseline('restarted')).toMatchObject({ status: 0, result: { schema: 'fleetstat/diff@1', hosts: [], summary: { hostsCompared: 3 } } });
  }, 120_000);
});
