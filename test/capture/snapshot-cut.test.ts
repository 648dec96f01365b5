// A snapshot cut anywhere (kill -9, a crash, a full disk) reads back every whole host before the cut
// and says it was cut; hostile or damaged records are refused with the file, record and field.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SnapshotError } from '../../src/capture/snapshot-codec.js';
import { readSnapshot } from '../../src/capture/snapshot-reader.js';
import type { SnapshotHost } from '../../src/model/index.js';
import { scratch } from '../helpers/run-cli.js';
import { header, hostRecord, specs, trailer, writeSnapshot } from './snapshot-records.js';

async function readAll(path: string, maxRecordBytes?: number) {
  const reading = await readSnapshot(path, maxRecordBytes === undefined ? {} : { maxRecordBytes });
  const hosts: SnapshotHost[] = [];
  for await (const h of reading.hosts) hosts.push(h);
  return { hosts, end: reading.end() };
}

/** A small snapshot of hosts that ran (a tiny capture) or failed, and where each gzip member ends. */
async function smallSnapshot(dir: string) {
  const all = specs(4);
  const tiny = { marker: 'FLEETSTATtiny', exec: { stdout: Buffer.from('\nFLEETSTATtiny format \n2\nFLEETSTATtiny rc ok\n\0\xff'), stderr: '', exitCode: 0, signal: null, truncated: false, timedOut: false } };
  const hosts = all.map((spec, i) => {
    const failed = hostRecord(i, spec, null);
    return i % 2 === 0 ? failed : { ...failed, outcome: { kind: 'ran' as const, port: 22, marker: tiny.marker, deadlineMs: 60_000, exec: tiny.exec } };
  });
  const path = join(dir, 'small.snap.gz');
  await writeSnapshot(path, header(all), hosts, trailer(hosts));
  return { path, hosts, bytes: readFileSync(path) };
}

/** Where each gzip member ends: the writer writes one per record, so these are the record boundaries. */
function memberEnds(bytes: Buffer, records: number): number[] {
  // each member begins with gzip's magic and method (1f 8b 08)
  const ends: number[] = [];
  for (let at = 2; at < bytes.length - 1; at++) if (bytes[at] === 0x1f && bytes[at + 1] === 0x8b && bytes[at + 2] === 8) ends.push(at);
  ends.push(bytes.length);
  expect(ends).toHaveLength(records); // no magic inside compressed data in this small file (checked)
  return ends;
}

test('cut at every byte offset: every host whose record was whole before the cut is read back, then "cut"', async () => {
  const { dir } = scratch('snap-cut');
  const { path, hosts, bytes } = await smallSnapshot(dir);
  const ends = memberEnds(bytes, hosts.length + 2); // header, hosts, trailer
  const cutPath = join(dir, 'cut.snap.gz');
  for (let cut = 0; cut < bytes.length; cut++) {
    writeFileSync(cutPath, bytes.subarray(0, cut));
    if (cut < ends[0]!) {
      // the header is not whole: an error that names the file, or (when only gzip's CRC and length
      // are cut off, the line itself whole) the header and then nothing
      const read = await readAll(cutPath).catch((err: unknown) => err);
      if (read instanceof Error) expect(read).toMatchObject({ name: 'SnapshotError', file: cutPath, kind: expect.stringMatching(/^(not-snapshot|bad-record)$/) });
      else expect(read).toMatchObject({ hosts: [], end: { complete: false } });
      continue;
    }
    const whole = ends.slice(1, -1).filter((end) => end <= cut).length; // host members wholly before the cut
    const read = await readAll(cutPath);
    // a record whose JSON line was whole but whose gzip trailer (CRC, length) was cut off may come too
    expect(read.hosts.length).toBeGreaterThanOrEqual(whole);
    expect(read.hosts.length).toBeLessThanOrEqual(Math.min(whole + 1, hosts.length));
    expect(read.hosts.map((h) => h.index)).toEqual(hosts.slice(0, read.hosts.length).map((h) => h.index));
    expect(read.end.complete).toBe(false);
    if (!read.end.complete) expect(read.end.reason).toMatch(new RegExp(`^${cutPath}: (cut|no trailer) after ${read.hosts.length} host records`));
  }
  const full = await readAll(path);
  expect(full.hosts).toHaveLength(hosts.length);
  expect(full.end.complete).toBe(true);
});

