// The output formats of `scan`, registered in one list: a command picks one by name.
import type { ScanResult } from '../model/index.js';
import { formatCsv } from './csv.js';
import { formatJson } from './json.js';
import { formatTable } from './table.js';

export type ReportFormat = 'table' | 'json' | 'csv';

export interface ReportOptions {
  /** ANSI styling (table only); the caller decides (TTY, NO_COLOR, --no-color) */
  color: boolean;
  /** terminal columns the table may take (table only); undefined: no limit */
  width?: number;
}

export type Formatter = (result: ScanResult, opts: ReportOptions) => string;

export const formats: Record<ReportFormat, Formatter> = {
  table: (result, opts) => formatTable(result, { color: opts.color, ...(opts.width !== undefined ? { width: opts.width } : {}) }),
  json: (result) => formatJson(result),
  csv: (result) => formatCsv(result),
};

export { formatCsv, CSV_COLUMNS } from './csv.js';
export { formatJson } from './json.js';
export { formatTable, formatInetEndpoint, PARTIAL_ATTRIBUTION_NOTE } from './table.js';
export type { TableOptions } from './table.js';
export { escapeForTerminal, neutraliseCsvCell } from './escape.js';
