// The port matrix for a terminal. Above it, the legend: each column's hosts (folded as `nodeset -f`
// does) and count, and the hosts that are in no column. Then the grid: one row per listening endpoint,
// one column per set of hosts that listen alike; a cell names the owner (`sshd root`), `-` where those
// hosts do not listen. Columns that do not fit the width go to a further block below, which repeats
// the endpoint columns (as `column`/`pr` fold a wide table); --hosts-as-rows turns the grid around.
// Every remote string is escaped; no line is longer than the width.
import type { MatrixCell, MatrixEndpoint, MatrixRow, PortMatrix } from '../model/matrix.js';
import { escapeForTerminal } from './escape.js';
import { PARTIAL_ATTRIBUTION_NOTE, ROOT_PARTIAL_ATTRIBUTION_NOTE } from './table.js';
import { fitToWidth, padToWidth, plural, wrapAtCommas, wrapAtSpaces } from './text-layout.js';
import { displayWidth, truncateToWidth } from './text-width.js';

export interface MatrixTableOptions {
  /** terminal columns; undefined: no limit */
  width?: number;
  /** hosts (column sets) as rows, endpoints as columns */
  hostsAsRows?: boolean;
}

/** A cell is cut to this many columns; its whole text is in the JSON and the CSV. */
const CELL_MAX = 24;
/** A column's heading is its nodeset when that is at most this wide, else its number in the legend. */
const HEADING_MAX = 18;
const DUAL_STACK_MARK = '*';
const DUAL_STACK_NOTE = `${DUAL_STACK_MARK} [::] may take IPv4 too (dual-stack): /proc does not say`;

function bindOf(e: MatrixEndpoint): string {
  if (e.family === 'unix') return escapeForTerminal(e.address ?? '(unbound)');
  const address = e.family === 'inet6' ? `[${e.address}]` : (e.address ?? '');
  return `${address}${e.maybeDualStack ? DUAL_STACK_MARK : ''}`;
}

/** `sshd root`, `nginx root,www-data`, `? root` (no process seen), joined by `; ` for several processes. */
export function cellText(cell: MatrixCell | null): string {
  if (cell === null) return '-';
  const byProcess = new Map<string, string[]>();
  for (const o of cell.owners) {
    const name = o.process === null ? '?' : escapeForTerminal(o.process);
    const users = byProcess.get(name) ?? [];
    if (o.user !== null) users.push(escapeForTerminal(o.user));
    byProcess.set(name, users);
  }
  return [...byProcess].map(([name, users]) => (users.length > 0 ? `${name} ${users.join(',')}` : name)).join('; ');
}

interface Grid {
  /** the columns every block repeats: headings and one cell per line */
  fixed: { heading: string; cells: string[]; align: 'left' | 'right'; cut: 'end' | 'middle' }[];
  /** the columns dealt into blocks */
  varying: { heading: string; cells: string[] }[];
}

function endpointColumns(rows: readonly MatrixRow[]): Grid['fixed'] {
  const hasNetns = rows.some((r) => r.netns !== null);
  const columns: Grid['fixed'] = [
    { heading: 'Proto', cells: rows.map((r) => r.proto), align: 'left', cut: 'end' },
    { heading: 'Port', cells: rows.map((r) => (r.port === null ? '-' : String(r.port))), align: 'right', cut: 'end' },
    { heading: 'Bind', cells: rows.map(bindOf), align: 'left', cut: 'middle' },
    { heading: 'Service', cells: rows.map((r) => escapeForTerminal(r.service ?? '')), align: 'left', cut: 'end' },
  ];
  if (hasNetns) columns.push({ heading: 'Netns', cells: rows.map((r) => escapeForTerminal(r.netns ?? '')), align: 'left', cut: 'middle' });
  return columns;
}

function columnHeading(nodeset: string, number: number): string {
  const safe = escapeForTerminal(nodeset);
  return displayWidth(safe) <= HEADING_MAX ? safe : `#${number}`;
}

/** Lines of one block: the fixed columns, then the varying ones given. */
function blockLines(fixed: Grid['fixed'], fixedWidths: number[], varying: Grid['varying'], widths: number[], lineCount: number): string[] {
  const line = (cells: string[], aligns: Array<'left' | 'right'>, ws: number[]) => cells.map((c, i) => padToWidth(c, ws[i]!, aligns[i]!)).join('  ').trimEnd();
  const aligns = [...fixed.map((f) => f.align), ...varying.map(() => 'left' as const)];
  const allWidths = [...fixedWidths, ...widths];
  const out = [line([...fixed.map((f, i) => fitToWidth(f.heading, fixedWidths[i]!, f.cut)), ...varying.map((v, i) => truncateToWidth(v.heading, widths[i]!))], aligns, allWidths)];
  for (let row = 0; row < lineCount; row++) {
    out.push(line([...fixed.map((f, i) => fitToWidth(f.cells[row]!, fixedWidths[i]!, f.cut)), ...varying.map((v, i) => truncateToWidth(v.cells[row]!, widths[i]!))], aligns, allWidths));
  }
  return out;
}

