// /proc/net/unix (net/unix/af_unix.c, unix_seq_show):
//   Num       RefCount Protocol Flags    Type St Inode Path
//   "%pK: %08X %08X %08X %04X %02X %5lu" then, for a bound socket, ' ' and the name's bytes.
// The name is printed raw: it may contain spaces (or start with them). An abstract name starts with
// '@' and its NUL bytes are printed as '@'.
import type { ParseContext, Parsed, UnixSocketRow, UnixState, UnixType } from '../model/index.js';
import { excerpt, keepFirstOfEachKey, lineIssue, parseDecimal, parseHex, tableLines, type LineProblem } from './lines.js';

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

const COLUMNS = ['Num', 'RefCount', 'Protocol', 'Flags', 'Type', 'St', 'Inode', 'Path'];

// Seven columns, then either the end of the line or one space and the name, verbatim.
const LINE = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?: (.*))?$/s;

export function parseNetUnix(text: string, ctx: ParseContext): Parsed<UnixSocketRow> {
  const { data, issues } = tableLines(text, ctx.file, 'Num');
  const rows: Array<{ row: UnixSocketRow; key: string }> = [];
  for (const line of data) {
    const result = readLine(line.text);
    if ('problem' in result) {
      issues.push(lineIssue(ctx.file, line, result.problem));
      continue;
    }
    const row: UnixSocketRow = { ...result.row, netns: ctx.netns, source: { file: ctx.file, line: line.number } };
    rows.push({ row, key: unixDuplicateKey(row, result.num) });
  }
  return { rows: keepFirstOfEachKey(rows), issues };
}

type LineResult = { row: Omit<UnixSocketRow, 'netns' | 'source'>; num: string } | { problem: LineProblem };

function readLine(text: string): LineResult {
  if (text.trim() === '') return { problem: { kind: 'bad-line', message: 'blank line' } };
  const m = LINE.exec(text);
  if (m === null) {
    const count = text.trim().split(/\s+/).length;
    if (count >= 7) return { problem: { kind: 'bad-line', message: `no single space before Path: ${excerpt(text)}` } };
    return {
      problem: { kind: 'too-few-fields', field: COLUMNS[count], message: `${count} columns, need 7: ${excerpt(text)}` },
    };
  }
  const [, num = '', refText = '', protocolText = '', flagsText = '', typeText = '', stText = '', inodeText = '', path] = m;

  if (!num.endsWith(':') || parseHex(num.slice(0, -1)) === null) {
    return { problem: { kind: 'bad-number', field: 'Num', message: `bad Num "${num}"` } };
  }
  const refCount = parseHex(refText);
  if (refCount === null) return { problem: { kind: 'bad-number', field: 'RefCount', message: `bad RefCount "${refText}"` } };
  if (parseHex(protocolText) === null) {
    return { problem: { kind: 'bad-number', field: 'Protocol', message: `bad Protocol "${protocolText}"` } };
  }
  const flags = parseHex(flagsText);
  if (flags === null) return { problem: { kind: 'bad-number', field: 'Flags', message: `bad Flags "${flagsText}"` } };

  const typeCode = parseHex(typeText);
  if (typeCode === null) return { problem: { kind: 'bad-number', field: 'Type', message: `bad Type "${typeText}"` } };
  const type = UNIX_TYPES.get(typeCode);
  // no kind names "unknown type": a socket type code the kernel does not define is reported like a state
  if (type === undefined) return { problem: { kind: 'unknown-state', field: 'Type', message: `unknown socket type ${typeText}` } };

  const stCode = parseHex(stText);
  if (stCode === null) return { problem: { kind: 'bad-number', field: 'St', message: `bad St "${stText}"` } };
  const socketState = UNIX_STATES.get(stCode);
  if (socketState === undefined) return { problem: { kind: 'unknown-state', field: 'St', message: `unknown St ${stText}` } };

  const inode = parseDecimal(inodeText);
  if (inode === null) return { problem: { kind: 'bad-number', field: 'Inode', message: `bad Inode "${inodeText}"` } };

  // The kernel writes the separator only before a name, and a name is never empty.
  if (path === '') return { problem: { kind: 'bad-line', field: 'Path', message: 'a space but no name after Inode' } };

  return {
    row: {
      proto: 'unix',
      type,
      state: (flags & UNIX_FLAG_LISTENING) !== 0 ? 'LISTEN' : socketState,
      path: path ?? null,
      refCount,
      flags,
      inode,
    },
    num,
  };
}

/**
 * A socket printed twice by a non-atomic read folds into its first print: same type, state, name and
 * inode. Inode 0 (a connection not yet accept()ed has no inode) identifies nothing: such rows fold
 * only when every column is equal, `Num` (the kernel's socket pointer) included — two pending
 * connections to one listener print alike but for it.
 */
export function unixDuplicateKey(row: UnixSocketRow, num: string): string {
  const identity = [row.netns, row.type, row.state, row.path, row.inode];
  if (row.inode !== 0) return JSON.stringify(identity);
  return JSON.stringify([...identity, row.refCount, row.flags, num]);
}