/** `bytes` bytes that do not compress, as hex, the same on every run (so that the file's layout is too). */
function noise(seed: number, bytes: number): string {
  const parts: Buffer[] = [];
  let block = createHash('sha256').update(String(seed)).digest();
  for (let n = 0; n < bytes; n += block.length) parts.push((block = createHash('sha256').update(block).digest()));
  return Buffer.concat(parts).subarray(0, bytes).toString('hex');
}

/** A snapshot made of these JSON lines, each its own gzip member as the writer makes them. */
function rawSnapshot(path: string, lines: string[]): string {
  writeFileSync(path, Buffer.concat(lines.map((l) => gzipSync(`${l}\n`))));
  return path;
}

describe('bad records: refused with file, record and field, after every good record before them', () => {
  const all = specs(3);
  const head = JSON.stringify(header(all));
  const host = (i: number, change: (r: Record<string, any>) => void = () => {}) => {
    const r = JSON.parse(JSON.stringify(hostRecord(i, all[i]!, null)));
    change(r);
    return JSON.stringify(r);
  };

  async function failure(lines: string[], maxRecordBytes?: number) {
    const { dir } = scratch('snap-bad');
    const path = rawSnapshot(join(dir, 'bad.snap.gz'), lines);
    const seen: number[] = [];
    try {
      const reading = await readSnapshot(path, maxRecordBytes === undefined ? {} : { maxRecordBytes });
      for await (const h of reading.hosts) seen.push(h.index);
    } catch (err) {
      expect(err).toBeInstanceOf(SnapshotError);
      expect((err as SnapshotError).file).toBe(path);
      return { err: err as SnapshotError, seen };
    }
    throw new Error('no error');
  }

  test('a field of the wrong type names the field', async () => {
    const { err, seen } = await failure([head, host(0), host(1, (r) => (r.spec.groups = ['a', 7]))]);
    expect(seen).toEqual([0]);
    expect(err).toMatchObject({ kind: 'bad-record', record: 3, field: 'spec.groups[1]' });
    expect(err.message).toMatch(/: record 3: spec.groups\[1\]: expected a string, found 7$/);
  });

  test('an index outside the selection', async () => {
    const { err } = await failure([head, host(0, (r) => (r.index = 3))]);
    expect(err).toMatchObject({ kind: 'bad-record', record: 2, field: 'index' });
  });

  test('a line that is not JSON', async () => {
    const { err, seen } = await failure([head, host(0), '{"record":"host",']);
    expect(seen).toEqual([0]);
    expect(err).toMatchObject({ kind: 'bad-record', record: 3, field: '' });
  });

  test('a capture that inflates past the size it declares (a gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(10_000_000)).toString('base64');
    const ran = (r: Record<string, any>) => {
      r.outcome = { kind: 'ran', port: 22, marker: 'M', deadlineMs: 1000, exec: { stdout: { encoding: 'gzip+base64', bytes: 1000, data: bomb }, stderr: '', exitCode: 0, signal: null, truncated: false, timedOut: false } };
    };
    const { err } = await failure([head, host(0, ran)]);
    expect(err).toMatchObject({ kind: 'bad-record', record: 2, field: 'outcome.exec.stdout' });
    expect(err.message).toMatch(/inflates past the 1000 bytes it declares/);
  });

  test('a capture stored in an encoding this version does not know', async () => {
    const { err } = await failure([head, host(0, (r) => (r.outcome = { kind: 'ran', port: 22, marker: 'M', deadlineMs: 1000, exec: { stdout: { encoding: 'zstd', bytes: 1, data: '' } } }))]);
    expect(err).toMatchObject({ kind: 'bad-record', record: 2, field: 'outcome.exec.stdout.encoding' });
  });

  test('a record longer than the bound: too-large, not read into memory whole', async () => {
    const { err, seen } = await failure([head, host(0), host(1, (r) => (r.spec.name = 'x'.repeat(100_000)))], 50_000);
    expect(seen).toEqual([0]);
    expect(err).toMatchObject({ kind: 'too-large', record: 3 });
  });

  test('a host after the trailer, a second header', async () => {
    const end = JSON.stringify(trailer([]));
    expect((await failure([head, end, host(0)])).err).toMatchObject({ kind: 'order', record: 3 });
    expect((await failure([head, head])).err).toMatchObject({ kind: 'order', record: 2 });
  });

  test('a trailer that counts other host records than the file has', async () => {
    const { err } = await failure([head, host(0), JSON.stringify({ ...trailer([]), hosts: 2 })]);
    expect(err).toMatchObject({ kind: 'bad-record', record: 3, field: 'hosts' });
  });

  test('a header line that never ends: refused at 1 MiB, gzip or not', async () => {
    const { dir } = scratch('snap-long-header');
    const endless = `${head.slice(0, -1)},"x":"${'x'.repeat(2 * 1024 * 1024)}`;
    const gz = rawSnapshot(join(dir, 'long.gz'), [endless]);
    await expect(readSnapshot(gz)).rejects.toMatchObject({ kind: 'too-large', record: 1, message: expect.stringMatching(/record 1: its first line is longer than 1048576 bytes, the most a header may have/) });
    const plain = join(dir, 'long.ndjson');
    writeFileSync(plain, endless);
    await expect(readSnapshot(plain)).rejects.toMatchObject({ kind: 'too-large', record: 1 });
  });

  test('headers: another version, a bad field, not a snapshot at all', async () => {
    const { dir } = scratch('snap-bad-header');
    const v2 = rawSnapshot(join(dir, 'v2.gz'), [head.replace('snapshot@1', 'snapshot@2')]);
    await expect(readSnapshot(v2)).rejects.toMatchObject({ kind: 'version', record: 1, field: 'schema', file: v2 });
    const badDigest = rawSnapshot(join(dir, 'digest.gz'), [head.replace(/"digest":"[0-9a-f]+"/, '"digest":"abc"')]);
    await expect(readSnapshot(badDigest)).rejects.toMatchObject({ kind: 'bad-record', record: 1, field: 'inventory.digest' });
    const other = rawSnapshot(join(dir, 'other.gz'), ['{"all":{"hosts":{}}}']);
    await expect(readSnapshot(other)).rejects.toMatchObject({ kind: 'not-snapshot', record: 0, message: `${other}: is not a fleetstat snapshot (it does not start with a snapshot header)` });
    await expect(readSnapshot(join(dir, 'missing'))).rejects.toMatchObject({ kind: 'unreadable', message: `${join(dir, 'missing')}: cannot be read: no such file` });
  });
});

