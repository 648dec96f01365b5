// CSV written as hosts arrive, for every CSV of fleetstat (sockets, listeners, hosts): one header, then
// each host's records. Remote strings are escaped by the caller (escape.ts); quoting is csv-record.ts's,
// the same bytes csv-stringify writes.
import type { Writable } from 'node:stream';
import type { HostScan } from '../model/index.js';
import { csvHeader, csvRecord, type CsvCell } from './csv-record.js';
import type { FormatWriter } from './output.js';
import { BatchedText } from './write.js';

export type { CsvCell } from './csv-record.js';

/**
 * A host's rows are taken one at a time from `rowsOf` (a generator: no host's rows are ever all held),
 * turned into text and written in batches; a full batch waits for `out`'s 'drain', so the pace is
 * `out`'s. The header goes with the first host's rows, or alone at the end of a scan with no host.
 */
export function openCsvStream<C extends string>(out: Writable, columns: readonly C[], rowsOf: (scan: HostScan) => Iterable<Record<C, CsvCell>>): FormatWriter {
  const batch = new BatchedText(out);
  let headerWritten = false;
  const header = () => {
    if (headerWritten) return;
    headerWritten = true;
    batch.add(csvHeader(columns));
  };
  return {
    start: async () => {},
    host: async (scan) => {
      header();
      for (const row of rowsOf(scan)) if (batch.add(csvRecord(columns, row))) await batch.flush();
      await batch.flush();
    },
    end: async () => {
      header();
      await batch.flush();
    },
  };
}
