// The terminal table, in netstat's language (`netstat -tulpen`, `netstat -xp`).
//
// Addresses are printed as `ss -n` prints them: `address:port`, IPv6 in brackets (`[::1]:631`,
// `[2001:db8::1]:8444`), `*` for port 0 (`0.0.0.0:*`, `[::]:*`). A `::` listener is `[::]:22`, never
// ss's `*:22`: that would say it accepts IPv4 too, and /proc does not tell (IPV6_V6ONLY).
//
// Column order follows `netstat -e`: … State, User, PID/Program name — the one unbounded column last.
// A Host column leads when the scan has more than one host, then a Netns column when any socket lives
// outside the `default` namespace. unix sockets get their own section, as netstat -x loosely:
// Proto, Type, State, I-Node, User, PID/Program name, Path. On a terminal the table is fitted to its
// width (table-grid.ts says how); piped, it is never cut.
//
// Every cell is escaped with escapeForTerminal (remote text may carry terminal escapes).
import type { HostScan, InetEndpoint, ProcessRef, ScanResult, Socket } from '../model/index.js';
import { escapeForTerminal } from './escape.js';
import { renderGrid, wrapNote, type Column } from './table-grid.js';

export interface TableOptions {
  /** ANSI styling of the header, host headings and LISTEN; nothing else */
  color: boolean;
  /** terminal width: when set, no line is wider (see table-grid.ts); undefined: no limit */
  width?: number;
}

/** netstat's note when it cannot see every process (not root). */
export const PARTIAL_ATTRIBUTION_NOTE =
  '(Not all processes could be identified, non-owned process info will not be shown, you would have to be root to see it all.)';

/** The same, when the collection ran as root and some fd links were still unreadable. */
export const ROOT_PARTIAL_ATTRIBUTION_NOTE =
  '(Not all processes could be identified: some processes\' fd links could not be read, even as root.)';

function column(title: string, align: Column['align'] = 'left', more: Pick<Column, 'min' | 'role' | 'cut'> = {}): Column {
  return { title, align, ...more };
}

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

interface Located {
  host: HostScan;
  socket: Socket;
}

interface Section {
  title: string;
  lines: string[];
  queuesLeftOut: boolean;
}

const QUEUES_LEFT_OUT_NOTE = '(Recv-Q and Send-Q are left out to fit the terminal: -W, or a wider terminal, shows them.)';

function leadingColumns(multiHost: boolean, showNetns: boolean): Column[] {
  return [...(multiHost ? [column('Host', 'left', { role: 'host' })] : []), ...(showNetns ? [column('Netns', 'left', { min: 8, cut: 'middle' })] : [])];
}

function leadingCells({ host, socket }: Located, multiHost: boolean, showNetns: boolean): string[] {
  return [...(multiHost ? [host.name] : []), ...(showNetns ? [socket.netns] : [])];
}

function inetSection(sockets: readonly Located[], multiHost: boolean, showNetns: boolean, opts: TableOptions): Section {
  const columns = [
    ...leadingColumns(multiHost, showNetns),
    column('Proto'),
    column('Recv-Q', 'right', { role: 'queue' }),
    column('Send-Q', 'right', { role: 'queue' }),
    column('Local Address'),
    column('Foreign Address'),
    column('State'),
    column('User', 'left', { min: 8 }),
    column('PID/Program name', 'left', { min: 10 }),
  ];
  const rows = sockets.map((located): string[] => {
    const s = located.socket;
    const local = formatLocal(s.local);
    const remote = s.remote === null ? '' : formatInetEndpoint(s.remote);
    const cells = [
      ...leadingCells(located, multiHost, showNetns),
      s.proto,
      String(s.recvQ),
      String(s.sendQ),
      local,
      remote,
      s.state,
      socketUser(s),
      pidProgram(s.processes),
    ];
    return cells.map(escapeForTerminal);
  });
  return { title: 'Active Internet connections', ...renderGrid(columns, rows, opts) };
}

function unixSection(sockets: readonly Located[], multiHost: boolean, showNetns: boolean, opts: TableOptions): Section {
  const columns = [
    ...leadingColumns(multiHost, showNetns),
    column('Proto'),
    column('Type'),
    column('State'),
    column('I-Node'),
    column('User', 'left', { min: 8 }),
    column('PID/Program name', 'left', { min: 10 }),
    column('Path', 'left', { min: 12 }),
  ];
  const rows = sockets.map((located): string[] => {
    const s = located.socket;
    const cells = [
      ...leadingCells(located, multiHost, showNetns),
      s.proto,
      (s.type ?? '').toUpperCase(), // netstat -x: STREAM, DGRAM, SEQPACKET
      s.state,
      String(s.inode),
      socketUser(s),
      pidProgram(s.processes),
      s.local !== null && 'path' in s.local ? (s.local.path ?? '') : '',
    ];
    return cells.map(escapeForTerminal);
  });
  return { title: 'Active UNIX domain sockets', ...renderGrid(columns, rows, opts) };
}

