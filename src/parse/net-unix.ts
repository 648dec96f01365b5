// /proc/net/unix (net/unix/af_unix.c, unix_seq_show):
//   Num       RefCount Protocol Flags    Type St Inode Path
//   "%pK: %08X %08X %08X %04X %02X %5lu" then, for a bound socket, ' ' and the name's bytes.
// Num is `%pK` (`%p` in older kernels, 2.6.32 included): zeros where kptr_restrict hides it, a hashed value, or a real
// 64-bit kernel pointer (root with kptr_restrict=1, Ubuntu's default, and old kernels); 8 digits on a
// 32-bit kernel. It is only a key here. The name is printed raw: it may contain spaces, start with
// them, or hold a newline, which ends the line early and lets whoever chose the name write lines
// that look like rows. An abstract name starts with '@'; its NUL bytes are printed as '@' by newer
// kernels and raw by older ones (2.6.18, 2.6.32): both are read as '@', as ss shows them.
import type { ParseContext, ParseIssue, Parsed, UnixLineFacts, UnixNameTail, UnixSocketRow, UnixState, UnixType } from '../model/index.js';
import { excerpt, lineIssue, parseDecimal, parseHex, tableLines, type LineProblem, type TextLine } from './lines.js';

/** include/linux/net.h `enum sock_type`. */
export const UNIX_TYPES: ReadonlyMap<number, UnixType> = new Map<number, UnixType>([
  [1, 'stream'],
  [2, 'dgram'],
  [3, 'raw'],
  [4, 'rdm'],
  [5, 'seqpacket'],
]);

/** include/uapi/linux/net.h `socket_state` (SS_UNCONNECTED …). */
export const UNIX_STATES: ReadonlyMap<number, UnixState> = new Map<number, UnixState>([
  [1, 'UNCONN'],
  [2, 'CONNECTING'],
  [3, 'CONNECTED'],
  [4, 'DISCONNECTING'],
]);

/** __SO_ACCEPTCON: the kernel sets it in Flags for a listening socket (its St is then 01). */
export const UNIX_FLAG_LISTENING = 0x10000;

/**
 * The most bytes a printed name can have: sun_path is 108 bytes (UNIX_PATH_MAX); an abstract name
 * prints its leading NUL as '@', a pathname drops its terminating NUL.
 */
export const UNIX_NAME_MAX = 108;

const COLUMNS = ['Num', 'RefCount', 'Protocol', 'Flags', 'Type', 'St', 'Inode', 'Path'];

/** A pointer as the kernel's %p/%pK prints it: any 64-bit value in hex, or the placeholder of a hash not yet seeded. */
const NUM = /^(?:[0-9A-Fa-f]{1,16}|\(ptrval\)|\(____ptrval____\))$/;

/**
 * Byte for byte what unix_seq_show prints on 2.6 to 6.x: a lowercase pointer of a 32- or 64-bit
 * kernel, Protocol 0, Flags 0 or __SO_ACCEPTCON, a unix socket type, an SS_* state, %5lu.
 */
const KERNEL_LAYOUT =
  /^(?:[0-9a-f]{8}|[0-9a-f]{16}|\(ptrval\)|\(____ptrval____\)): [0-9A-F]{8} 00000000 000[01]0000 000[125] 0[1-4] (?: {4}[0-9]| {3}[1-9][0-9]| {2}[1-9][0-9]{2}| [1-9][0-9]{3}|[1-9][0-9]{4,})(?: .+)?$/s;

export function parseNetUnix(text: string, ctx: ParseContext): Parsed<UnixSocketRow> {
  const { data, issues } = tableLines(text, ctx.file, 'Num');
  const folder = new UnixFolder();
  const names = new RunningNames();
  let previous: { row: UnixSocketRow | null; named: boolean } = { row: null, named: false };
  for (const line of data) {
    const tailOf = names.next(line.text);
    const mayBeNameTail = tailOf.length > 0;
    const result = readLine(line.text);
    if ('problem' in result) {
      issues.push(fragmentIssue(ctx, line, result.problem, mayBeNameTail));
      if (mayBeNameTail && previous.named && previous.row) previous.row.line.nameRunsOn = true;
      previous = { row: null, named: false };
      continue;
    }
    const facts: UnixLineFacts = {
      num: result.num,
      kernelLayout: KERNEL_LAYOUT.test(line.text),
      mayBeNameTail,
      afterFragment: previous.row === null && line !== data[0],
      nameRunsOn: false,
      foldedLines: [],
    };
    if (mayBeNameTail) facts.tailOf = tailOf;
    const row: UnixSocketRow = { ...result.row, netns: ctx.netns, source: { file: ctx.file, line: line.number }, line: facts };
    folder.add(row);
    if (row.path !== null) names.begin(line.number, result.printedNameLength);
    previous = { row, named: row.path !== null };
  }
  return { rows: folder.rows(), issues: issues.done() };
}

