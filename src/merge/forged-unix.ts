// /proc/net/unix prints socket names raw (unix_seq_show): a name holding a newline writes whatever
// follows it as a line of its own, e.g. a fake `LISTEN /run/docker.sock` row. Such a line can only
// follow a row that has a name (its "anchor"), and must fit in that name (sun_path: 108 bytes). Among
// those lines, a row is taken as forged when it is also impossible or unheld:
//   - it claims an inode another row has (a unix row printed once, or a tcp/udp/packet socket);
//   - it claims to listen with inode 0 (listeners always have one);
//   - under full attribution, it has a name and an inode no fd link holds;
//   - its Num is zero where the kernel shows this reader pointers on every other row.
// A forged row is dropped with a `forged-line` issue, and its text given back to the name it is part of.
import type { ParseIssue, UnixSocketRow } from '../model/index.js';
import { splitLines } from '../parse/lines.js';
import { parseNetUnix } from '../parse/net-unix.js';

/** One namespace's /proc/net/unix: its raw text and the rows parsed from it. */
export interface UnixTable {
  file: string;
  text: string;
  rows: UnixSocketRow[];
}

export interface ForgeryEvidence {
  /** inodes of every row of the other tables (tcp, udp, raw, packet, …) of every namespace */
  otherTableInodes: ReadonlySet<number>;
  /** inodes held by some fd link, when attribution is full (else null: unheld proves nothing) */
  heldInodes: ReadonlySet<number> | null;
}

/** sun_path's size: the longest name the kernel can print (the leading `@` of an abstract one included). */
const MAX_NAME = 108;

interface Candidate {
  row: UnixSocketRow;
  anchor: UnixSocketRow | undefined;
  zeroNum: boolean;
  /** a line the parser folded into an equal earlier one (two forged copies of one row fold so) */
  folded: boolean;
}

/** Every unix row but the forged ones, names repaired, in table order; one issue per forged row. */
export function dropForgedUnixRows(tables: readonly UnixTable[], evidence: ForgeryEvidence, issues: ParseIssue[]): UnixSocketRow[][] {
  const perTable = tables.map(candidatesOf);
  const all = perTable.flat();
  const printed = new Map<number, Candidate[]>();
  for (const c of all) {
    if (c.row.inode === 0) continue;
    const same = printed.get(c.row.inode);
    if (same) same.push(c);
    else printed.set(c.row.inode, [c]);
  }

  const forged = new Set<Candidate>();
  const ambiguous = new Set<Candidate>();
  for (const c of all) if (c.anchor !== undefined && impossibleOrUnheld(c, evidence)) forged.add(c);
  // An inode printed twice: rows with no anchor are the kernel's; anchored ones are forged unless all
  // are anchored, when the first print is kept and the others reported as possibly the real one.
  for (const same of printed.values()) {
    const left = same.filter((c) => !forged.has(c));
    if (left.length < 2) continue;
    const anchored = left.filter((c) => c.anchor !== undefined);
    const keep = anchored.length === left.length ? anchored.slice(0, 1) : [];
    for (const c of anchored) {
      if (keep.includes(c)) continue;
      forged.add(c);
      if (keep.length > 0) ambiguous.add(c);
    }
  }

  return tables.map((table, i) => keepAndRepair(table, perTable[i] ?? [], forged, ambiguous, issues));
}

function impossibleOrUnheld(c: Candidate, evidence: ForgeryEvidence): boolean {
  const { row } = c;
  if (row.inode === 0) return row.state === 'LISTEN';
  if (evidence.otherTableInodes.has(row.inode)) return true;
  if (evidence.heldInodes !== null && row.path !== null && !evidence.heldInodes.has(row.inode)) return true;
  return c.zeroNum;
}

/** Each row with the row its line could continue: the nearest row before it, over unparsed lines, with a name it still fits in. */
function candidatesOf(table: UnixTable): Candidate[] {
  const lines = splitLines(table.text);
  const rowAt = new Map(table.rows.map((row) => [row.source.line, row]));
  const numOf = (line: number) => (lines[line - 1]?.text ?? '').trimStart().split(':', 1)[0] ?? '';
  const pointersShown = table.rows.some((row) => /[1-9a-fA-F]/.test(numOf(row.source.line)));
  const candidates: Candidate[] = [];
  let previous: UnixSocketRow | undefined;
  let nameLength = 0; // the previous row's name with the lines that follow it so far
  for (const line of lines) {
    const printed = rowAt.get(line.number);
    const row = printed ?? (line.number > 1 ? foldedRow(table, line.text, line.number) : undefined);
    if (row === undefined) {
      // a line no row came from (an issue): part of the previous name, if it fits
      nameLength += 1 + line.text.length;
      continue;
    }
    const fits = previous?.path != null && nameLength + 1 + line.text.length <= MAX_NAME;
    candidates.push({ row, anchor: fits ? previous : undefined, zeroNum: pointersShown && /^0+$/.test(numOf(line.number)), folded: printed === undefined });
    previous = row;
    nameLength = row.path?.length ?? 0;
  }
  return candidates;
}

/** The row a line the parser folded away stands for (the same line, parsed alone), else undefined. */
function foldedRow(table: UnixTable, text: string, line: number): UnixSocketRow | undefined {
  const netns = table.rows[0]?.netns ?? '';
  const [row] = parseNetUnix(`Num RefCount Protocol Flags Type St Inode Path\n${text}\n`, { file: table.file, byteOrder: 'little', netns }).rows;
  return row === undefined ? undefined : { ...row, source: { file: table.file, line } };
}

/** The table without its forged rows; each forged row's lines appended to the name they belong to. */
function keepAndRepair(table: UnixTable, candidates: readonly Candidate[], forged: ReadonlySet<Candidate>, ambiguous: ReadonlySet<Candidate>, issues: ParseIssue[]): UnixSocketRow[] {
  const lines = splitLines(table.text);
  const kept: UnixSocketRow[] = [];
  // a forged row's anchor may itself be forged (a name with two newlines): the name is the first real one's
  const owner = new Map<UnixSocketRow, { row: UnixSocketRow; through: number }>();
  for (const c of candidates) {
    if (!forged.has(c) || c.anchor === undefined) {
      if (c.folded) continue;
      const row = { ...c.row };
      kept.push(row);
      owner.set(c.row, { row, through: c.row.source.line });
      continue;
    }
    const name = owner.get(c.anchor);
    const at = c.row.source.line;
    if (name !== undefined) {
      const continued = lines.slice(name.through, at).map((l) => l.text);
      name.row.path = [name.row.path ?? '', ...continued].join('\n');
      name.through = at;
      owner.set(c.row, name);
    }
    const anchorLine = name?.row.source.line ?? c.anchor.source.line;
    issues.push({
      kind: 'forged-line',
      file: table.file,
      line: at,
      field: 'Path',
      message:
        `line ${at} is part of the name of the socket on line ${anchorLine} (inode ${c.anchor.inode}), which holds a newline: not a socket of its own` +
        (ambiguous.has(c) ? `; another line prints inode ${c.row.inode} too and may be the forged one` : ''),
    });
  }
  return kept;
}
