// `fleetstat merge`: shard snapshots made into the snapshot of the whole scan, and every refusal
// one line, exit 2, naming what is wrong (the error document's `issue`).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSnapshot } from '../../src/capture/snapshot-reader.js';
import { shardHosts } from '../../src/inventory/shard.js';
import type { HostSpec, Shard, SnapshotHost } from '../../src/model/index.js';
import { fleetstat, localInventory, scratch } from '../helpers/run-cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { asJson, captureHere, header, hostRecord, specs, trailer, writeSnapshot, type RealCapture } from '../capture/snapshot-records.js';

let capture: RealCapture;
const all = specs(7);
beforeAll(async () => {
  capture = await captureHere();
});

/** What host `index` ended with, the same in every scan of these tests. */
const recordOf = (index: number, spec: HostSpec) => hostRecord(index, spec, index % 3 === 0 ? capture : null);

async function shardFile(dir: string, shard: Shard, options: { hosts?: HostSpec[]; cut?: boolean; extra?: SnapshotHost[]; startedAt?: string; finishedAt?: string } = {}) {
  const selection = options.hosts ?? all;
  const records = [...shardHosts(selection, shard).map(({ index, spec }) => recordOf(index, spec)), ...(options.extra ?? [])].reverse(); // ended in any order
  const path = join(dir, `shard-${shard.index}-of-${shard.total}.snap.gz`);
  await writeSnapshot(path, header(selection, shard, options.startedAt), records, options.cut ? null : trailer(records, options.finishedAt));
  return path;
}

async function readAll(path: string) {
  const reading = await readSnapshot(path);
  const hosts: SnapshotHost[] = [];
  for await (const h of reading.hosts) hosts.push(h);
  return { header: reading.header, hosts, end: reading.end() };
}

const hostsByIndex = (hosts: SnapshotHost[]) => asJson([...hosts].sort((a, b) => a.index - b.index).map((h) => ({ ...h, outcome: h.outcome.kind === 'ran' ? { ...h.outcome, exec: { ...h.outcome.exec, stdout: h.outcome.exec.stdout.toString('base64') } } : h.outcome })));

