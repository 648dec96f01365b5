// Writes, then reads back, a snapshot of HOSTS hosts of SOCKETS sockets each (default 60 × 10,000),
// in one process, and prints what it took: time, file size, peak RSS. Run by snapshot.bench.ts on the
// build (dist/); the hosts are the parsed root-zoo fixture, its sockets repeated to SOCKETS and its
// capture bytes repeated in proportion (the snapshot code never parses them).
import { readFileSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const dist = new URL('../dist/', import.meta.url);
const { openSnapshotWriter } = await import(new URL('capture/snapshot-writer.js', dist).href);
const { readSnapshot } = await import(new URL('capture/snapshot-reader.js', dist).href);
const { splitCapture } = await import(new URL('capture/split.js', dist).href);
const { buildHostView } = await import(new URL('merge/host-view.js', dist).href);
const { bundledServices } = await import(new URL('merge/services.js', dist).href);
const { scannedHost } = await import(new URL('result/host-result.js', dist).href);
const { inventoryDigest } = await import(new URL('inventory/shard.js', dist).href);

const HOSTS = Number(process.argv[2] ?? 60);
const SOCKETS = Number(process.argv[3] ?? 10_000);
const fixture = readFileSync(new URL('../fixtures/captures/root-zoo/capture.out', import.meta.url));
const firstLine = fixture.subarray(0, fixture.indexOf(10)).toString();
const capture = fixture.subarray(firstLine.length);
const marker = firstLine.replace(/^marker /, '');
const view = buildHostView(splitCapture(capture, marker), bundledServices());
const times = Math.ceil(SOCKETS / view.sockets.length);
const sockets = Array.from({ length: SOCKETS }, (_, i) => view.sockets[i % view.sockets.length]);
const stdout = Buffer.concat(Array.from({ length: times }, () => capture));
const specs = Array.from({ length: HOSTS }, (_, i) => ({ name: `host${i}`, address: `127.0.0.${i + 1}`, groups: [], connection: 'ssh', become: false }));

const dir = mkdtempSync(join(tmpdir(), 'fleetstat-snapbench-'));
const path = join(dir, 'big.snap.gz');
const t0 = performance.now();
const writer = await openSnapshotWriter(path);
await writer.header({ record: 'header', schema: 'fleetstat/snapshot@1', tool: { name: 'fleetstat', version: '0.1.0' }, captureFormat: 2, startedAt: new Date().toISOString(), inventory: { source: 'bench', digest: inventoryDigest(specs), hosts: HOSTS }, shard: null, options: {} });
for (const [index, spec] of specs.entries()) {
  const result = { ...scannedHost(spec, { port: 22 }, view), sockets };
  await writer.host({ record: 'host', index, spec, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), outcome: { kind: 'ran', port: 22, marker, deadlineMs: 60_000, exec: { stdout, stderr: '', exitCode: 0, signal: null, truncated: false, timedOut: false } }, result });
}
await writer.trailer({ record: 'trailer', finishedAt: new Date().toISOString(), hosts: HOSTS, statuses: { ok: HOSTS }, interrupted: false });
await writer.close();
const t1 = performance.now();
const rssAfterWrite = process.resourceUsage().maxRSS;
const reading = await readSnapshot(path);
let read = 0;
let readSockets = 0;
for await (const host of reading.hosts) {
  read += 1;
  readSockets += host.result.sockets.length;
}
const t2 = performance.now();
const end = reading.end();
console.log(JSON.stringify({
  hosts: HOSTS, socketsPerHost: SOCKETS, captureBytesPerHost: stdout.length, fileBytes: statSync(path).size,
  writeSeconds: +((t1 - t0) / 1000).toFixed(2), readSeconds: +((t2 - t1) / 1000).toFixed(2),
  peakRssMiBAfterWrite: Math.round(rssAfterWrite / 1024), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  readBack: { hosts: read, sockets: readSockets, complete: end.complete },
}));
