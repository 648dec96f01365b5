// /proc/net/unix prints socket names raw (unix_seq_show): a name holding a newline writes whatever
// follows it as a line of its own, e.g. a fake `LISTEN /run/docker.sock` row. The parser says which
// rows may be such a tail (UnixLineFacts.tailOf: the names whose 108 bytes reach them). Among those,
// a row is taken as forged when it is also impossible or unheld:
//   - it claims to listen with inode 0 (listeners always have one);
//   - it claims the inode of a tcp/udp/packet socket;
//   - under full attribution, it has a name and an inode no fd link holds;
//   - its Num is zeros where rows certainly the kernel's show this reader pointers, or the reverse;
//   - it claims an inode another row has, and that row is certainly the kernel's, or printed first;
// or when it lies between a forged row and the name that row is part of (that name holds it too).
// A print the parser folded into another print of its socket is forged when it may be a tail (and
// its inode is not 0, which identifies nothing): the other print is the row. A forged row is dropped
// with a `forged-line` issue, and its text given back to the name it is part of.
import type { ParseIssue, UnixNameTail, UnixSocketRow } from '../model/index.js';
import { FileIssues } from '../parse/lines.js';

/** One namespace's /proc/net/unix, as parsed. */
export interface UnixTable {
  file: string;
  rows: UnixSocketRow[];
}

export interface ForgeryEvidence {
  /** inodes of every row of the other tables (tcp, udp, raw, packet, …) of every namespace */
  otherTableInodes: ReadonlySet<number>;
  /** inodes held by some fd link, when attribution is full (else null: unheld proves nothing) */
  heldInodes: ReadonlySet<number> | null;
}

/** One line that printed a socket: a row's own, or one the parser folded into that row. */
interface Print {
  /** the table's index: prints of one inode in several tables are weighed together */
  table: number;
  line: number;
  row: UnixSocketRow;
  /** for a print folded into a row: that row's own print */
  own?: Print;
  /** the names this line may be the tail of, nearest first; undefined: certainly the kernel's */
  tailOf: readonly UnixNameTail[] | undefined;
  forged: boolean;
  /** for a forged print: the print whose name holds it, and what that name has after its path through this line */
  owner?: Print;
  rest?: string;
  /** forged as one of two prints of an inode that may both be tails, the other kept */
  ambiguous?: true;
}

interface TablePrints {
  file: string;
  /** every print, by line */
  at: Map<number, Print>;
  /** the rows' own prints, in the parser's order */
  rows: Print[];
}

/** Every unix row but the forged ones, names repaired, in table order; one issue per forged line. */
export function dropForgedUnixRows(tables: readonly UnixTable[], evidence: ForgeryEvidence, issues: ParseIssue[]): UnixSocketRow[][] {
  const perTable = tables.map(printsOf);
  for (const table of perTable) {
    const nums = numsShown(table.rows);
    for (const p of table.at.values()) {
      if (p.tailOf === undefined) continue;
      const foldedCopy = p.own !== undefined && p.row.inode !== 0;
      if (foldedCopy || impossibleOrUnheld(p.row, evidence, nums)) p.forged = true;
    }
  }
  perTable.forEach(giveToNames);
  forgeSecondPrints(perTable.flatMap((t) => t.rows));
  perTable.forEach(giveToNames);
  return perTable.map((table) => keepAndRepair(table, issues));
}

type NumKind = 'zeros' | 'pointer';
const numKind = (num: string): NumKind => (/^0+$/.test(num) ? 'zeros' : 'pointer');

/**
 * How this reader is shown Num (%pK): zeros where kptr_restrict hides pointers from it, else
 * pointers (real or hashed), the same for every row of one read. Taken only from rows certainly
 * the kernel's: a forged row must not make the real ones suspect. null when they disagree.
 */
function numsShown(rows: readonly Print[]): NumKind | null {
  let shown: NumKind | null | undefined;
  for (const p of rows) {
    if (p.tailOf !== undefined) continue;
    const kind = numKind(p.row.line.num);
    shown = shown === undefined || shown === kind ? kind : null;
  }
  return shown ?? null;
}

function impossibleOrUnheld(row: UnixSocketRow, evidence: ForgeryEvidence, nums: NumKind | null): boolean {
  if (nums !== null && numKind(row.line.num) !== nums) return true;
  if (row.inode === 0) return row.state === 'LISTEN';
  if (evidence.otherTableInodes.has(row.inode)) return true;
  return evidence.heldInodes !== null && row.path !== null && !evidence.heldInodes.has(row.inode);
}

function printsOf(table: UnixTable, index: number): TablePrints {
  const at = new Map<number, Print>();
  const rows: Print[] = [];
  for (const row of table.rows) {
    const own: Print = { table: index, line: row.source.line, row, tailOf: row.line.tailOf, forged: false };
    rows.push(own);
    at.set(own.line, own);
    for (const line of row.line.foldedLines) at.set(line, { table: index, line, row, own, tailOf: undefined, forged: false });
    for (const tail of row.line.foldedTails ?? []) {
      const folded = at.get(tail.line);
      if (folded) folded.tailOf = tail.tailOf;
    }
  }
  return { file: table.file, at, rows };
}