/**
 * The names that may still be running on into the next line: each row's name has UNIX_NAME_MAX
 * bytes, and every line after it, with its newline, uses some. A name no line fits in any more is
 * dropped, so at most a handful are open at once (a row with a name has 16 bytes or more).
 */
class RunningNames {
  private open: Array<{ of: number; rest: string; left: number }> = [];

  /** The next line: each name it may continue, read on through it, the nearest first. */
  next(text: string): UnixNameTail[] {
    const cost = 1 + text.length;
    const still = this.open.filter((n) => n.left >= cost);
    this.open = still;
    if (still.length === 0) return [];
    const shown = text.replaceAll('\0', '@');
    const tails: UnixNameTail[] = [];
    for (let i = still.length - 1; i >= 0; i--) {
      const n = still[i]!;
      n.left -= cost;
      n.rest += `\n${shown}`;
      tails.push({ of: n.of, rest: n.rest });
    }
    return tails;
  }

  /** A row with a name: the kernel printed `printedLength` of its bytes on the row's own line. */
  begin(of: number, printedLength: number): void {
    this.open.push({ of, rest: '', left: UNIX_NAME_MAX - printedLength });
  }
}

/** A line that is not a row. Within a name's reach it is most likely that name's rest, and says so. */
function fragmentIssue(ctx: ParseContext, line: TextLine, problem: LineProblem, mayBeNameTail: boolean): ParseIssue {
  if (!mayBeNameTail || !line.terminated) return lineIssue(ctx.file, line, problem);
  return lineIssue(ctx.file, line, {
    kind: 'bad-line',
    field: 'Path',
    message: `not a row: most likely the rest of a socket name that holds a newline (${problem.message})`,
  });
}

type LineResult =
  | { row: Omit<UnixSocketRow, 'netns' | 'source' | 'line'>; num: string; printedNameLength: number }
  | { problem: LineProblem };

function readLine(text: string): LineResult {
  const split = splitColumns(text);
  if ('problem' in split) return split;
  const [num = '', refText = '', , flagsText = '', typeText = '', stText = '', inodeText = ''] = split.columns;

  if (!num.endsWith(':') || !NUM.test(num.slice(0, -1))) {
    return { problem: { kind: 'bad-number', field: 'Num', message: `bad Num ${excerpt(num)}` } };
  }
  const refCount = parseHex(refText);
  if (refCount === null) return { problem: { kind: 'bad-number', field: 'RefCount', message: `bad RefCount ${excerpt(refText)}` } };
  // Protocol is always 0 and not read.
  const flags = parseHex(flagsText);
  if (flags === null) return { problem: { kind: 'bad-number', field: 'Flags', message: `bad Flags ${excerpt(flagsText)}` } };

  const typeCode = parseHex(typeText);
  if (typeCode === null) return { problem: { kind: 'bad-number', field: 'Type', message: `bad Type ${excerpt(typeText)}` } };
  const type = UNIX_TYPES.get(typeCode);
  // no kind names "unknown type": a socket type code the kernel does not define is reported like a state
  if (type === undefined) return { problem: { kind: 'unknown-state', field: 'Type', message: `unknown socket type ${excerpt(typeText)}` } };

  const stCode = parseHex(stText);
  if (stCode === null) return { problem: { kind: 'bad-number', field: 'St', message: `bad St ${excerpt(stText)}` } };
  const socketState = UNIX_STATES.get(stCode);
  if (socketState === undefined) return { problem: { kind: 'unknown-state', field: 'St', message: `unknown St ${excerpt(stText)}` } };

  const inode = parseDecimal(inodeText);
  if (inode === null) return { problem: { kind: 'bad-number', field: 'Inode', message: `bad Inode ${excerpt(inodeText)}` } };

  // The kernel writes the separator only before a name, and a name is never empty.
  if (split.path === '') return { problem: { kind: 'bad-line', field: 'Path', message: 'a space but no name after Inode' } };

  return {
    row: {
      proto: 'unix',
      type,
      state: (flags & UNIX_FLAG_LISTENING) !== 0 ? 'LISTEN' : socketState,
      path: split.path === null ? null : split.path.replaceAll('\0', '@'),
      refCount,
      flags,
      inode,
    },
    num: num.slice(0, -1),
    printedNameLength: split.path?.length ?? 0,
  };
}

