// CSV for auditors: one row per socket per host, and one row for every host without sockets
// (failed, or nothing found) so that every inventory host appears in the sheet.
//
// Every string cell goes through escapeForCsv: control characters become the table's escapes (`\x1b`,
// `\n`, `\\` for a backslash), then a formula is neutralised. Numbers are written as numbers and never
// prefixed. Quoting of commas and quotes is csv-stringify's (csv-record.ts writes the same bytes as it streams).
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { HostScan, ProcessRef, ScanResult, Socket } from '../model/index.js';
import { CSV_LIST_SEPARATOR, csvList, escapeForCsv } from './escape.js';
import type { CsvCell as Cell } from './csv-stream.js';
import type { FormatWriter } from './output.js';
import { openCsvStream } from './csv-stream.js';

export const CSV_COLUMNS = [
  'host',
  'address',
  'status',
  'host_key_check',
  'netns',
  'proto',
  'state',
  'local_address',
  'local_port',
  'remote_address',
  'remote_port',
  'direction',
  'collector',
  'service',
  'pids',
  'programs',
  'users',
  'cmdlines',
  'recv_q',
  'send_q',
  'uid',
  'user',
  'inode',
  'error',
] as const;

type CsvColumn = (typeof CSV_COLUMNS)[number];
type CsvRow = Record<CsvColumn, Cell>;

/** A process's user in a CSV cell: its name, else its uid, else empty. */
export function userOf(p: ProcessRef): string {
  if (p.user !== null) return p.user;
  return p.uid !== null ? String(p.uid) : '';
}

type HostCells = Pick<CsvRow, 'host' | 'address' | 'status' | 'host_key_check' | 'error'>;

function hostCells(host: HostScan): HostCells {
  return {
    host: escapeForCsv(host.name),
    address: escapeForCsv(host.address),
    status: host.status,
    // `unchecked` on every row of a scan with host key checking turned off
    host_key_check: host.hostKey?.check ?? '',
    error: escapeForCsv(host.error?.message ?? ''),
  };
}

/** A socket's row, its host's cells named one by one: an object spread per socket cost more than the rest of the CSV. */
function socketRow(h: HostCells, s: Socket): CsvRow {
  const isUnix = s.local !== null && 'path' in s.local;
  return {
    host: h.host,
    address: h.address,
    status: h.status,
    host_key_check: h.host_key_check,
    netns: escapeForCsv(s.netns),
    proto: s.proto,
    state: escapeForCsv(s.state),
    // unix sockets: the path (or empty when unbound) in local_address; no ports, no remote.
    // packet and other sockets have no address (the JSON has a packet socket's ethertype and interface)
    local_address: escapeForCsv(s.local === null ? '' : 'path' in s.local ? (s.local.path ?? '') : 'address' in s.local ? s.local.address : ''),
    local_port: s.local !== null && 'port' in s.local ? s.local.port : '',
    remote_address: s.remote === null ? '' : escapeForCsv(s.remote.address),
    remote_port: s.remote === null || isUnix ? '' : s.remote.port,
    direction: s.direction,
    // the scan's own session (sshd's end of its connection, the collection's pipes): comparisons leave these out
    collector: s.collector === true ? 'yes' : '',
    service: escapeForCsv(s.service ?? ''),
    pids: s.processes.map((p) => String(p.pid)).join(CSV_LIST_SEPARATOR),
    programs: csvList(s.processes.map((p) => p.name)),
    users: csvList(s.processes.map(userOf)),
    // argv joined with spaces, as `ps -o args` shows it
    cmdlines: csvList(s.processes.map((p) => p.cmdline.join(' '))),
    recv_q: s.recvQ,
    send_q: s.sendQ,
    uid: s.uid ?? '',
    user: escapeForCsv(s.user ?? ''),
    inode: s.inode,
    error: h.error,
  };
}

const NO_SOCKET: Omit<CsvRow, keyof HostCells> = {
  netns: '',
  proto: '',
  state: '',
  local_address: '',
  local_port: '',
  remote_address: '',
  remote_port: '',
  direction: '',
  collector: '',
  service: '',
  pids: '',
  programs: '',
  users: '',
  cmdlines: '',
  recv_q: '',
  send_q: '',
  uid: '',
  user: '',
  inode: '',
};

/** A host's rows one at a time: the writer turns each into text before the next is made. */
function* hostRows(host: HostScan): Generator<CsvRow> {
  const fromHost = hostCells(host);
  if (host.sockets.length === 0) yield { ...fromHost, ...NO_SOCKET };
  for (const s of host.sockets) yield socketRow(fromHost, s);
}

const CSV_OPTIONS = { header: true, columns: [...CSV_COLUMNS] };

/** The scan as CSV: header row, then one row per socket per host (a host without sockets: one row). */
export function formatCsv(result: ScanResult): string {
  const rows = result.hosts.flatMap((host) => [...hostRows(host)]);
  return stringify(rows, CSV_OPTIONS);
}

/** The same CSV written as hosts arrive, a row at a time (csv-stream.ts). */
export function openCsvWriter(out: Writable): FormatWriter {
  return openCsvStream(out, CSV_COLUMNS, hostRows);
}
