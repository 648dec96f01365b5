// The output formats of `scan`, registered in one list: a command opens one by name (openOutput) and
// hands it each host as that host ends; every format writes in the inventory's order without holding
// the fleet (output.ts).
import type { Writable } from 'node:stream';
import type { ScanResult } from '../model/index.js';
import { formatCsv, openCsvWriter } from './csv.js';
import { formatJson, openJsonWriter } from './json.js';
import { openNdjsonWriter } from './ndjson.js';
import { orderedOutput, type FormatOpener, type ReportOptions, type ScanOutput } from './output.js';
import { formatTable, openTableWriter, type TableOptions } from './table.js';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

function tableOptions(opts: ReportOptions): TableOptions {
  return { color: opts.color, ...(opts.width !== undefined ? { width: opts.width } : {}), ...(opts.extraColumns ? { extraColumns: opts.extraColumns } : {}) };
}

const openers: Record<OutputFormat, FormatOpener> = {
  table: (out, opts, spool) => openTableWriter(out, tableOptions(opts), spool),
  json: (out) => openJsonWriter(out),
  ndjson: (out) => openNdjsonWriter(out),
  csv: (out) => openCsvWriter(out),
};

/** The chosen format, written to `out` (which it never ends: the caller owns it). */
export function openOutput(format: OutputFormat, out: Writable, options: ReportOptions): ScanOutput {
  return orderedOutput(openers[format], out, options);
}

/** The formats a whole ScanResult held in memory can be printed in at once (small scans, `--json`). */
export type ReportFormat = 'table' | 'json' | 'csv';

export type Formatter = (result: ScanResult, opts: ReportOptions) => string;

export const formats: Record<ReportFormat, Formatter> = {
  table: (result, opts) => formatTable(result, tableOptions(opts)),
  json: (result) => formatJson(result),
  csv: (result) => formatCsv(result),
};

export type { ReportOptions, ScanOutput } from './output.js';
export { formatCsv, CSV_COLUMNS } from './csv.js';
export { formatJson } from './json.js';
export { SOCKET_RECORD_SCHEMA, type SocketRecord } from './ndjson.js';
export { formatTable, formatInetEndpoint, PARTIAL_ATTRIBUTION_NOTE } from './table.js';
export type { TableOptions } from './table.js';
export { escapeForTerminal, neutraliseCsvCell } from './escape.js';
