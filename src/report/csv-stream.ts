// CSV written as hosts arrive, for every CSV of fleetstat (sockets, listeners, hosts): one header, then
// each host's records. Remote strings are escaped by the caller (escape.ts), quoting is csv-stringify's.
import type { Writable } from 'node:stream';
import { stringify as csvStream } from 'csv-stringify';
import type { HostScan } from '../model/index.js';
import type { FormatWriter } from './output.js';
import { drained, writeChunk } from './write.js';

export type CsvCell = string | number;

/** Records are gathered to about this many characters per write: fewer, bigger writes. */
const BATCH = 64 * 1024;

/**
 * CSV through csv-stringify's stream API, a host's rows at a time. What it emits is gathered
 * into batches; while a batch is being written the stringifier is paused, so its buffer fills and a
 * row waits for its 'drain': the pace is `out`'s.
 */
export function openCsvStream<C extends string>(out: Writable, columns: readonly C[], rowsOf: (scan: HostScan) => Iterable<Record<C, CsvCell>>): FormatWriter {
  const stringifier = csvStream({ header: true, columns: [...columns] });
  let batch = '';
  let failed: Error | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const text = batch;
    batch = '';
    writing = writing.then(() => (failed ? undefined : writeChunk(out, text))).catch((err: Error) => {
      failed ??= err;
      stringifier.destroy(err);
    });
    return writing;
  };
  stringifier.on('data', (chunk: Buffer | string) => {
    batch += chunk.toString();
    if (batch.length < BATCH) return;
    stringifier.pause();
    void flush().then(() => {
      if (!failed) stringifier.resume();
    });
  });
  const ended = new Promise<void>((resolve, reject) => {
    stringifier.once('end', resolve);
    stringifier.once('error', reject);
    stringifier.once('close', () => reject(failed ?? new Error('the CSV writer was closed')));
  });
  ended.catch(() => {}); // a failure is reported by the call that meets it
  return {
    start: async () => {},
    host: async (scan) => {
      for (const row of rowsOf(scan)) {
        if (failed) throw failed;
        if (!stringifier.write(row)) await Promise.race([drained(stringifier), ended]);
      }
      if (failed) throw failed;
    },
    end: async () => {
      stringifier.end();
      await ended;
      await flush();
      if (failed) throw failed;
    },
    close: async () => {
      stringifier.destroy();
    },
  };
}