/** One line per host that is not simply `ok`, and per host whose /proc files had unreadable lines. */
function hostNotes(hosts: readonly HostScan[]): string[] {
  const lines: string[] = [];
  for (const host of hosts) {
    const name = escapeForTerminal(host.name);
    if (host.status !== 'ok' && (host.status !== 'partial' || host.error !== undefined)) {
      lines.push(`${name}: ${host.status}: ${escapeForTerminal(host.error?.message ?? '(no detail)')}`);
    }
    if (host.issues.length > 0) {
      const n = host.issues.length;
      lines.push(`${name}: ${n} unreadable ${n === 1 ? 'line' : 'lines'} in /proc files (details in the JSON output)`);
    }
  }
  return lines;
}

function attributionNote(hosts: readonly HostScan[], multiHost: boolean): string[] {
  const partial = hosts.filter((h) => h.facts?.attribution === 'partial');
  if (partial.length === 0) return [];
  // As root the cause is not privilege (e.g. a process protected from ptrace): netstat's note would mislead.
  const asRoot = partial.filter((h) => h.facts?.collectorUid === 0);
  const notRoot = partial.filter((h) => h.facts?.collectorUid !== 0);
  const names = (list: readonly HostScan[]) => (multiHost ? [`(hosts: ${list.map((h) => escapeForTerminal(h.name)).join(', ')})`] : []);
  return [
    ...(notRoot.length > 0 ? [PARTIAL_ATTRIBUTION_NOTE, ...names(notRoot)] : []),
    ...(asRoot.length > 0 ? [ROOT_PARTIAL_ATTRIBUTION_NOTE, ...names(asRoot)] : []),
    ...partial.flatMap((h) => unattributedDetail(h, multiHost)),
  ];
}

/** Which processes could not be read (pid/name, and how many links), and why some are not even listed. */
function unattributedDetail(host: HostScan, multiHost: boolean): string[] {
  const shown = 5;
  const unreadable = host.facts?.unreadableProcesses ?? [];
  const hidden = host.facts?.hiddenProcesses;
  const parts = [
    ...(unreadable.length > 0
      ? [`not readable: ${unreadable.slice(0, shown).map((p) => `${p.pid}/${p.name || '?'}${p.count === null ? '' : ` (${p.count} fd links)`}`).join(', ')}${unreadable.length > shown ? ` and ${unreadable.length - shown} more` : ''}`]
      : []),
    ...(hidden ? [hidden.detail] : []),
  ];
  if (parts.length === 0) return [];
  return [escapeForTerminal(`(${multiHost ? `${host.name}: ` : ''}${parts.join('; ')})`)];
}

/** The scan as netstat-like text for a terminal; ends with a newline. */
export function formatTable(result: ScanResult, opts: TableOptions): string {
  const multiHost = result.hosts.length > 1;
  const every = result.hosts.flatMap((host) => host.sockets.map((socket): Located => ({ host, socket })));
  // the scan's own session (sshd's end of its connection, the collection's pipes) is not the host's news
  const all = every.filter((l) => l.socket.collector !== true);
  const ownSession = every.length - all.length;
  const showNetns = all.some((l) => l.socket.netns !== 'default');
  const inet = all.filter((l) => l.socket.proto !== 'unix');
  const unix = all.filter((l) => l.socket.proto === 'unix');

  const unchecked = result.hosts.filter((h) => h.hostKey?.check === 'unchecked');
  // as netstat -x: no empty Internet section when only unix sockets are shown
  const sections = [
    ...(inet.length > 0 || unix.length === 0 ? [inetSection(inet, multiHost, showNetns, opts)] : []),
    ...(unix.length > 0 ? [unixSection(unix, multiHost, showNetns, opts)] : []),
  ];
  const notes = (texts: readonly string[]) => texts.flatMap((text) => wrapNote(text, opts.width));
  const lines = [
    ...notes(
      unchecked.length > 0
        ? [`WARNING: host keys were NOT checked (--insecure-no-host-key-check) for ${unchecked.length} ${unchecked.length === 1 ? 'host' : 'hosts'}: a man in the middle would go unseen.`]
        : [],
    ),
    ...notes(attributionNote(result.hosts, multiHost)),
    ...sections.flatMap((section) => [...notes([section.title]), ...section.lines]),
    ...notes(sections.some((section) => section.queuesLeftOut) ? [QUEUES_LEFT_OUT_NOTE] : []),
    ...notes(ownSession > 0 ? [`(${ownSession} ${ownSession === 1 ? 'socket' : 'sockets'} of the scan's own session ${ownSession === 1 ? 'is' : 'are'} not shown: --json and --format csv list them, marked collector.)`] : []),
    ...notes(hostNotes(result.hosts)),
  ];
  return `${lines.join('\n')}\n`;
}