test('damage in the middle: read as damaged; every record 16 KiB or more before the damage is kept', async () => {
  const { dir } = scratch('snap-garbage');
  const all = specs(6);
  // records of ~40 KiB that do not compress, so that they span several of the reader's 16 KiB chunks
  const hosts = all.map((spec, i) => hostRecord(i, { ...spec, groups: [noise(i, 20_000)] }, null));
  const path = join(dir, 'big.snap.gz');
  await writeSnapshot(path, header(all), hosts, trailer(hosts));
  const bytes = readFileSync(path);
  const ends = memberEnds(bytes, hosts.length + 2);
  const damageAt = ends[4]! + 100; // inside host 4's member
  const damaged = Buffer.from(bytes);
  for (let i = damageAt; i < damageAt + 64; i++) damaged[i] = 0xff;
  writeFileSync(path, damaged);
  const read = await readAll(path);
  const safe = ends.slice(1, -1).filter((end) => end <= damageAt - 16 * 1024).length;
  expect(safe).toBeGreaterThanOrEqual(2);
  expect(read.hosts.length).toBeGreaterThanOrEqual(safe);
  expect(read.hosts.map((h) => h.index)).toEqual(hosts.slice(0, read.hosts.length).map((h) => h.index));
  expect(read.end).toEqual({ complete: false, reason: expect.stringMatching(new RegExp(`cut after ${read.hosts.length} host records: the gzip data is damaged`)) });
});

test('a file damaged before the end of its header: an error saying so, not "not a snapshot"', async () => {
  const { dir } = scratch('snap-damaged-header');
  const path = rawSnapshot(join(dir, 'd.gz'), [JSON.stringify(header(specs(1)))]);
  const bytes = readFileSync(path);
  bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff; // its gzip length field
  writeFileSync(path, bytes);
  await expect(readSnapshot(path)).rejects.toMatchObject({ kind: 'bad-record', record: 1, message: expect.stringMatching(/the gzip data is damaged/) });
});
