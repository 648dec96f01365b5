// Lays a table's columns out within a terminal's width, so that no row wraps. In this order, each
// step only when the one before did not fit:
//   1. free-form columns (PID/Program name, Path, User, Netns) are cut with `…`, each to a minimum;
//   2. Recv-Q and Send-Q are left out (a note says so): from /proc they are 0 for every listener;
//   3. the Host column becomes a heading line before each host's rows (a cut host name could pass
//      for another host);
//   4. what still does not fit is cut at the terminal's edge, with `…`.
// Addresses, ports and states are never cut in a column. No width: everything at its natural width.
// Cells arrive escaped (escapeForTerminal): no control character reaches a terminal from here.
// Widths are measured as rows go by (measureRow) and rows are rendered one at a time (GridRenderer):
// a table of any length is laid out without holding its rows.
import { fitToWidth, wrapAtSpaces } from './text-layout.js';
import { displayWidth, truncateToWidth } from './text-width.js';

export interface Column {
  title: string;
  align: 'left' | 'right';
  /** the fewest columns a cut may leave it (undefined: never cut) */
  min?: number;
  /** where a cut goes: at the end (default), or in the middle (names whose end tells them apart) */
  cut?: 'end' | 'middle';
  /** `queue`: may be left out (step 2); `host`: may become a heading (step 3) */
  role?: 'host' | 'queue';
}

export interface GridOptions {
  color: boolean;
  width?: number;
}

const BOLD = '\x1b[1m';
const GREEN = '\x1b[32m';
const RESET = '\x1b[0m';

/** How a table is laid out: which columns, how wide, and whether hosts get heading lines. */
export interface GridPlan {
  /** indexes of the columns shown, in order */
  shown: number[];
  widths: number[];
  hostHeadings: boolean;
  /** Recv-Q and Send-Q were left out to fit (for a note under the table) */
  queuesLeftOut: boolean;
}

/** Widens `widths` (one per column, kept across rows) to this row's cells: all a layout needs of a row. */
export function measureRow(widths: number[], cells: readonly string[]): void {
  for (let i = 0; i < cells.length; i++) {
    const width = displayWidth(cells[i] ?? '');
    if (width > (widths[i] ?? 0)) widths[i] = width;
  }
}

function naturalWidths(columns: readonly Column[], measured: readonly number[]): number[] {
  return columns.map((c, i) => Math.max(displayWidth(c.title), measured[i] ?? 0));
}

/** Cuts the shown shrinkable columns, widest first, until the row fits or each is at its minimum. */
function shrink(columns: readonly Column[], natural: readonly number[], shown: readonly number[], width: number): { widths: number[]; fits: boolean } {
  const widths = [...natural];
  const total = () => shown.reduce((sum, i) => sum + (widths[i] ?? 0), 0) + shown.length - 1;
  let excess = total() - width;
  while (excess > 0) {
    let widest = -1;
    for (const i of shown) {
      const min = columns[i]?.min;
      if (min !== undefined && (widths[i] ?? 0) > min && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0))) widest = i;
    }
    if (widest < 0) break;
    // take from the widest down to the next widest (or its minimum, or what is needed) in one step
    let next = columns[widest]?.min ?? 0;
    for (const i of shown) if (i !== widest && columns[i]?.min !== undefined) next = Math.max(next, widths[i] ?? 0);
    const cut = Math.max(1, Math.min(excess, (widths[widest] ?? 0) - next));
    widths[widest] = (widths[widest] ?? 0) - cut;
    excess -= cut;
  }
  return { widths, fits: excess <= 0 };
}

/** The layout of columns whose cells measured `measured` (measureRow), within `width` when set. */
export function planGrid(columns: readonly Column[], measured: readonly number[], width: number | undefined): GridPlan {
  const natural = naturalWidths(columns, measured);
  let shown = columns.map((_, i) => i);
  let hostHeadings = false;
  let widths = natural;
  if (width !== undefined) {
    const steps: Array<() => void> = [
      () => {},
      () => {
        shown = shown.filter((i) => columns[i]?.role !== 'queue');
      },
      () => {
        hostHeadings = shown.some((i) => columns[i]?.role === 'host');
        shown = shown.filter((i) => columns[i]?.role !== 'host');
      },
    ];
    for (const step of steps) {
      step();
      const attempt = shrink(columns, natural, shown, width);
      widths = attempt.widths;
      if (attempt.fits) break;
    }
  }
  const queuesLeftOut = columns.some((c, i) => c.role === 'queue' && !shown.includes(i));
  return { shown, widths, hostHeadings, queuesLeftOut };
}

/** Writes a planned table's header and rows, one row at a time (with a heading line where the host changes). */
export class GridRenderer {
  private readonly stateIndex: number;
  private readonly hostIndex: number;
  private readonly last: number | undefined;
  private host: string | undefined;

  constructor(
    private readonly columns: readonly Column[],
    private readonly plan: GridPlan,
    private readonly opts: GridOptions,
  ) {
    this.stateIndex = columns.findIndex((c) => c.title === 'State');
    this.hostIndex = columns.findIndex((c) => c.role === 'host');
    this.last = plan.shown[plan.shown.length - 1];
  }

  header(): string {
    const header = this.line(this.columns.map((c) => c.title), (t) => t);
    return this.opts.color ? `${BOLD}${header}${RESET}` : header;
  }

  /** The row's line, after a heading line when it starts another host's rows. */
  row(cells: readonly string[]): string[] {
    const lines: string[] = [];
    const { opts } = this;
    if (this.plan.hostHeadings && cells[this.hostIndex] !== this.host) {
      this.host = cells[this.hostIndex];
      const heading = opts.width !== undefined ? truncateToWidth(`${this.host}:`, opts.width) : `${this.host}:`;
      lines.push(opts.color ? `${BOLD}${heading}${RESET}` : heading);
    }
    lines.push(this.line(cells, (text, i) => (opts.color && i === this.stateIndex && text === 'LISTEN' ? `${GREEN}${text}${RESET}` : text)));
    return lines;
  }

  private line(cells: readonly string[], style: (text: string, i: number) => string): string {
    const { columns, plan, opts } = this;
    const line = plan.shown
      .map((i) => {
        const raw = cells[i] ?? '';
        const width = plan.widths[i] ?? 0;
        const text = fitToWidth(raw, width, columns[i]?.cut ?? 'end');
        const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
        if (i === this.last && columns[i]?.align === 'left') return style(text, i);
        return columns[i]?.align === 'right' ? fill + style(text, i) : style(text, i) + fill;
      })
      .join(' ')
      .replace(/ +$/, ''); // no trailing blanks (an empty last cell)
    return opts.width !== undefined && displayWidth(stripStyle(line)) > opts.width ? cutStyled(line, opts.width) : line;
  }
}

// eslint-disable-next-line no-control-regex
const STYLE = /\x1b\[[0-9;]*m/g;

function stripStyle(line: string): string {
  return line.replace(STYLE, '');
}

/** A line cut to `width` columns: with colour on, the cut drops the styling (it never splits a code). */
function cutStyled(line: string, width: number): string {
  return truncateToWidth(stripStyle(line), width);
}

/** Note lines (free text) wrapped at spaces to the width; a word longer than the width is cut. */
export function wrapNote(text: string, width: number | undefined): string[] {
  return wrapAtSpaces(text, width, (word, w) => [truncateToWidth(word, w)]);
}