/**
 * Seven blank-separated columns, then either the end of the line or ONE space and the name verbatim
 * (which may itself start with spaces). One pass over the line.
 */
function splitColumns(text: string): { columns: string[]; path: string | null } | { problem: LineProblem } {
  const blank = (i: number): boolean => text[i] === ' ' || text[i] === '\t';
  const columns: string[] = [];
  let i = 0;
  while (i < text.length && blank(i)) i++;
  while (columns.length < 7 && i < text.length) {
    const start = i;
    while (i < text.length && !blank(i)) i++;
    columns.push(text.slice(start, i));
    if (columns.length < 7) while (i < text.length && blank(i)) i++;
  }
  if (columns.length === 0) return { problem: { kind: 'bad-line', message: 'blank line' } };
  if (columns.length < 7) {
    const count = columns.length;
    return { problem: { kind: 'too-few-fields', field: COLUMNS[count], message: `${count} columns, need 7: ${excerpt(text)}` } };
  }
  if (i === text.length) return { columns, path: null };
  if (text[i] !== ' ') return { problem: { kind: 'bad-line', message: `no single space before Path: ${excerpt(text)}` } };
  return { columns, path: text.slice(i + 1) };
}

/**
 * A socket printed twice by a non-atomic read is one socket, and its later print the newer state.
 * For inode ≠ 0 the identity is the inode (one file is one table of one namespace); inode 0 (a
 * connection not yet accept()ed) identifies nothing, so such rows are one only when every column,
 * `Num` included, is equal. A line within a name's reach may have been written by whoever chose the
 * name, so the later print wins only when it is certainly the kernel's: prints that say the same
 * (`Num` included: the kernel prints one socket's pointer the same every time) fold into the earlier
 * one unless the later is certain; a later print that says otherwise replaces the earlier only if it
 * could be the same socket later (same type; a name may appear, by bind(), but never change) and is
 * certain. Else both rows stay, for the host view to see two rows with one inode. The folded lines
 * that may be name tails keep their readings (foldedTails), for the host view to give them back.
 */
class UnixFolder {
  private readonly kept: UnixSocketRow[] = [];
  private readonly at = new Map<string, number>();

  add(row: UnixSocketRow): void {
    const key = row.inode !== 0
      ? String(row.inode)
      : JSON.stringify([row.type, row.state, row.path, row.refCount, row.flags, row.line.num]);
    const i = this.at.get(key);
    const earlier = i === undefined ? undefined : this.kept[i];
    if (i === undefined || earlier === undefined) {
      this.at.set(key, this.kept.length);
      this.kept.push(row);
      return;
    }
    const sameContent =
      earlier.type === row.type && earlier.state === row.state && earlier.path === row.path && earlier.line.num === row.line.num;
    const laterState = earlier.type === row.type && (earlier.path === null || earlier.path === row.path) && !row.line.mayBeNameTail;
    if (!sameContent && !laterState) {
      this.kept.push(row);
      return;
    }
    const keep = row.line.mayBeNameTail ? earlier : row;
    const folded = keep === row ? earlier : row;
    // in place: a socket printed k times costs k, not k²
    keep.line.foldedLines = earlier.line.foldedLines;
    keep.line.foldedLines.push(folded.source.line);
    const tails = earlier.line.foldedTails;
    if (tails !== undefined) keep.line.foldedTails = tails;
    if (folded.line.tailOf !== undefined) (keep.line.foldedTails ??= []).push({ line: folded.source.line, tailOf: folded.line.tailOf });
    this.kept[i] = keep;
  }

  rows(): UnixSocketRow[] {
    return this.kept;
  }
}
