// Writes a `fleetstat/snapshot@1` file record by record, as the scan goes: each record is one gzip
// member written to the file before its promise resolves, so a file cut at any moment (kill -9, a
// crash, a full disk) still reads back every record written before. It writes to `path` itself, not
// to a temporary file: a half-written snapshot is the point (it keeps what finished), and a scan that
// saves while another process reads the file must not have it appear only at the end. Records are
// written one at a time, in the order they are given, whoever calls.
import { open, type FileHandle } from 'node:fs/promises';
import type { SnapshotHeader, SnapshotHost, SnapshotRecord, SnapshotTrailer } from '../model/index.js';
import { encodeRecord } from './snapshot-codec.js';

export interface SnapshotWriter {
  header(header: SnapshotHeader): Promise<void>;
  host(record: SnapshotHost): Promise<void>;
  trailer(trailer: SnapshotTrailer): Promise<void>;
  /** closes the file (without a trailer the snapshot reads back as cut) */
  close(): Promise<void>;
}

/** Creates (or empties) `path` and returns its writer. Rejects with the system's error (ENOENT, EACCES, EISDIR…). */
export async function openSnapshotWriter(path: string): Promise<SnapshotWriter> {
  const file = await open(path, 'w', 0o644);
  let queue: Promise<void> = Promise.resolve();
  let state: 'header' | 'hosts' | 'done' | 'closed' = 'header';

  // Records are compressed at once (off the main thread) and written one after the other in call
  // order. A failed write fails every later one (a file with a hole in it would read back wrong); a
  // record that cannot be encoded fails its own call only, and the file goes on without it.
  const write = (record: SnapshotRecord, expected: typeof state, next: typeof state): Promise<void> => {
    if (state !== expected) return Promise.reject(new Error(`snapshot writer: a ${record.record} record cannot come now (${state === 'closed' ? 'closed' : `expecting ${state}`})`));
    state = next;
    const encoded = encodeRecord(record);
    const written = queue.then(async () => {
      const bytes = await encoded.catch(() => null);
      if (bytes !== null) await writeAll(file, bytes);
    });
    queue = written;
    return written.then(async () => {
      await encoded;
    });
  };

  return {
    header: (h) => write(h, 'header', 'hosts'),
    host: (r) => write(r, 'hosts', 'hosts'),
    trailer: (t) => write(t, 'hosts', 'done'),
    close: () => {
      if (state === 'closed') return queue;
      state = 'closed';
      // the file is closed even when a write failed, and that failure is still reported
      const closing = queue.finally(() => file.close());
      queue = closing;
      return closing;
    },
  };
}

async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  let at = 0;
  while (at < bytes.length) {
    const { bytesWritten } = await file.write(bytes, at, bytes.length - at, null);
    at += bytesWritten;
  }
}