/**
 * An inode that rows print twice (the parser keeps both when they disagree and one may be a tail):
 * a print that may be a tail is forged when another is certainly the kernel's; when all may be,
 * the first printed is kept and the others reported as possibly the real one.
 */
function forgeSecondPrints(rows: readonly Print[]): void {
  const byInode = new Map<number, Print[]>();
  for (const p of rows) {
    if (p.forged || p.row.inode === 0) continue;
    const same = byInode.get(p.row.inode);
    if (same) same.push(p);
    else byInode.set(p.row.inode, [p]);
  }
  for (const same of byInode.values()) {
    if (same.length < 2) continue;
    const tails = same.filter((p) => p.tailOf !== undefined);
    const first = tails.length < same.length ? undefined : tails.reduce((a, b) => (b.table < a.table || (b.table === a.table && b.line < a.line) ? b : a));
    for (const p of tails) {
      if (p === first) continue;
      p.forged = true;
      if (first !== undefined) p.ambiguous = true;
    }
  }
}

/**
 * Each forged print's owner, the socket whose name holds it: the nearest name reaching it whose
 * print is not forged, else (a name with several newlines) the owner of the nearest, itself forged.
 * Every print between it and that nearest name is part of the name too. Taken in line order, so a
 * print's owner is known before the prints after it ask for it, and a later print whose name lies
 * further back takes over the prints before it.
 */
function giveToNames(table: TablePrints): void {
  for (const p of forgedInOrder(table)) {
    const readings = (p.tailOf ?? []).flatMap((t) => {
      const print = table.at.get(t.of);
      return print === undefined ? [] : [{ print, rest: t.rest }];
    });
    const direct = readings.find((r) => !r.print.forged);
    const nearest = direct ?? readings[0];
    if (nearest === undefined) continue;
    const via = nearest.print;
    // a line in the name printed on `via`: that name's socket is its owner (via's own owner when via is forged)
    const ownerFor = (rest: string): Pick<Print, 'owner' | 'rest'> =>
      direct !== undefined ? { owner: via, rest } : { owner: via.owner ?? via, rest: (via.rest ?? '') + rest };
    Object.assign(p, ownerFor(nearest.rest));
    // at most 108 lines: each line between uses a byte of via's name
    for (let line = via.line + 1; line < p.line; line++) {
      const between = table.at.get(line);
      const reading = between?.tailOf?.find((t) => t.of === via.line);
      if (between === undefined || reading === undefined) continue;
      between.forged = true;
      Object.assign(between, ownerFor(reading.rest));
    }
  }
}

function forgedInOrder(table: TablePrints): Print[] {
  return [...table.at.values()].filter((p) => p.forged).sort((a, b) => a.line - b.line);
}

/** A print whose name is a socket's: neither it nor its row's own print is forged. */
function isSocket(p: Print): boolean {
  return !p.forged && !(p.own?.forged ?? false);
}

/** The table without its forged rows; each forged line given back to the name it belongs to. */
function keepAndRepair(table: TablePrints, issues: ParseIssue[]): UnixSocketRow[] {
  // the longest rest of each socket's name that its forged lines give (every print of a name prints all of it)
  const rests = new Map<UnixSocketRow, string>();
  // a name of 200k newlines is one socket: its lines are issues as many as a file's bad lines may be
  const forgedLines = new FileIssues(table.file);
  for (const p of forgedInOrder(table)) {
    forgedLines.push(forgedLineIssue(table.file, p));
    const { owner, rest } = p;
    if (owner === undefined || rest === undefined || !isSocket(owner)) continue;
    if (rest.length > (rests.get(owner.row)?.length ?? 0)) rests.set(owner.row, rest);
  }
  for (const issue of forgedLines.done()) issues.push(issue);
  const kept: UnixSocketRow[] = [];
  for (const p of table.rows) {
    if (p.forged) continue;
    const rest = rests.get(p.row);
    kept.push(rest === undefined ? { ...p.row } : { ...p.row, path: `${p.row.path ?? ''}${rest}` });
  }
  return kept;
}

function forgedLineIssue(file: string, p: Print): ParseIssue {
  const { owner } = p;
  const whose =
    owner === undefined ? 'an earlier name, which holds a newline'
    : isSocket(owner) ? `the name of the socket on line ${owner.line} (inode ${owner.row.inode}), which holds a newline`
    : `the name printed on line ${owner.line}, which holds a newline and is no socket either`;
  // a folded copy of a row that may be a tail too, and stays: which of the two is the kernel's is unknown
  const copyOfKept = p.own !== undefined && p.row.inode !== 0 && p.own.tailOf !== undefined && !p.own.forged;
  const other = p.ambiguous || copyOfKept ? `; another line prints inode ${p.row.inode} too and may be the forged one` : '';
  return { kind: 'forged-line', file, line: p.line, field: 'Path', message: `line ${p.line} is part of ${whose}: not a socket of its own${other}` };
}
