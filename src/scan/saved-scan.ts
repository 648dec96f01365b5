// A scan taken before, as hosts: a snapshot (its captures parsed with today's parsers, as `scan SNAP`
// does) or a `fleetstat/scan@1` JSON document. What `diff` (and later `drift`, `check`) read.
import type { HostScan, ScanResult } from '../model/index.js';
import { isSnapshotFile, readSnapshot } from '../capture/snapshot-reader.js';
import { CliFailure } from '../cli/failure.js';
import { readInputText } from '../local/input-file.js';
import { LocalResourceError } from '../local/resource-error.js';
import type { ServiceTable } from '../merge/services.js';
import { hostFromOutcome } from './host.js';

export interface SavedScan {
  source: string;
  startedAt: string;
  /** inventory digest, when the input says (snapshots do) */
  inventoryDigest: string | null;
  /** every host, once, in no particular order */
  hosts: AsyncIterable<HostScan>;
}

export async function readSavedScan(path: string, services: ServiceTable, command: string): Promise<SavedScan> {
  const refuse = (message: string, issue: string) => new CliFailure('input', `${path}: ${message}`, { file: path, issue }, command);
  if (isSnapshotFile(path)) {
    const snapshot = await readSnapshot(path);
    async function* hosts(): AsyncGenerator<HostScan> {
      for await (const record of snapshot.hosts) yield hostFromOutcome(record.spec, record.outcome, services);
    }
    return { source: path, startedAt: snapshot.header.startedAt, inventoryDigest: snapshot.header.inventory.digest, hosts: hosts() };
  }
  let text: string;
  try {
    text = readInputText(path, 'scan-json');
  } catch (err) {
    if (err instanceof LocalResourceError) throw err;
    throw refuse(`cannot read it: ${(err as Error).message}`, 'unreadable');
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw refuse(`neither a snapshot nor a scan JSON document (${(err as Error).message})`, 'not-a-scan');
  }
  const scan = document as Partial<ScanResult> | null;
  if (scan === null || typeof scan !== 'object' || scan.schema !== 'fleetstat/scan@1' || !Array.isArray(scan.hosts)) {
    throw refuse('not a fleetstat/scan@1 document (scan --json) nor a snapshot (scan --save)', 'not-a-scan');
  }
  const all = scan.hosts;
  async function* hosts(): AsyncGenerator<HostScan> {
    yield* all;
  }
  return { source: path, startedAt: typeof scan.startedAt === 'string' ? scan.startedAt : '', inventoryDigest: null, hosts: hosts() };
}
