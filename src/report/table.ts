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
// One table for the whole fleet, columns aligned across hosts: as hosts arrive (in output order),
// their rows' widths are measured (TableTally) and the rows are kept, in a spool file when streaming
// (openTableWriter); the table is written once the last host is in. Only column maxima and each host's
// few note lines stay in memory. Every cell is escaped with escapeForTerminal (table-rows.ts).
import type { Writable } from 'node:stream';
import type { HostScan, ScanResult } from '../model/index.js';
import { escapeForTerminal } from './escape.js';
import type { FormatWriter } from './output.js';
import type { SpoolDir } from './spool.js';
import { LineSpool } from './spool.js';
import { GridRenderer, measureRow, planGrid, wrapNote, type Column } from './table-grid.js';
import { hostTable, type PartialHost } from './table-rows.js';
import { writeChunk } from './write.js';

export { formatInetEndpoint } from './table-rows.js';

export interface TableOptions {
  /** ANSI styling of the header, host headings and LISTEN; nothing else */
  color: boolean;
  /** terminal width: when set, no line is wider (see table-grid.ts); undefined: no limit */
  width?: number;
  /** columns beyond netstat's, shown only when asked (--extra-columns): Internet sockets' service and direction */
  extraColumns?: ReadonlyArray<ExtraColumn>;
}

export const EXTRA_COLUMNS = ['service', 'direction'] as const;
export type ExtraColumn = (typeof EXTRA_COLUMNS)[number];

/** netstat's note when it cannot see every process (not root). */
export const PARTIAL_ATTRIBUTION_NOTE =
  '(Not all processes could be identified, non-owned process info will not be shown, you would have to be root to see it all.)';

/** The same, when the collection ran as root and some fd links were still unreadable. */
export const ROOT_PARTIAL_ATTRIBUTION_NOTE =
  '(Not all processes could be identified: some processes\' fd links could not be read, even as root.)';

const QUEUES_LEFT_OUT_NOTE = '(Recv-Q and Send-Q are left out to fit the terminal: -W, or a wider terminal, shows them.)';

function column(title: string, align: Column['align'] = 'left', more: Pick<Column, 'min' | 'role' | 'cut'> = {}): Column {
  return { title, align, ...more };
}

/** Host and Netns, then each section's own columns: the cells of table-rows.ts, in that order. */
const LEADING_COLUMNS = [column('Host', 'left', { role: 'host' }), column('Netns', 'left', { min: 8, cut: 'middle' })];
const INET_COLUMNS = [
  ...LEADING_COLUMNS,
  column('Proto'),
  column('Recv-Q', 'right', { role: 'queue' }),
  column('Send-Q', 'right', { role: 'queue' }),
  column('Local Address'),
  column('Foreign Address'),
  column('State'),
  column('User', 'left', { min: 8 }),
  column('PID/Program name', 'left', { min: 10 }),
  // the extra columns, last (table-rows.ts gives their cells after netstat's)
  column('Service', 'left', { min: 6 }),
  column('Direction'),
];
/** Where the extra columns sit among INET_COLUMNS. */
const EXTRA_AT: Record<ExtraColumn, number> = { service: 10, direction: 11 };
const UNIX_COLUMNS = [
  ...LEADING_COLUMNS,
  column('Proto'),
  column('Type'),
  column('State'),
  column('I-Node'),
  column('User', 'left', { min: 8 }),
  column('PID/Program name', 'left', { min: 10 }),
  column('Path', 'left', { min: 12 }),
];

export type SectionName = 'inet' | 'unix';

/** A section as it will be written: its title's lines, header, and how each kept row is rendered. */
export interface PlannedSection {
  name: SectionName;
  head: string[];
  row: (cells: readonly string[]) => string[];
}

export interface TablePlan {
  before: string[];
  sections: PlannedSection[];
  after: string[];
}

/** What the whole table needs to know of the hosts before its first line: counts, widths, notes. */
export class TableTally {
  private hosts = 0;
  private readonly rows: Record<SectionName, number> = { inet: 0, unix: 0 };
  private readonly widths: Record<SectionName, number[]> = { inet: [], unix: [] };
  private ownSession = 0;
  private otherNetns = false;
  private unchecked = 0;
  private readonly partial: PartialHost[] = [];
  private readonly hostNotes: string[] = [];

  /** Takes a host's measures and notes; gives back its rows, for the caller to keep. */
  add(host: HostScan): Record<SectionName, string[][]> {
    const table = hostTable(host);
    this.hosts += 1;
    for (const name of ['inet', 'unix'] as const) {
      this.rows[name] += table[name].length;
      for (const cells of table[name]) measureRow(this.widths[name], cells);
    }
    this.ownSession += table.ownSession;
    this.otherNetns ||= table.otherNetns;
    if (table.unchecked) this.unchecked += 1;
    if (table.partial) this.partial.push(table.partial);
    this.hostNotes.push(...table.notes);
    return { inet: table.inet, unix: table.unix };
  }