test('shards 1/3, 2/3, 3/3 merged: the hosts of the unsharded scan, earliest start, latest end, counts summed', async () => {
  const { dir } = scratch('merge-ok');
  const paths = [
    await shardFile(dir, { index: 2, total: 3 }, { startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:03:00.000Z' }),
    await shardFile(dir, { index: 3, total: 3 }, { startedAt: '2025-12-31T23:59:00.000Z', finishedAt: '2026-01-01T00:02:00.000Z' }),
    await shardFile(dir, { index: 1, total: 3 }, { startedAt: '2026-01-01T00:00:30.000+01:00', finishedAt: '2026-01-01T00:05:00.000Z' }),
  ];
  const unsharded = all.map((spec, i) => recordOf(i, spec));
  const out = join(dir, 'all.snap.gz');
  const run = fleetstat(['merge', ...paths, '-o', out, '--json']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ output: out, shards: 3, hosts: 7, statuses: trailer(unsharded).statuses, complete: true });

  const merged = await readAll(out);
  // 00:00:30+01:00 is 23:00:30Z the day before: the earliest, though not as a string
  expect(merged.header).toEqual({ ...header(all), startedAt: '2026-01-01T00:00:30.000+01:00', shard: null });
  expect(hostsByIndex(merged.hosts)).toEqual(hostsByIndex(unsharded));
  expect(merged.end).toEqual({ complete: true, trailer: { ...trailer(unsharded), finishedAt: '2026-01-01T00:05:00.000Z' } });
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

describe('refusals: one line, exit 2, the kind of fault, and no -o written', () => {
  function refused(args: string[], issue: string, message: RegExp) {
    const { dir } = scratch('merge-out');
    const out = join(dir, 'all.snap.gz');
    const run = fleetstat(['merge', ...args, '-o', out, '--json']);
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    const doc = JSON.parse(run.stdout);
    expect(schemaErrors(doc, 'error')).toEqual([]);
    expect(doc.error).toMatchObject({ kind: 'input', exitCode: 2, issue });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]); // no temporary file left either
    return doc.error;
  }

  test('a shard of another inventory (digest)', async () => {
    const { dir } = scratch('merge-mixed');
    const other = await shardFile(join(dir), { index: 2, total: 2 }, { hosts: specs(7, 'db') });
    const error = refused([await shardFile(dir, { index: 1, total: 2 }), other], 'other-inventory', /is a scan of another inventory than .*shard-1-of-2/);
    expect(error.file).toBe(other);
  });

  test('a missing shard', async () => {
    const { dir } = scratch('merge-missing');
    const out = join(dir, 'all.snap.gz');
    const run = fleetstat(['merge', await shardFile(dir, { index: 1, total: 3 }), await shardFile(dir, { index: 3, total: 3 }), '-o', out, '--json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('fleetstat: shard 2/3 missing: give all 3 shards of the scan\n');
    expect(schemaErrors(JSON.parse(run.stdout), 'error')).toEqual([]);
    expect(JSON.parse(run.stdout).error).toMatchObject({ kind: 'usage', command: 'merge' });
    expect(existsSync(out)).toBe(false);
  });

  test('a shard given twice', async () => {
    const { dir } = scratch('merge-twice');
    const one = await shardFile(dir, { index: 1, total: 2 });
    refused([one, await shardFile(dir, { index: 2, total: 2 }), one], 'duplicate-shard', /shard 1\/2 is given twice/);
  });

  test('shards of different totals', async () => {
    const { dir } = scratch('merge-totals');
    refused([await shardFile(dir, { index: 1, total: 2 }), await shardFile(dir, { index: 2, total: 3 })], 'other-total', /is shard 2\/3, but .* is one of 2/);
  });

  test('a host in two shards', async () => {
    const { dir } = scratch('merge-dup-host');
    const stray = recordOf(0, all[0]!); // host 0 is dealt to shard 1
    expect(shardHosts(all, { index: 2, total: 2 }).map((h) => h.index)).not.toContain(0);
    const two = await shardFile(dir, { index: 2, total: 2 }, { extra: [stray] });
    const error = refused([await shardFile(dir, { index: 1, total: 2 }), two], 'duplicate-host', /host host00 \(index 0\) is also in .*shard-1-of-2/);
    expect(error.file).toBe(two);
  });

  test('a shard whose snapshot was cut, unless --allow-incomplete', async () => {
    const { dir } = scratch('merge-cut');
    const paths = [await shardFile(dir, { index: 1, total: 2 }), await shardFile(dir, { index: 2, total: 2 }, { cut: true })];
    refused(paths, 'incomplete-shard', /shard-2-of-2.snap.gz: no trailer after 3 host records.*give --allow-incomplete/);

    const out = join(dir, 'all.snap.gz');
    const run = fleetstat(['merge', ...paths, '-o', out, '--allow-incomplete']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^fleetstat: warning: .*shard-2-of-2.snap.gz: no trailer after 3 host records.*merged without its missing hosts/);
    const merged = await readAll(out);
    expect(merged.hosts).toHaveLength(7); // every host, but the file of shard 2 never said it was done
    expect(merged.end).toMatchObject({ complete: true, trailer: { hosts: 7, interrupted: true } });
  });

  test('a snapshot saved without --shard, and an inventory given for a snapshot', async () => {
    const { dir } = scratch('merge-not-shard');
    const whole = join(dir, 'whole.snap.gz');
    await writeSnapshot(whole, header(all), [], trailer([]));
    refused([whole], 'not-a-shard', /whole.snap.gz: is not a shard/);
    refused([localInventory], 'not-snapshot', /local.yml: is not a fleetstat snapshot/);
  });

  test('a shard with a bad record: the file, the record (its line) and the field', async () => {
    const { dir } = scratch('merge-bad-record');
    const path = join(dir, 'bad.snap.gz');
    const bad = { ...recordOf(1, all[1]!), finishedAt: 'yesterday' };
    await writeSnapshot(path, header(all, { index: 1, total: 1 }), [recordOf(0, all[0]!), bad], null);
    const error = refused([path], 'bad-record', /bad.snap.gz: record 3: finishedAt: "yesterday" is not of the form/);
    expect(error).toMatchObject({ file: path, line: 3 });
  });

  test('shards that do not hold their whole selection', async () => {
    const { dir } = scratch('merge-short');
    const path = join(dir, 'short.snap.gz');
    await writeSnapshot(path, header(all, { index: 1, total: 1 }), [recordOf(0, all[0]!)], trailer([recordOf(0, all[0]!)]));
    refused([path], 'missing-hosts', /short.snap.gz: holds 1 hosts, but shard 1\/1 of a selection of 7 has 7/);
  });
});

test('an -o that cannot be written: exit 16, one line', async () => {
  const { dir } = scratch('merge-unwritable');
  const one = await shardFile(dir, { index: 1, total: 1 });
  const run = fleetstat(['merge', one, '-o', join(dir, 'no-such-dir', 'all.snap.gz')]);
  expect(run.status).toBe(16);
  expect(run.stderr).toMatch(/^fleetstat: cannot write .*no-such-dir\/all.snap.gz: ENOENT/);
});
