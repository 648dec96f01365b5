// The compliance export (`--view listeners --format csv`): one record per listening socket per host,
// what an auditor needs to account for every open port: who (process, pid, user, cmdline), where (bind
// address, port, namespace), on which host (groups, host key) and when. A host with no listener, or
// that could not be scanned, still gets one record (with its status), so no host is missing from the
// sheet unnoticed. Remote strings escaped as every fleetstat CSV escapes them.
import type { Writable } from 'node:stream';
import type { HostScan, Socket } from '../model/index.js';
import { userOf } from './csv.js';
import { openCsvStream, type CsvCell } from './csv-stream.js';
import { CSV_LIST_SEPARATOR, csvList, escapeForCsv } from './escape.js';
import type { FormatWriter } from './output.js';

export const LISTENERS_CSV_COLUMNS = [
  'host',
  'groups',
  'status',
  'proto',
  'bind_address',
  'port',
  'service',
  'process',
  'pid',
  'user',
  'cmdline',
  'netns',
  'scan_time',
  'host_key_fingerprint',
  'error',
] as const;

type Column = (typeof LISTENERS_CSV_COLUMNS)[number];
type Row = Record<Column, CsvCell>;

// several processes holding one listener share a cell (csvList), in the same order in every column

function bindOf(s: Socket): string {
  if (s.local === null) return '';
  if ('path' in s.local) return s.local.path ?? '';
  return 'address' in s.local ? s.local.address : '';
}

function* listenerRows(host: HostScan): Generator<Row> {
  const ofHost = {
    host: escapeForCsv(host.name),
    groups: csvList(host.groups),
    status: host.status,
    scan_time: host.timing?.finishedAt ?? '',
    host_key_fingerprint: host.hostKey?.fingerprint ?? '',
    error: escapeForCsv(host.error?.message ?? ''),
  };
  let any = false;
  for (const s of host.sockets) {
    if (s.direction !== 'listen' || s.collector === true) continue;
    any = true;
    yield {
      ...ofHost,
      proto: s.proto,
      bind_address: escapeForCsv(bindOf(s)),
      port: s.local !== null && 'port' in s.local ? s.local.port : '',
      service: escapeForCsv(s.service ?? ''),
      process: csvList(s.processes.map((p) => p.name)),
      pid: s.processes.map((p) => String(p.pid)).join(CSV_LIST_SEPARATOR),
      // no process seen: the socket owner's user, as the kernel reports it
      user: s.processes.length > 0 ? csvList(s.processes.map(userOf)) : escapeForCsv(s.user ?? (s.uid !== null ? String(s.uid) : '')),
      cmdline: csvList(s.processes.map((p) => p.cmdline.join(' '))),
      netns: escapeForCsv(s.netns),
    };
  }
  if (!any) yield { ...ofHost, proto: '', bind_address: '', port: '', service: '', process: '', pid: '', user: '', cmdline: '', netns: '' };
}

export function openListenersCsvWriter(out: Writable): FormatWriter {
  return openCsvStream(out, LISTENERS_CSV_COLUMNS, listenerRows);
}
