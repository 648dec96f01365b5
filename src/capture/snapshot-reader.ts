// Reads a `fleetstat/snapshot@1` file as a stream: the header at once, then each host record as the
// caller asks for it (never the whole file), then how it ended. A file cut anywhere yields every whole
// record before the cut and then says it was cut; a bad record is a SnapshotError naming the file, the
// record and the field. Detection is by content, never by name.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import type { SnapshotHeader, SnapshotHost, SnapshotTrailer } from '../model/index.js';
import { readFailureReason } from '../local/input-file.js';
import { HEADER_PREFIX, MAX_HEADER_BYTES, MAX_RECORD_BYTES, SNAPSHOT_SCHEMA, SnapshotError, decodeStoredBytes } from './snapshot-codec.js';
import { GZIP_MAGIC, LineTooLong, SnapshotLines } from './snapshot-lines.js';
import { RecordFault, checkHeader, checkHost, checkTrailer, type StoredHost } from './snapshot-validate.js';

export type SnapshotEnd = { complete: true; trailer: SnapshotTrailer } | { complete: false; reason: string };

export interface SnapshotReading {
  header: SnapshotHeader;
  /** every host record in file order (the order hosts ended, not the inventory's: see `index`); once */
  hosts: AsyncIterable<SnapshotHost>;
  /** after `hosts` is read to its end: the trailer, or why there is none */
  end(): SnapshotEnd;
  /** lets the file go without reading the rest (reading `hosts` to its end does it too) */
  close(): void;
}

export interface ReadOptions {
  /** the longest host record accepted, in bytes of JSON (default: the most one string holds) */
  maxRecordBytes?: number;
}

/** True when the file's content is a fleetstat snapshot (of any version): gzip holding a snapshot header, or the header itself. */
export function isSnapshotFile(path: string): boolean {
  let fd: number;
  try {
    if (!statSync(path).isFile()) return false; // never open a FIFO or a device to look at it
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return false; // the command's own loader says why it cannot be read
  }
  try {
    if (!fstatSync(fd).isFile()) return false;
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return startsAsSnapshot(head.subarray(0, n));
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

function startsAsSnapshot(head: Buffer): boolean {
  let text = head;
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) {
    try {
      text = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }); // a prefix: decode what is there
    } catch {
      return false;
    }
  }
  return text.subarray(0, HEADER_PREFIX.length).toString('latin1') === HEADER_PREFIX;
}

export async function readSnapshot(path: string, options: ReadOptions = {}): Promise<SnapshotReading> {
  const file = await openRegular(path);
  const magic = Buffer.alloc(2);
  let lines: SnapshotLines;
  try {
    const { bytesRead } = await file.read(magic, 0, 2, 0);
    lines = new SnapshotLines(file, bytesRead === 2 && magic.equals(GZIP_MAGIC));
  } catch (err) {
    await file.close();
    throw new SnapshotError(path, 0, '', `cannot be read: ${readFailureReason(err)}`, 'unreadable');
  }
  let header: SnapshotHeader;
  try {
    header = await readHeader(path, lines);
  } catch (err) {
    lines.close();
    throw err;
  }
  const maxRecordBytes = Math.min(options.maxRecordBytes ?? MAX_RECORD_BYTES, MAX_RECORD_BYTES);
  let ending: SnapshotEnd | null = null;

  async function* hosts(): AsyncGenerator<SnapshotHost> {
    let record = 1;
    let count = 0;
    let trailer: SnapshotTrailer | null = null;
    try {
      for (;;) {
        let line: Buffer | null;
        try {
          line = await lines.next(maxRecordBytes);
        } catch (err) {
          if (err instanceof LineTooLong) throw new SnapshotError(path, record + 1, '', err.message, 'too-large');
          throw err;
        }
        if (line === null) break;
        record += 1;
        const value = parseLine(path, record, line);
        const kind = (value as { record?: unknown }).record;
        if (trailer !== null) throw new SnapshotError(path, record, 'record', `a ${String(kind)} record after the trailer`, 'order');
        if (kind === 'header') throw new SnapshotError(path, record, 'record', 'a second header', 'order');
        if (kind === 'trailer') {
          trailer = checked(path, record, () => checkTrailer(value));
          if (trailer.hosts !== count) throw new SnapshotError(path, record, 'hosts', `says ${trailer.hosts} host records, the file has ${count}`, 'bad-record');
          continue;
        }
        const stored = checked(path, record, () => checkHost(value, header));
        count += 1;
        yield await withCapture(path, record, stored);
      }
      const end = lines.end();
      ending =
        end.kind === 'cut' ? { complete: false, reason: `${path}: cut after ${count} host records: ${end.reason}` } :
        trailer === null ? { complete: false, reason: `${path}: no trailer after ${count} host records: the scan did not finish writing it (killed, crashed or still running)` } :
        { complete: true, trailer };
    } finally {
      lines.close();
    }
  }

  return {
    header,
    hosts: hosts(),
    end: () => {
      if (ending === null) throw new Error('SnapshotReading.end() called before its hosts were read to the end');
      return ending;
    },
    close: () => lines.close(),
  };
}