/** The grid in blocks of as many varying columns as fit `width` beside the fixed ones (at least one). */
function renderGrid(grid: Grid, lineCount: number, width: number | undefined): string[] {
  const natural = (heading: string, cells: string[]) => cells.reduce((w, c) => Math.max(w, displayWidth(c)), displayWidth(heading));
  let fixedWidths = grid.fixed.map((f) => natural(f.heading, f.cells));
  const varyingWidths = grid.varying.map((v) => Math.min(CELL_MAX, natural(v.heading, v.cells)));
  const gap = 2;
  const fixedTotal = () => fixedWidths.reduce((a, b) => a + b, 0) + gap * (fixedWidths.length - 1);
  if (width !== undefined) {
    // the fixed columns leave room for one varying column: cut the widest fixed ones first
    const firstVarying = Math.min(varyingWidths[0] ?? 0, CELL_MAX);
    while (fixedTotal() + gap + firstVarying > width && Math.max(...fixedWidths) > 4) {
      const widest = fixedWidths.indexOf(Math.max(...fixedWidths));
      fixedWidths = fixedWidths.map((w, i) => (i === widest ? w - 1 : w));
    }
  }
  const blocks: number[][] = [];
  let current: number[] = [];
  let used = fixedTotal();
  grid.varying.forEach((_, i) => {
    const need = gap + varyingWidths[i]!;
    if (width !== undefined && current.length > 0 && used + need > width) {
      blocks.push(current);
      current = [];
      used = fixedTotal();
    }
    current.push(i);
    used += need;
  });
  if (current.length > 0 || blocks.length === 0) blocks.push(current);
  const lines: string[] = [];
  blocks.forEach((block, b) => {
    if (b > 0) lines.push('');
    // a column that alone does not fit is cut to what is left
    const widths = block.map((i) => (width === undefined ? varyingWidths[i]! : Math.max(1, Math.min(varyingWidths[i]!, width - fixedTotal() - gap))));
    lines.push(...blockLines(grid.fixed, fixedWidths, block.map((i) => grid.varying[i]!), widths, lineCount));
  });
  return width === undefined ? lines : lines.map((l) => truncateToWidth(l, width));
}

function legend(matrix: PortMatrix, width: number | undefined): string[] {
  const hosts = matrix.columns.reduce((n, c) => n + c.count, 0);
  const unscanned = matrix.unscanned.reduce((n, u) => n + u.count, 0);
  const head = `Listening on ${plural(hosts, 'host')}: ${plural(matrix.columns.length, 'listening set')}${unscanned > 0 ? `; ${plural(unscanned, 'host')} not scanned` : ''}`;
  const lines = wrapAtCommas(head, width, 2);
  matrix.columns.forEach((c, i) => lines.push(...wrapAtCommas(`  #${i + 1}  ${escapeForTerminal(c.nodeset)}  (${plural(c.count, 'host')})`, width, 6)));
  for (const u of matrix.unscanned) lines.push(...wrapAtCommas(`  not scanned (${u.status}): ${escapeForTerminal(u.nodeset)}  (${plural(u.count, 'host')})`, width, 6));
  return lines;
}

/** The matrix as the terminal shows it, ending with a newline. */
export function formatMatrixTable(matrix: PortMatrix, options: MatrixTableOptions = {}): string {
  const { width } = options;
  const lines = legend(matrix, width);
  lines.push('');
  if (matrix.columns.length === 0) {
    lines.push('No host was scanned: there is nothing to compare.');
  } else if (matrix.rows.length === 0) {
    lines.push('No listening socket on any scanned host.');
  } else if (options.hostsAsRows) {
    const endpoints = endpointColumns(matrix.rows);
    // proto, port, bind (and netns): what tells endpoints apart; the service name would only be cut
    const label = (r: number) => endpoints.filter((c) => c.heading !== 'Service').map((c) => c.cells[r]).filter((t) => t !== '' && t !== '-').join(' ');
    const grid: Grid = {
      fixed: [{ heading: 'Hosts', cells: matrix.columns.map((c, i) => columnHeading(c.nodeset, i + 1)), align: 'left', cut: 'middle' }],
      varying: matrix.rows.map((row, r) => ({ heading: label(r), cells: row.cells.map(cellText) })),
    };
    lines.push(...renderGrid(grid, matrix.columns.length, width));
  } else {
    const grid: Grid = {
      fixed: endpointColumns(matrix.rows),
      varying: matrix.columns.map((c, i) => ({ heading: columnHeading(c.nodeset, i + 1), cells: matrix.rows.map((row) => cellText(row.cells[i] ?? null)) })),
    };
    lines.push(...renderGrid(grid, matrix.rows.length, width));
  }
  const notes: string[] = [];
  if (matrix.rows.some((r) => r.maybeDualStack)) notes.push(DUAL_STACK_NOTE);
  for (const p of matrix.partialAttribution) {
    notes.push(p.asRoot ? ROOT_PARTIAL_ATTRIBUTION_NOTE : PARTIAL_ATTRIBUTION_NOTE, `(hosts: ${escapeForTerminal(p.nodeset)}; \`?\`: no process seen holding it)`);
  }
  if (notes.length > 0) lines.push('', ...notes.flatMap((note) => wrapAtSpaces(note, width)));
  return `${lines.join('\n')}\n`;
}
