// The terminal table, in netstat's language (`netstat -tulpen`, `netstat -xp`).
//
// Addresses are printed the way `netstat -n` prints them: `address:port`, IPv6 WITHOUT brackets
// (`::1:631`, `:::22`), and `*` for port 0 (`0.0.0.0:*`, `:::*`). Ambiguous for a machine, but it is
// what every SRE's eyes are trained on; machines should read the JSON.
//
// Column order follows `netstat -e`: … State, User, PID/Program name — the one unbounded column last.
// A Host column leads when the scan has more than one host, then a Netns column when any socket lives
// outside the `default` namespace. unix sockets get their own section, as netstat -x loosely:
// Proto, Type, State, I-Node, User, PID/Program name, Path.
//
// Every cell is escaped with escapeForTerminal (remote text may carry terminal escapes).
import type { HostScan, InetEndpoint, ProcessRef, ScanResult, Socket } from '../model/index.js';
import { escapeForTerminal } from './escape.js';
import { displayWidth, truncateToWidth } from './text-width.js';

export interface TableOptions {
  /** ANSI styling of the header and of LISTEN; nothing else */
  color: boolean;
  /** terminal width: when set, PID/Program name and Path are cut (with `…`) to fit, never other columns */
  width?: number;
}

/** netstat's note when it cannot see every process (not root). */
export const PARTIAL_ATTRIBUTION_NOTE =
  '(Not all processes could be identified, non-owned process info will not be shown, you would have to be root to see it all.)';

/** The same, when the collection ran as root and some fd links were still unreadable. */
export const ROOT_PARTIAL_ATTRIBUTION_NOTE =
  '(Not all processes could be identified: some processes\' fd links could not be read, even as root.)';

const BOLD = '\x1b[1m';
const GREEN = '\x1b[32m';
const RESET = '\x1b[0m';

/** A truncatable column is never cut below this many columns, whatever the terminal width. */
const MIN_TRUNCATED_WIDTH = 8;

interface Column {
  title: string;
  align: 'left' | 'right';
  /** may be cut to honour `width` (long, free-form text) */
  truncatable: boolean;
}

interface Row {
  /** escaped cells, one per column */
  cells: string[];
}

function column(title: string, align: Column['align'] = 'left', truncatable = false): Column {
  return { title, align, truncatable };
}

/** `address:port` as netstat -n prints it; port 0 is `*`. */
export function formatInetEndpoint(endpoint: InetEndpoint): string {
  return `${endpoint.address}:${endpoint.port === 0 ? '*' : String(endpoint.port)}`;
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

function columnWidths(columns: readonly Column[], rows: readonly Row[], maxWidth: number | undefined): number[] {
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.title), ...rows.map((r) => displayWidth(r.cells[i] ?? ''))),
  );
  if (maxWidth === undefined) return widths;
  const gaps = columns.length - 1;
  let excess = widths.reduce((a, b) => a + b, 0) + gaps - maxWidth;
  // Take one column at a time from the widest truncatable column, so that two long columns share the cut.
  while (excess > 0) {
    let widest = -1;
    columns.forEach((c, i) => {
      const w = widths[i] ?? 0;
      if (c.truncatable && w > MIN_TRUNCATED_WIDTH && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    excess -= 1;
  }
  return widths;
}

function renderGrid(columns: readonly Column[], rows: readonly Row[], opts: TableOptions): string[] {
  const widths = columnWidths(columns, rows, opts.width);
  const stateIndex = columns.findIndex((c) => c.title === 'State');
  const last = columns.length - 1;

  const renderLine = (cells: readonly string[], styleCell: (text: string, i: number) => string): string =>
    cells
      .map((raw, i) => {
        const width = widths[i] ?? 0;
        const text = displayWidth(raw) > width ? truncateToWidth(raw, width) : raw;
        const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
        const styled = styleCell(text, i);
        if (i === last && columns[i]?.align === 'left') return styled;
        return columns[i]?.align === 'right' ? fill + styled : styled + fill;
      })
      .join(' ')
      .replace(/ +$/, ''); // no trailing blanks (an empty last cell)

  const header = renderLine(
    columns.map((c) => c.title),
    (t) => t,
  );
  const lines = [opts.color ? `${BOLD}${header}${RESET}` : header];
  for (const row of rows) {
    lines.push(
      renderLine(row.cells, (text, i) =>
        opts.color && i === stateIndex && text === 'LISTEN' ? `${GREEN}${text}${RESET}` : text,
      ),
    );
  }
  return lines;
}

interface Located {
  host: HostScan;
  socket: Socket;
}

function leadingColumns(multiHost: boolean, showNetns: boolean): Column[] {
  return [...(multiHost ? [column('Host')] : []), ...(showNetns ? [column('Netns')] : [])];
}

function leadingCells({ host, socket }: Located, multiHost: boolean, showNetns: boolean): string[] {
  return [...(multiHost ? [host.name] : []), ...(showNetns ? [socket.netns] : [])];
}

function inetSection(sockets: readonly Located[], multiHost: boolean, showNetns: boolean, opts: TableOptions): string[] {
  const columns = [
    ...leadingColumns(multiHost, showNetns),
    column('Proto'),
    column('Recv-Q', 'right'),
    column('Send-Q', 'right'),
    column('Local Address'),
    column('Foreign Address'),
    column('State'),
    column('User'),
    column('PID/Program name', 'left', true),
  ];
  const rows = sockets.map((located): Row => {
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
    return { cells: cells.map(escapeForTerminal) };
  });
  return ['Active Internet connections', ...renderGrid(columns, rows, opts)];
}

function unixSection(sockets: readonly Located[], multiHost: boolean, showNetns: boolean, opts: TableOptions): string[] {
  const columns = [
    ...leadingColumns(multiHost, showNetns),
    column('Proto'),
    column('Type'),
    column('State'),
    column('I-Node'),
    column('User'),
    column('PID/Program name', 'left', true),
    column('Path', 'left', true),
  ];
  const rows = sockets.map((located): Row => {
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
    return { cells: cells.map(escapeForTerminal) };
  });
  return ['Active UNIX domain sockets', ...renderGrid(columns, rows, opts)];
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
  const all = result.hosts.flatMap((host) => host.sockets.map((socket): Located => ({ host, socket })));
  const showNetns = all.some((l) => l.socket.netns !== 'default');
  const inet = all.filter((l) => l.socket.proto !== 'unix');
  const unix = all.filter((l) => l.socket.proto === 'unix');

  const unchecked = result.hosts.filter((h) => h.hostKey?.check === 'unchecked');
  const lines = [
    ...(unchecked.length > 0
      ? [`WARNING: host keys were NOT checked (--insecure-no-host-key-check) for ${unchecked.length} ${unchecked.length === 1 ? 'host' : 'hosts'}: a man in the middle would go unseen.`]
      : []),
    ...attributionNote(result.hosts, multiHost),
    // as netstat -x: no empty Internet section when only unix sockets are shown
    ...(inet.length > 0 || unix.length === 0 ? inetSection(inet, multiHost, showNetns, opts) : []),
    ...(unix.length > 0 ? unixSection(unix, multiHost, showNetns, opts) : []),
    ...hostNotes(result.hosts),
  ];
  return `${lines.join('\n')}\n`;
}
