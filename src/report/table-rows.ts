// What the table makes of one host: its rows' cells (escaped) and the little it keeps for the notes.
// Cells are in the table's full column order, Host and Netns first; table.ts leaves those two out
// when the whole scan shows they are not needed (one host; only the default namespace).
import type { HostScan, InetEndpoint, ProcessRef, Socket } from '../model/index.js';
import { escapeForTerminal } from './escape.js';

/** `address:port` as ss -n prints it: IPv6 in brackets, port 0 as `*`. */
export function formatInetEndpoint(endpoint: InetEndpoint): string {
  const address = endpoint.address.includes(':') ? `[${endpoint.address}]` : endpoint.address;
  return `${address}:${endpoint.port === 0 ? '*' : String(endpoint.port)}`;
}

/** The Local Address cell: `address:port`, a unix path, a packet socket as ss -0 (`ethertype:ifindex`, `*` for all), `other`: empty. */
function formatLocal(local: Socket['local']): string {
  if (local === null) return '';
  if ('address' in local) return formatInetEndpoint(local);
  if ('path' in local) return local.path ?? '';
  const ethertype = local.ethertype === 3 ? '*' : `0x${local.ethertype.toString(16).padStart(4, '0')}`;
  return `${ethertype}:${local.ifindex === 0 ? '*' : String(local.ifindex)}`;
}

/** netstat's PID/Program name: `1234/sshd`, several joined by commas, `-` when none is known. */
function pidProgram(processes: readonly ProcessRef[]): string {
  if (processes.length === 0) return '-';
  return processes.map((p) => `${p.pid}/${p.name}`).join(',');
}

/** The socket owner's name from the host's passwd (as netstat -e), else from a process of that uid, else the uid. */
function socketUser(s: Socket): string {
  if (s.uid !== null) {
    const named = s.processes.find((p) => p.uid === s.uid && p.user !== null);
    return s.user ?? named?.user ?? String(s.uid);
  }
  // unix: the kernel does not report an owner; show who holds it.
  const holders = [...new Set(s.processes.map((p) => p.user ?? (p.uid === null ? '?' : String(p.uid))))];
  return holders.length === 0 ? '-' : holders.join(',');
}

/** Host, Netns, Proto, Recv-Q, Send-Q, Local Address, Foreign Address, State, User, PID/Program name; then Service and Direction (shown when asked). */
function inetCells(host: HostScan, s: Socket): string[] {
  const remote = s.remote === null ? '' : formatInetEndpoint(s.remote);
  return [host.name, s.netns, s.proto, String(s.recvQ), String(s.sendQ), formatLocal(s.local), remote, s.state, socketUser(s), pidProgram(s.processes), s.service ?? '-', s.direction].map(escapeForTerminal);
}

/** Host, Netns, Proto, Type, State, I-Node, User, PID/Program name, Path (as netstat -xp). */
function unixCells(host: HostScan, s: Socket): string[] {
  const path = s.local !== null && 'path' in s.local ? (s.local.path ?? '') : '';
  // netstat -x: STREAM, DGRAM, SEQPACKET
  return [host.name, s.netns, s.proto, (s.type ?? '').toUpperCase(), s.state, String(s.inode), socketUser(s), pidProgram(s.processes), path].map(escapeForTerminal);
}

/** What the notes need of a host whose processes could not all be identified. */
export interface PartialHost {
  name: string;
  /** the collection ran as root: the cause is not privilege */
  asRoot: boolean;
  /** which processes could not be read, and why some are not listed ('' when nothing to say); raw */
  detail: string;
}

export interface HostTable {
  inet: string[][];
  unix: string[][];
  /** sockets of the scan's own session, left out of the table */
  ownSession: number;
  /** a shown socket lives outside the default namespace */
  otherNetns: boolean;
  unchecked: boolean;
  partial: PartialHost | null;
  /** the lines after the table: a failed host, unreadable lines (escaped) */
  notes: string[];
}

/** One line per host that is not simply `ok`, and per host whose /proc files had unreadable lines. */
function hostNotes(host: HostScan): string[] {
  const lines: string[] = [];
  const name = escapeForTerminal(host.name);
  if (host.status !== 'ok' && (host.status !== 'partial' || host.error !== undefined)) {
    lines.push(`${name}: ${host.status}: ${escapeForTerminal(host.error?.message ?? '(no detail)')}`);
  }
  if (host.issues.length > 0) {
    const n = host.issues.length;
    lines.push(`${name}: ${n} unreadable ${n === 1 ? 'line' : 'lines'} in /proc files (details in the JSON output)`);
  }
  return lines;
}

/** Which processes could not be read (pid/name, and how many links), and why some are not even listed. */
function unattributedDetail(host: HostScan): string {
  const shown = 5;
  const unreadable = host.facts?.unreadableProcesses ?? [];
  const hidden = host.facts?.hiddenProcesses;
  const parts = [
    ...(unreadable.length > 0
      ? [`not readable: ${unreadable.slice(0, shown).map((p) => `${p.pid}/${p.name || '?'}${p.count === null ? '' : ` (${p.count} fd links)`}`).join(', ')}${unreadable.length > shown ? ` and ${unreadable.length - shown} more` : ''}`]
      : []),
    ...(hidden ? [hidden.detail] : []),
  ];
  return parts.join('; ');
}

export function hostTable(host: HostScan): HostTable {
  const table: HostTable = { inet: [], unix: [], ownSession: 0, otherNetns: false, unchecked: host.hostKey?.check === 'unchecked', partial: null, notes: hostNotes(host) };
  for (const socket of host.sockets) {
    // the scan's own session (sshd's end of its connection, the collection's pipes) is not the host's news
    if (socket.collector === true) {
      table.ownSession += 1;
      continue;
    }
    if (socket.netns !== 'default') table.otherNetns = true;
    if (socket.proto === 'unix') table.unix.push(unixCells(host, socket));
    else table.inet.push(inetCells(host, socket));
  }
  if (host.facts?.attribution === 'partial') table.partial = { name: host.name, asRoot: host.facts.collectorUid === 0, detail: unattributedDetail(host) };
  return table;
}
