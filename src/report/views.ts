// What `scan --view` shows, registered in one list: each view opens the writer of the chosen format.
//   matrix     the cross-host port matrix: endpoints by sets of hosts that listen alike (matrix-output.ts)
//   listeners  one row per listening socket per host; as CSV the compliance export (listeners-csv.ts)
//   sockets    every socket of every host (index.ts: the formats of `fleetstat/scan@1`)
//   hosts      one row per host: status, reason, time, counts as `ss -s` gives them (hosts-view.ts)
import type { Writable } from 'node:stream';
import type { MatrixProto } from '../model/matrix.js';
import { openHostsCsvWriter, openHostsJsonWriter, openHostsNdjsonWriter, openHostsTableWriter } from './hosts-view.js';
import { openOutput, type OutputFormat } from './index.js';
import { openListenersCsvWriter } from './listeners-csv.js';
import { openMatrixOutput } from './matrix-output.js';
import { orderedOutput, type FormatOpener, type ReportOptions, type ScanOutput } from './output.js';

export const VIEWS = ['matrix', 'listeners', 'sockets', 'hosts'] as const;
export type View = (typeof VIEWS)[number];

export interface ViewOptions extends ReportOptions {
  /** matrix: the protocols it shows */
  protos: ReadonlySet<MatrixProto>;
  /** matrix: hosts as rows */
  hostsAsRows: boolean;
}

const hostsOpeners: Record<OutputFormat, FormatOpener> = {
  table: (out, opts) => openHostsTableWriter(out, opts.width),
  json: (out) => openHostsJsonWriter(out),
  ndjson: (out) => openHostsNdjsonWriter(out),
  csv: (out) => openHostsCsvWriter(out),
};

const views: Record<View, (format: OutputFormat, out: Writable, options: ViewOptions) => ScanOutput> = {
  matrix: (format, out, o) => openMatrixOutput(format, out, { protos: o.protos, hostsAsRows: o.hostsAsRows, ...(o.width !== undefined ? { width: o.width } : {}) }),
  // the command keeps only listening sockets for this view; the socket formats show them, CSV as the audit export
  listeners: (format, out, o) => (format === 'csv' ? orderedOutput((w) => openListenersCsvWriter(w), out, o) : openOutput(format, out, o)),
  sockets: (format, out, o) => openOutput(format, out, o),
  hosts: (format, out, o) => orderedOutput(hostsOpeners[format], out, o),
};

export function openView(view: View, format: OutputFormat, out: Writable, options: ViewOptions): ScanOutput {
  return views[view](format, out, options);
}
