// The on-disk encoding of `fleetstat/snapshot@1` (schema/snapshot-v1.schema.json), shared by the
// writer and the reader:
// - the file is gzip: one gzip member per record, so a file cut anywhere (crash, kill -9, disk full)
//   still decodes to every record whose member came before the cut (RFC 1952 allows many members;
//   gzip -d, zcat and Node read them as one stream);
// - inside, one JSON record per line: the header, one per host, the trailer;
// - a host's captured stdout (a Buffer in memory) is kept as {"encoding":"gzip+base64","bytes":N,"data":…}:
//   base64 because a capture is bytes, not UTF-8 text (cmdlines hold NULs, names any byte), and gzip
//   under it because base64 alone grows it by a third and hides its repetitions from the outer gzip.
import { constants as bufferLimits } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { SnapshotHost, SnapshotRecord } from '../model/index.js';

export const SNAPSHOT_SCHEMA = 'fleetstat/snapshot@1';
/** What every snapshot's first line starts with, whatever its version (the writer puts these keys first). */
export const HEADER_PREFIX = '{"record":"header","schema":"fleetstat/snapshot@';
export const STDOUT_ENCODING = 'gzip+base64';
/** The most bytes a saved capture may have: --max-bytes' own ceiling (a capture is read as one string). */
export const MAX_CAPTURE_BYTES = bufferLimits.MAX_STRING_LENGTH;
/** The longest record line read: the most one string (hence JSON.parse) can hold. */
export const MAX_RECORD_BYTES = bufferLimits.MAX_STRING_LENGTH;
/** The header is small (options, a path, a digest): anything longer is not one. */
export const MAX_HEADER_BYTES = 1024 * 1024;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export type SnapshotErrorKind =
  | 'unreadable' // cannot be opened or read (missing, permission, not a regular file)
  | 'not-snapshot' // no snapshot header: some other file
  | 'version' // a snapshot of a schema this fleetstat does not read
  | 'bad-record' // a record that is not JSON, or lacks or mistypes a field
  | 'too-large' // a record longer than the reader's bound
  | 'order'; // a record where it cannot be: a second header, a host after the trailer

/** One line: `file: record N: field: what` (record 0: the file as a whole). */
export class SnapshotError extends Error {
  constructor(
    readonly file: string,
    /** 1-based: the record's line in the decompressed stream; 0 for the file as a whole */
    readonly record: number,
    readonly field: string,
    readonly detail: string,
    readonly kind: SnapshotErrorKind,
  ) {
    super(`${file}: ${record > 0 ? `record ${record}: ` : ''}${field ? `${field}: ` : ''}${detail}`);
    this.name = 'SnapshotError';
  }
}

/** A stored capture, as a host record's `outcome.exec.stdout` holds it on disk. */
export interface StoredBytes {
  encoding: typeof STDOUT_ENCODING;
  /** the capture's length before compression */
  bytes: number;
  data: string;
}

/** One record as one gzip member holding its JSON line. */
export async function encodeRecord(record: SnapshotRecord): Promise<Buffer> {
  const line = record.record === 'host' ? await hostLine(record) : JSON.stringify(inHeaderOrder(record));
  return gzipAsync(Buffer.from(`${line}\n`, 'utf8'));
}

/** Puts `record` then `schema` first, so that a header is recognised by its first bytes (isSnapshotFile). */
function inHeaderOrder(record: SnapshotRecord): SnapshotRecord {
  if (record.record !== 'header') return record;
  const { record: kind, schema, ...rest } = record;
  return { record: kind, schema, ...rest };
}

async function hostLine(record: SnapshotHost): Promise<string> {
  const { outcome } = record;
  if (outcome.kind !== 'ran') return JSON.stringify(record);
  const stdout = outcome.exec.stdout;
  const stored: StoredBytes = { encoding: STDOUT_ENCODING, bytes: stdout.length, data: (await gzipAsync(stdout)).toString('base64') };
  return JSON.stringify({ ...record, outcome: { ...outcome, exec: { ...outcome.exec, stdout: stored } } });
}

/** The capture a StoredBytes holds, never inflating past the length it declares. */
export async function decodeStoredBytes(stored: StoredBytes): Promise<Buffer> {
  if (stored.bytes === 0) return Buffer.alloc(0);
  let bytes: Buffer;
  try {
    bytes = await gunzipAsync(Buffer.from(stored.data, 'base64'), { maxOutputLength: stored.bytes });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError ? `inflates past the ${stored.bytes} bytes it declares` : `is not gzip+base64 data (${(err as Error).message})`;
    throw new Error(why);
  }
  if (bytes.length !== stored.bytes) throw new Error(`inflates to ${bytes.length} bytes, not the ${stored.bytes} it declares`);
  return bytes;
}
