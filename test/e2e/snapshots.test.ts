// Acceptance for snapshots on real OpenSSH hosts: `scan --save` then `scan SNAP` prints the same
// bytes in every format; shards 1/3, 2/3, 3/3 merged are the unsharded scan; a snapshot cut in the
// middle of a host reads back every host before the cut.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostScan, ScanResult } from '../../src/model/index.js';
import { fleetstatAsync } from '../helpers/run-cli.js';
import { describeIf } from '../helpers/requirements.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';

/** What two scans of the same hosts share: every socket but the scan's own session's, no times. */
function comparable(result: ScanResult): unknown {
  return result.hosts.map((h: HostScan) => ({
    name: h.name,
    status: h.status,
    hostKey: h.hostKey,
    hostname: h.facts?.hostname,
    sockets: h.sockets.filter((s) => s.collector !== true).map((s) => JSON.stringify(s)).sort(),
  }));
}

describeIf(sshFleetMissing(), 'snapshots of a real fleet', () => {
  let fleet: SshFleet;
  let home: string;
  const run = (args: string[]) => fleetstatAsync(home, args);
  const file = (name: string) => join(home, name);

  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 7 });
    home = mkdtempSync(join(tmpdir(), 'fleetstat-snapshots-'));
  }, 60_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  test.each(['json', 'ndjson', 'csv', 'table'])('scan --save, then scan SNAPSHOT: the same %s, byte for byte', async (format) => {
    const snapshot = file(`saved-${format}.snap.gz`);
    const live = await run(['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--format', format, '--save', snapshot, '-q']);
    expect(live.stderr).not.toMatch(/Error|warning/);
    expect(live.status).toBe(0);
    const again = await run(['scan', snapshot, '--format', format, '-q']);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(live.stdout);
    expect(again.stderr).toBe(live.stderr);
  }, 60_000);

  test('netstat flags apply to a replay as to a live scan', async () => {
    const snapshot = file('flags.snap.gz');
    const live = await run(['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '-tlnp', '--json', '--save', snapshot]);
    const again = await run(['scan', snapshot, '-tlnp', '--json']);
    expect(again.stdout).toBe(live.stdout);
    const result = JSON.parse(again.stdout) as ScanResult;
    expect(result.hosts.every((h) => h.sockets.every((s) => s.proto.startsWith('tcp') && s.state === 'LISTEN'))).toBe(true);
  }, 60_000);

  test('shards 1/3, 2/3 and 3/3, merged, are the unsharded scan', async () => {
    const whole = file('whole.snap.gz');
    const unsharded = await run(['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--json', '--save', whole]);
    expect(unsharded.status).toBe(0);
    const names: string[][] = [];
    for (const k of [1, 2, 3]) {
      const shard = await run(['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--shard', `${k}/3`, '--json', '--save', file(`shard${k}.snap.gz`)]);
      expect(shard.status).toBe(0);
      names.push((JSON.parse(shard.stdout) as ScanResult).hosts.map((h) => h.name));
    }
    // every host in exactly one shard, dealt round-robin over the names sorted
    const sorted = fleet.hosts.map((h) => h.name).sort();
    expect(names).toEqual([0, 1, 2].map((k) => sorted.filter((_, i) => i % 3 === k).sort((a, b) => fleet.hosts.findIndex((h) => h.name === a) - fleet.hosts.findIndex((h) => h.name === b))));

    const merged = file('merged.snap.gz');
    const merge = await run(['merge', file('shard3.snap.gz'), file('shard1.snap.gz'), file('shard2.snap.gz'), '-o', merged]);
    expect(merge.stderr).toBe('');
    expect(merge.status).toBe(0);
    const replayed = await run(['scan', merged, '--json']);
    expect(replayed.status).toBe(0);
    expect(comparable(JSON.parse(replayed.stdout) as ScanResult)).toEqual(comparable(JSON.parse(unsharded.stdout) as ScanResult));

    // a missing shard is refused
    const incomplete = await run(['merge', file('shard1.snap.gz'), file('shard3.snap.gz'), '-o', file('refused.snap.gz')]);
    expect(incomplete.status).toBe(2);
    expect(incomplete.stderr).toMatch(/shard 2\/3/);
  }, 120_000);

  test('a snapshot cut in the middle of a host reads back every host before the cut', async () => {
    const snapshot = file('to-cut.snap.gz');
    const live = await run(['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--json', '--save', snapshot]);
    const full = JSON.parse(live.stdout) as ScanResult;
    const bytes = readFileSync(snapshot);
    expect(statSync(snapshot).size).toBe(bytes.length);
    let sawSome = false;
    for (const fraction of [0.3, 0.5, 0.7, 0.9]) {
      const cut = file(`cut-${fraction}.snap.gz`);
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * fraction)));
      const replay = await run(['scan', cut, '--json']);
      expect(replay.stderr).toMatch(/cut|truncated|incomplete/i);
      const result = JSON.parse(replay.stdout) as ScanResult;
      expect(result.hosts.length).toBeLessThan(full.hosts.length);
      // each host read back is exactly the host the live scan printed
      for (const host of result.hosts) expect(host).toEqual(full.hosts.find((h) => h.name === host.name));
      if (result.hosts.length > 0) sawSome = true;
    }
    expect(sawSome).toBe(true);
  }, 120_000);
});
