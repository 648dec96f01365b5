// `--view hosts`: one line per host: how its scan went (status, reason, time), what it runs (kernel,
// host key) and what it holds, counted as `ss -s` counts (TCP by state, UDP, raw, unix), never its
// sockets. JSON `fleetstat/hosts@1`, NDJSON one `fleetstat/host-summary@1` line a host ({schema, host}),
// CSV one record a host, and a table.
import type { Writable } from 'node:stream';
import type { HostScan } from '../model/index.js';
import type { HostSummary } from '../model/host-summary.js';
import { summarizeHost } from '../merge/host-summary.js';
import { openCsvStream, type CsvCell } from './csv-stream.js';
import { csvList, escapeForCsv, escapeForTerminal, terminalSafeJson } from './escape.js';
import type { FormatWriter } from './output.js';
import { fitToWidth, padToWidth, wrapAtSpaces } from './text-layout.js';
import { displayWidth, truncateToWidth } from './text-width.js';
import { writeChunk } from './write.js';

export const HOSTS_SCHEMA = 'fleetstat/hosts@1';
export const HOST_SUMMARY_SCHEMA = 'fleetstat/host-summary@1';

const json = (value: unknown, indent?: number) => terminalSafeJson(JSON.stringify(value, null, indent));

export function openHostsJsonWriter(out: Writable): FormatWriter {
  let count = 0;
  return {
    start: ({ startedAt }) => writeChunk(out, `{\n  "schema": ${json(HOSTS_SCHEMA)},\n  "startedAt": ${json(startedAt)},\n  "hosts": [`),
    host: async (scan) => {
      const entry = json(summarizeHost(scan), 2).replace(/\n/g, '\n    ');
      await writeChunk(out, `${count === 0 ? '' : ','}\n    ${entry}`);
      count += 1;
    },
    end: ({ finishedAt }) => writeChunk(out, `${count > 0 ? '\n  ' : ''}],\n  "finishedAt": ${json(finishedAt)}\n}\n`),
  };
}

export function openHostsNdjsonWriter(out: Writable): FormatWriter {
  return {
    start: async () => {},
    host: (scan) => writeChunk(out, `${json({ schema: HOST_SUMMARY_SCHEMA, host: summarizeHost(scan) })}\n`),
    end: async () => {},
  };
}

export const HOSTS_CSV_COLUMNS = [
  'host', 'address', 'port', 'groups', 'status', 'reason', 'started_at', 'finished_at', 'duration_ms', 'hostname', 'kernel',
  'attribution', 'host_key_type', 'host_key_fingerprint', 'host_key_check', 'listeners', 'tcp', 'tcp_established', 'tcp_listen',
  'tcp_time_wait', 'udp', 'raw', 'unix', 'other', 'issues',
] as const;

function csvRow(h: HostSummary): Record<(typeof HOSTS_CSV_COLUMNS)[number], CsvCell> {
  const state = (name: string) => h.sockets.tcp.byState[name] ?? 0;
  return {
    host: escapeForCsv(h.name),
    address: escapeForCsv(h.address),
    port: h.port,
    groups: csvList(h.groups),
    status: h.status,
    reason: escapeForCsv(h.reason ?? ''),
    started_at: h.startedAt ?? '',
    finished_at: h.finishedAt ?? '',
    duration_ms: h.durationMs ?? '',
    hostname: escapeForCsv(h.hostname ?? ''),
    kernel: escapeForCsv(h.kernel ?? ''),
    attribution: h.attribution ?? '',
    host_key_type: h.hostKey?.type ?? '',
    host_key_fingerprint: h.hostKey?.fingerprint ?? '',
    host_key_check: h.hostKey?.check ?? '',
    listeners: h.listeners,
    tcp: h.sockets.tcp.total,
    tcp_established: state('ESTABLISHED'),
    tcp_listen: state('LISTEN'),
    tcp_time_wait: state('TIME_WAIT'),
    udp: h.sockets.udp,
    raw: h.sockets.raw,
    unix: h.sockets.unix,
    other: h.sockets.other,
    issues: h.issues,
  };
}

export function openHostsCsvWriter(out: Writable): FormatWriter {
  return openCsvStream(out, HOSTS_CSV_COLUMNS, (scan: HostScan) => [csvRow(summarizeHost(scan))]);
}