async function openRegular(path: string): Promise<FileHandle> {
  let file: FileHandle;
  try {
    if (!statSync(path).isFile()) throw new SnapshotError(path, 0, '', 'is not a regular file', 'unreadable');
    file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(path, 0, '', `cannot be read: ${readFailureReason(err)}`, 'unreadable');
  }
  return file;
}

async function readHeader(path: string, lines: SnapshotLines): Promise<SnapshotHeader> {
  const notSnapshot = () => new SnapshotError(path, 0, '', 'is not a fleetstat snapshot (it does not start with a snapshot header)', 'not-snapshot');
  let line: Buffer | null;
  try {
    line = await lines.next(MAX_HEADER_BYTES);
  } catch (err) {
    if (err instanceof LineTooLong) throw new SnapshotError(path, 1, '', `its first line is ${err.message.replace('a record', 'a header')}`, 'too-large');
    throw err;
  }
  if (line === null || line.subarray(0, HEADER_PREFIX.length).toString('latin1') !== HEADER_PREFIX) {
    const end = lines.end();
    if (line === null && end.kind === 'cut' && end.reason.startsWith('the gzip data')) {
      throw new SnapshotError(path, 1, '', `cannot be read to the end of its header: ${end.reason}`, 'bad-record');
    }
    throw notSnapshot();
  }
  const value = parseLine(path, 1, line);
  const schema = (value as { schema?: unknown }).schema;
  if (schema !== SNAPSHOT_SCHEMA) {
    throw new SnapshotError(path, 1, 'schema', `${JSON.stringify(schema)}: this fleetstat reads ${SNAPSHOT_SCHEMA} only (written by another version of fleetstat?)`, 'version');
  }
  return checked(path, 1, () => checkHeader(value));
}

function parseLine(path: string, record: number, line: Buffer): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch (err) {
    throw new SnapshotError(path, record, '', `not JSON (${(err as Error).message})`, 'bad-record');
  }
}

function checked<T>(path: string, record: number, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof RecordFault) throw new SnapshotError(path, record, err.field, err.message, 'bad-record');
    throw err;
  }
}

async function withCapture(path: string, record: number, stored: StoredHost): Promise<SnapshotHost> {
  const { outcome } = stored;
  if (outcome.kind !== 'ran') return stored as SnapshotHost;
  let stdout: Buffer;
  try {
    stdout = await decodeStoredBytes(outcome.exec.stdout);
  } catch (err) {
    throw new SnapshotError(path, record, 'outcome.exec.stdout', (err as Error).message, 'bad-record');
  }
  return { ...stored, outcome: { ...outcome, exec: { ...outcome.exec, stdout } } };
}