  plan(opts: TableOptions): TablePlan {
    const multiHost = this.hosts > 1;
    const showNetns = this.otherNetns;
    // the leading columns the scan needs: Host with several hosts, Netns when a socket is elsewhere
    const extra = new Set((opts.extraColumns ?? []).map((c) => EXTRA_AT[c]));
    const keep = (_: unknown, i: number) => (i === 0 ? multiHost : i === 1 ? showNetns : i >= EXTRA_AT.service ? extra.has(i) : true);
    const notes = (texts: readonly string[]) => texts.flatMap((text) => wrapNote(text, opts.width));
    const section = (name: SectionName, title: string, all: readonly Column[]): PlannedSection & { queuesLeftOut: boolean } => {
      const columns = all.filter(keep);
      const grid = planGrid(columns, this.widths[name].filter(keep), opts.width);
      const renderer = new GridRenderer(columns, grid, opts);
      return { name, head: [...notes([title]), renderer.header()], row: (cells) => renderer.row(cells.filter(keep)), queuesLeftOut: grid.queuesLeftOut };
    };
    // as netstat -x: no empty Internet section when only unix sockets are shown
    const sections = [
      ...(this.rows.inet > 0 || this.rows.unix === 0 ? [section('inet', 'Active Internet connections', INET_COLUMNS)] : []),
      ...(this.rows.unix > 0 ? [section('unix', 'Active UNIX domain sockets', UNIX_COLUMNS)] : []),
    ];
    const own = this.ownSession;
    return {
      before: [
        ...notes(
          this.unchecked > 0
            ? [`WARNING: host keys were NOT checked (--insecure-no-host-key-check) for ${this.unchecked} ${this.unchecked === 1 ? 'host' : 'hosts'}: a man in the middle would go unseen.`]
            : [],
        ),
        ...notes(attributionNote(this.partial, multiHost)),
      ],
      sections,
      after: [
        ...notes(sections.some((s) => s.queuesLeftOut) ? [QUEUES_LEFT_OUT_NOTE] : []),
        ...notes(own > 0 ? [`(${own} ${own === 1 ? 'socket' : 'sockets'} of the scan's own session ${own === 1 ? 'is' : 'are'} not shown: --json and --format csv list them, marked collector.)`] : []),
        ...notes(this.hostNotes),
      ],
    };
  }
}

function attributionNote(partial: readonly PartialHost[], multiHost: boolean): string[] {
  if (partial.length === 0) return [];
  // As root the cause is not privilege (e.g. a process protected from ptrace): netstat's note would mislead.
  const asRoot = partial.filter((h) => h.asRoot);
  const notRoot = partial.filter((h) => !h.asRoot);
  const names = (list: readonly PartialHost[]) => (multiHost ? [`(hosts: ${list.map((h) => escapeForTerminal(h.name)).join(', ')})`] : []);
  return [
    ...(notRoot.length > 0 ? [PARTIAL_ATTRIBUTION_NOTE, ...names(notRoot)] : []),
    ...(asRoot.length > 0 ? [ROOT_PARTIAL_ATTRIBUTION_NOTE, ...names(asRoot)] : []),
    ...partial.filter((h) => h.detail !== '').map((h) => escapeForTerminal(`(${multiHost ? `${h.name}: ` : ''}${h.detail})`)),
  ];
}

/** The scan as netstat-like text for a terminal; ends with a newline. */
export function formatTable(result: ScanResult, opts: TableOptions): string {
  const tally = new TableTally();
  const kept: Record<SectionName, string[][]> = { inet: [], unix: [] };
  for (const host of result.hosts) {
    const rows = tally.add(host);
    for (const name of ['inet', 'unix'] as const) for (const cells of rows[name]) kept[name].push(cells);
  }
  const plan = tally.plan(opts);
  const lines = [...plan.before, ...plan.sections.flatMap((s) => [...s.head, ...kept[s.name].flatMap(s.row)]), ...plan.after];
  return `${lines.join('\n')}\n`;
}

/** Lines are gathered to about this many characters per write. */
const BATCH = 64 * 1024;

/** The same table, its rows spooled to disk as hosts arrive, written out at the end. */
export function openTableWriter(out: Writable, opts: TableOptions, dir: SpoolDir): FormatWriter {
  const tally = new TableTally();
  const spools: Record<SectionName, LineSpool> = { inet: new LineSpool(dir, 'table-inet.jsonl'), unix: new LineSpool(dir, 'table-unix.jsonl') };
  let batch = '';
  const put = async (lines: readonly string[]) => {
    for (const line of lines) batch += `${line}\n`;
    if (batch.length >= BATCH) {
      await writeChunk(out, batch);
      batch = '';
    }
  };
  return {
    start: async () => {},
    host: async (scan) => {
      const rows = tally.add(scan);
      for (const name of ['inet', 'unix'] as const) for (const cells of rows[name]) await spools[name].append(JSON.stringify(cells));
    },
    end: async () => {
      const plan = tally.plan(opts);
      await put(plan.before);
      for (const section of plan.sections) {
        await put(section.head);
        for await (const line of spools[section.name].readAll()) await put(section.row(JSON.parse(line) as string[]));
      }
      await put(plan.after);
      await writeChunk(out, batch);
    },
    close: async () => {
      await Promise.allSettled([spools.inet.close(), spools.unix.close()]);
    },
  };
}
