// Snapshot records for tests, made of real captures: the collection run here with the local
// transport, split, parsed and merged as a scan does it.
import { readCaptureBytes } from '../helpers/capture-file.js';
import { scriptInput, newMarker, REMOTE_COMMAND } from '../../src/capture/script.js';
import { splitCapture } from '../../src/capture/split.js';
import { openSnapshotWriter } from '../../src/capture/snapshot-writer.js';
import { inventoryDigest } from '../../src/inventory/shard.js';
import { buildHostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import type { ExecResult, HostSpec, Shard, SnapshotHeader, SnapshotHost, SnapshotTrailer } from '../../src/model/index.js';
import { failedHost, scannedHost } from '../../src/result/host-result.js';
import { localTransport } from '../../src/transport/local.js';

export interface RealCapture {
  marker: string;
  exec: ExecResult;
}

/** The collection, run once on this machine. */
export async function captureHere(): Promise<RealCapture> {
  const marker = newMarker();
  const transport = localTransport();
  const exec = await transport.exec(REMOTE_COMMAND, scriptInput(marker), { deadlineMs: 60_000, maxBytes: 64 * 1024 * 1024 });
  await transport.close();
  return { marker, exec };
}

/** A capture saved by scripts/capture-fixture.sh, as the exec that returned it: the same on every machine. */
export function captureFromFixture(url: URL): RealCapture {
  const { marker, stdout } = readCaptureBytes(url);
  const exec: ExecResult = { stdout, stderr: '', exitCode: 0, signal: null, truncated: false, timedOut: false };
  return { marker, exec };
}

export function specs(count: number, prefix = 'host'): HostSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}${String(i).padStart(2, '0')}`,
    address: `127.0.0.${i + 1}`,
    groups: i % 2 === 0 ? ['even'] : ['odd'],
    connection: 'ssh',
    become: false,
  }));
}

export function header(hosts: HostSpec[], shard: Shard | null = null, startedAt = '2026-01-01T00:00:00.000Z'): SnapshotHeader {
  return {
    record: 'header',
    schema: 'fleetstat/snapshot@1',
    tool: { name: 'fleetstat', version: '0.1.0' },
    captureFormat: 2,
    startedAt,
    inventory: { source: 'hosts.yml', digest: inventoryDigest(hosts), hosts: hosts.length },
    shard,
    options: { commandTimeout: 60, maxBytes: 67108864, sudo: false, limit: null },
  };
}

/** A host record that ran the real collection (`capture`), or failed when there is none. */
export function hostRecord(index: number, spec: HostSpec, capture: RealCapture | null): SnapshotHost {
  const times = { startedAt: '2026-01-01T00:00:01.000Z', finishedAt: '2026-01-01T00:00:02.500Z' };
  if (capture === null) {
    const message = 'connection refused';
    return { record: 'host', index, spec, ...times, outcome: { kind: 'failed', port: 22, status: 'unreachable', message }, result: failedHost(spec, { port: 22 }, 'unreachable', message) };
  }
  const hostKey = { type: 'ssh-ed25519', fingerprint: 'SHA256:' + 'A'.repeat(43), check: 'known' as const };
  const view = buildHostView(splitCapture(capture.exec.stdout, capture.marker), bundledServices());
  return {
    record: 'host',
    index,
    spec,
    ...times,
    outcome: { kind: 'ran', port: 22, hostKey, marker: capture.marker, deadlineMs: 60_000, exec: capture.exec },
    result: scannedHost(spec, { port: 22, hostKey }, view),
  };
}

export function trailer(hosts: SnapshotHost[], finishedAt = '2026-01-01T00:01:00.000Z', interrupted = false): SnapshotTrailer {
  const statuses: Record<string, number> = {};
  for (const h of hosts) statuses[h.result.status] = (statuses[h.result.status] ?? 0) + 1;
  return { record: 'trailer', finishedAt, hosts: hosts.length, statuses, interrupted };
}

export async function writeSnapshot(path: string, head: SnapshotHeader, hosts: SnapshotHost[], end: SnapshotTrailer | null): Promise<void> {
  const writer = await openSnapshotWriter(path);
  await writer.header(head);
  for (const h of hosts) await writer.host(h);
  if (end) await writer.trailer(end);
  await writer.close();
}

/** A value as it comes back from JSON (undefined fields gone), to compare with what was read. */
export const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
