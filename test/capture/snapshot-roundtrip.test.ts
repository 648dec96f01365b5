// The snapshot writer and reader together, on real captures: what is written reads back the same,
// every record the writer writes fits the schema, and a snapshot is told from other files by content.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { isSnapshotFile, readSnapshot } from '../../src/capture/snapshot-reader.js';
import { openSnapshotWriter } from '../../src/capture/snapshot-writer.js';
import type { SnapshotHost } from '../../src/model/index.js';
import { schemaErrors } from '../helpers/schema.js';
import { localInventory, scratch } from '../helpers/run-cli.js';
import { asJson, captureHere, header, hostRecord, specs, trailer, writeSnapshot, type RealCapture } from './snapshot-records.js';

let capture: RealCapture;
beforeAll(async () => {
  capture = await captureHere();
});

async function readAll(path: string) {
  const reading = await readSnapshot(path);
  const hosts: SnapshotHost[] = [];
  for await (const h of reading.hosts) hosts.push(h);
  return { header: reading.header, hosts, end: reading.end() };
}

test('hosts written with their real captures read back the same, capture bytes included', async () => {
  const { dir } = scratch('snap-rt');
  const all = specs(3);
  const hosts = [hostRecord(2, all[2]!, capture), hostRecord(0, all[0]!, null), hostRecord(1, all[1]!, capture)];
  expect(hosts[0]!.result.sockets.length).toBeGreaterThan(0);
  const path = join(dir, 'scan.snap.gz');
  await writeSnapshot(path, header(all), hosts, trailer(hosts));

  const read = await readAll(path);
  expect(read.header).toEqual(header(all));
  expect(read.hosts.map((h) => h.index)).toEqual([2, 0, 1]); // the order they ended in
  for (const [i, h] of read.hosts.entries()) {
    const written = hosts[i]!;
    if (written.outcome.kind === 'ran') {
      expect(h.outcome.kind).toBe('ran');
      if (h.outcome.kind === 'ran') expect(Buffer.compare(h.outcome.exec.stdout, written.outcome.exec.stdout)).toBe(0);
    }
    expect(asJson({ ...h, outcome: null })).toEqual(asJson({ ...written, outcome: null }));
  }
  expect(read.end).toEqual({ complete: true, trailer: trailer(hosts) });
});

test('every record the writer writes is valid against schema/snapshot-v1.schema.json', async () => {
  const { dir } = scratch('snap-schema');
  const all = specs(4);
  const interrupted: SnapshotHost = {
    ...hostRecord(3, all[3]!, null),
    outcome: { kind: 'interrupted', port: 22, started: false, message: 'the scan was stopped before this host started' },
  };
  interrupted.result = { ...interrupted.result, status: 'interrupted', error: { kind: 'interrupted', message: 'stopped' } };
  const notContacted: SnapshotHost = { ...hostRecord(2, { ...all[2]!, notContactedBecause: 'hosts.yml:3:5: ansible_connection docker' }, null), outcome: { kind: 'not-contacted', port: 22, status: 'config', message: 'docker' } };
  const hosts = [hostRecord(0, all[0]!, capture), hostRecord(1, all[1]!, null), notContacted, interrupted];
  const path = join(dir, 'scan.snap.gz');
  await writeSnapshot(path, header(all, { index: 1, total: 1 }), hosts, trailer(hosts, undefined, true));

  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(6);
  for (const line of lines) expect(schemaErrors(JSON.parse(line), 'snapshot')).toEqual([]);
  // and the schema is no rubber stamp: a stored capture must say how it is encoded
  const host = JSON.parse(lines[1]!);
  host.outcome.exec.stdout.encoding = 'base64';
  expect(schemaErrors(host, 'snapshot').length).toBeGreaterThan(0);
});

test('host() calls made at once are all written, in call order', async () => {
  const { dir } = scratch('snap-order');
  const all = specs(20);
  const path = join(dir, 'scan.snap.gz');
  const writer = await openSnapshotWriter(path);
  await writer.header(header(all));
  const hosts = all.map((spec, i) => hostRecord(i, spec, i % 5 === 0 ? capture : null));
  await Promise.all(hosts.map((h) => writer.host(h)));
  await writer.trailer(trailer(hosts));
  await writer.close();
  const read = await readAll(path);
  expect(read.hosts.map((h) => h.index)).toEqual(all.map((_, i) => i));
  expect(read.end.complete).toBe(true);
});

test('a record that cannot be encoded fails its own call only; the file goes on without it', async () => {
  const { dir } = scratch('snap-bad-encode');
  const all = specs(3);
  const path = join(dir, 'scan.snap.gz');
  const writer = await openSnapshotWriter(path);
  await writer.header(header(all));
  await writer.host(hostRecord(0, all[0]!, null));
  const unencodable = { ...hostRecord(1, all[1]!, null), startedAt: 1n as unknown as string }; // JSON.stringify throws on a BigInt
  await expect(writer.host(unencodable)).rejects.toThrow(/BigInt/);
  await writer.host(hostRecord(2, all[2]!, null));
  await writer.close();
  const read = await readAll(path);
  expect(read.hosts.map((h) => h.index)).toEqual([0, 2]);
  expect(read.end).toEqual({ complete: false, reason: expect.stringMatching(/no trailer after 2 host records/) });
});

test('records out of place are refused by the writer', async () => {
  const { dir } = scratch('snap-writer-order');
  const writer = await openSnapshotWriter(join(dir, 's.gz'));
  await expect(writer.host(hostRecord(0, specs(1)[0]!, null))).rejects.toThrow(/host record cannot come now \(expecting header\)/);
  await writer.close();
});

describe('isSnapshotFile tells a snapshot by its content, never its name', () => {
  test('a snapshot, gzip or decompressed, under any name', async () => {
    const { dir } = scratch('snap-detect');
    const all = specs(1);
    const path = join(dir, 'hosts.yml');
    await writeSnapshot(path, header(all), [hostRecord(0, all[0]!, null)], null);
    expect(isSnapshotFile(path)).toBe(true);
    const plain = join(dir, 'inventory');
    writeFileSync(plain, gunzipSync(readFileSync(path)));
    expect(isSnapshotFile(plain)).toBe(true);
    expect((await readAll(plain)).hosts).toHaveLength(1);
  });

  test('not an inventory, other gzip, a directory, a FIFO, a missing file', () => {
    const { dir, file } = scratch('snap-detect-not');
    expect(isSnapshotFile(localInventory)).toBe(false);
    const named = join(dir, 'scan.snap.gz');
    writeFileSync(named, gzipSync('all:\n  hosts:\n    a:\n'));
    expect(isSnapshotFile(named)).toBe(false);
    expect(isSnapshotFile(file('inventory.json', '{"record":"host","schema":"fleetstat/snapshot@1"}\n'))).toBe(false);
    mkdirSync(join(dir, 'd'));
    expect(isSnapshotFile(join(dir, 'd'))).toBe(false);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(isSnapshotFile(join(dir, 'fifo'))).toBe(false); // would block if it were opened for reading
    expect(isSnapshotFile(join(dir, 'missing'))).toBe(false);
  });
});
