// `--view matrix`: hosts are reduced to their listening sets as they end (merge/matrix.ts), and the
// matrix is written once the last host is in: a cross-host view cannot be written before.
import type { Writable } from 'node:stream';
import type { MatrixProto, PortMatrix } from '../model/matrix.js';
import { MatrixBuilder } from '../merge/matrix.js';
import { jsonForTerminal, terminalSafeJson } from './escape.js';
import { formatMatrixCsv } from './matrix-csv.js';
import { formatMatrixTable } from './matrix-table.js';
import type { ScanOutput } from './output.js';
import { writeChunk } from './write.js';

export type MatrixFormat = 'table' | 'json' | 'ndjson' | 'csv';

export interface MatrixOutputOptions {
  protos: ReadonlySet<MatrixProto>;
  width?: number;
  hostsAsRows?: boolean;
}

/** NDJSON: one line per endpoint (with its cells), after a first line that is the matrix without its rows. */
function formatMatrixNdjson(matrix: PortMatrix): string {
  const { rows, ...head } = matrix;
  return [head, ...rows.map((row) => ({ schema: 'fleetstat/matrix-row@1', ...row }))].map((line) => `${terminalSafeJson(JSON.stringify(line))}\n`).join('');
}

const formatters: Record<MatrixFormat, (matrix: PortMatrix, options: MatrixOutputOptions) => string> = {
  table: (matrix, o) => formatMatrixTable(matrix, { ...(o.width !== undefined ? { width: o.width } : {}), hostsAsRows: o.hostsAsRows ?? false }),
  json: (matrix) => jsonForTerminal(matrix),
  ndjson: formatMatrixNdjson,
  csv: formatMatrixCsv,
};

export function openMatrixOutput(format: MatrixFormat, out: Writable, options: MatrixOutputOptions): ScanOutput {
  const builder = new MatrixBuilder(options.protos);
  let startedAt = '';
  let done = false;
  return {
    start: async (info) => {
      startedAt = info.startedAt;
    },
    host: async (_index, scan) => {
      if (done) throw new Error('the output has already ended');
      builder.add(scan);
    },
    end: async ({ finishedAt }) => {
      if (done) throw new Error('the output has already ended');
      done = true;
      await writeChunk(out, formatters[format](builder.build({ startedAt, finishedAt }), options));
    },
    abort: async () => {
      done = true;
    },
  };
}