interface TableColumn {
  title: string;
  align: 'left' | 'right';
  cell: (h: HostSummary) => string;
  /** cut to fit (in this order of preference: last listed first); undefined: never cut */
  cut?: 'end' | 'middle';
  min?: number;
}

const seconds = (ms: number | null) => (ms === null ? '-' : (ms / 1000).toFixed(1));

const TABLE: TableColumn[] = [
  { title: 'Host', align: 'left', cell: (h) => escapeForTerminal(h.name), cut: 'middle', min: 12 },
  { title: 'Status', align: 'left', cell: (h) => h.status },
  { title: 'Secs', align: 'right', cell: (h) => seconds(h.durationMs) },
  { title: 'Listen', align: 'right', cell: (h) => String(h.listeners) },
  { title: 'TCP', align: 'right', cell: (h) => String(h.sockets.tcp.total) },
  { title: 'Estab', align: 'right', cell: (h) => String(h.sockets.tcp.byState.ESTABLISHED ?? 0) },
  { title: 'UDP', align: 'right', cell: (h) => String(h.sockets.udp) },
  { title: 'Unix', align: 'right', cell: (h) => String(h.sockets.unix) },
  { title: 'Attrib', align: 'left', cell: (h) => h.attribution ?? '-' },
  { title: 'Kernel', align: 'left', cell: (h) => escapeForTerminal(h.kernel ?? '-'), cut: 'end', min: 6 },
  { title: 'Reason', align: 'left', cell: (h) => escapeForTerminal(h.reason ?? ''), cut: 'end', min: 10 },
];

/**
 * The hosts as a table, each line within `width`: when it does not fit, Kernel is left out first (the
 * JSON and CSV have it), then Reason is cut (to 10 columns at least), then Host (in its middle, to 12).
 */
export function formatHostsTable(hosts: readonly HostSummary[], width?: number): string {
  const cells = hosts.map((h) => TABLE.map((c) => c.cell(h)));
  const widths = TABLE.map((c, i) => cells.reduce((w, row) => Math.max(w, displayWidth(row[i]!)), displayWidth(c.title)));
  const shown = TABLE.map((_, i) => i);
  const total = () => shown.reduce((sum, i) => sum + widths[i]!, 0) + 2 * (shown.length - 1);
  if (width !== undefined) {
    const kernel = TABLE.findIndex((c) => c.title === 'Kernel');
    if (total() > width) shown.splice(shown.indexOf(kernel), 1);
    for (const title of ['Reason', 'Host']) {
      const i = TABLE.findIndex((c) => c.title === title);
      const excess = total() - width;
      if (excess > 0) widths[i] = Math.max(TABLE[i]!.min ?? 0, displayWidth(title), widths[i]! - excess);
    }
  }
  const line = (row: string[]) =>
    shown
      .map((i) => {
        const c = TABLE[i]!;
        return padToWidth(fitToWidth(row[i]!, widths[i]!, c.cut ?? 'end'), widths[i]!, c.align);
      })
      .join('  ')
      .trimEnd();
  const lines = [line(TABLE.map((c) => c.title)), ...cells.map(line)].map((l) => (width === undefined ? l : truncateToWidth(l, width)));
  // a reason that had to be cut is given whole below the table, wrapped, never cut
  const reason = TABLE.findIndex((c) => c.title === 'Reason');
  const cut = hosts.filter((_, r) => displayWidth(cells[r]![reason]!) > widths[reason]!);
  if (cut.length > 0) lines.push('', ...cut.flatMap((h) => wrapAtSpaces(`${escapeForTerminal(h.name)}: ${h.status}: ${escapeForTerminal(h.reason ?? '')}`, width)));
  return `${lines.join('\n')}\n`;
}

/** The table waits for the last host (its columns are aligned): it keeps one small summary a host. */
export function openHostsTableWriter(out: Writable, width?: number): FormatWriter {
  const hosts: HostSummary[] = [];
  return {
    start: async () => {},
    host: async (scan) => {
      hosts.push(summarizeHost(scan));
    },
    end: () => writeChunk(out, formatHostsTable(hosts, width)),
  };
}
