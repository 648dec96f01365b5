// The line format every /proc/net inet table shares (tcp, udp, udplite, raw, icmp, each also v6):
//   sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
// Those ten columns are printed alike by every kernel from 2.6 to 6.x; only they are read strictly.
// What follows differs by table, kind of socket and kernel, and never rejects a row: tcp writes
// `ref pointer` (TIME_WAIT, request sockets) or `ref pointer rto ato qack cwnd ssthresh`; the
// datagram tables `ref pointer` then `drops` (absent on 2.6.18, and for udp on 2.6.26). The table is in
// fixtures/README.md ("Kernel formats").
import type { InetProto, InetSocketRow, ParseContext, Parsed, ParseIssue } from '../model/index.js';
import { decodeInetAddress, decodePort } from './inet-address.js';
import { AddressCache, readKernelLine } from './net-inet-fast.js';
import {
  excerpt,
  FileIssues,
  headerProblem,
  keepLastOfEachKey,
  leadingColumns,
  lineIssue,
  parseDecimal,
  parseHex,
  parseUnsigned32,
  tableLines,
  type LineProblem,
  type TextLine,
} from './lines.js';

export type InetState = InetSocketRow['state'];

export interface InetTableSpec {
  proto: InetProto;
  v6: boolean;
  /** state codes (the `st` column, hex) this table can have */
  states: ReadonlyMap<number, InetState>;
  /** the datagram tables: a `drops` column after `ref pointer`, where the kernel prints one */
  hasDrops: boolean;
}

const COLUMN = { sl: 0, local: 1, remote: 2, st: 3, queues: 4, inode: 9, pointer: 11, drops: 12 } as const;
/** The columns read strictly: sl … inode. */
const USED_COLUMNS = COLUMN.inode + 1;

/** Column names as the v4 headers print them (`tx_queue rx_queue` is one column, `tx:rx`). */
function columnNames(spec: InetTableSpec): string[] {
  const remote = spec.v6 ? 'remote_address' : 'rem_address';
  return ['sl', 'local_address', remote, 'st', 'tx_queue', 'tr', 'retrnsmt', 'uid', 'timeout', 'inode', 'ref', 'pointer', 'drops'];
}

/**
 * Parses one whole table: header check, every line, then repeated prints of one socket folded. Lines
 * in the kernel's exact layout are read by net-inet-fast.ts; any other line by the careful reader
 * below, which alone words issues. A copy with CRLF line ends is left to the careful reader whole.
 */
export function parseInetTable(text: string, ctx: ParseContext, spec: InetTableSpec): Parsed<InetSocketRow> {
  const firstEnd = text.indexOf('\n');
  const first = firstEnd === -1 ? text : text.slice(0, firstEnd);
  if (text === '' || first.endsWith('\r')) return parseInetTableCarefully(text, ctx, spec);
  const issues = new FileIssues(ctx.file);
  const header = headerProblem(first, ctx.file, 'sl');
  if (header) issues.push(header);
  const addresses = new AddressCache(ctx.byteOrder);
  const rows = new LastOfEach();
  let start = header ? 0 : firstEnd === -1 ? text.length : firstEnd + 1;
  let number = header ? 1 : 2;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    // a last line without its newline may have been cut: only the careful reader judges it
    const fast = newline === -1 ? null : readKernelLine(text, start, end, number, spec, ctx.netns, ctx.file, addresses);
    if (fast) rows.add(fast.row, fast.pointer);
    else {
      const result = parseInetLine({ text: text.slice(start, end), number, terminated: newline !== -1 }, ctx, spec);
      if ('row' in result) rows.add(result.row, result.pointer);
      else issues.push(result.issue);
    }
    start = end + 1;
    number += 1;
  }
  return { rows: rows.rows, issues: issues.done() };
}

/**
 * The rows of one table, one per socket: a later print of a socket replaces the earlier one in its
 * place (keepLastOfEachKey's rule, keyed by duplicateKey), with inodes keyed as numbers (the table's
 * namespace and protocol are the same for every row).
 */
class LastOfEach {
  readonly rows: InetSocketRow[] = [];
  private readonly byInode = new Map<number, number>();
  private readonly byKey = new Map<string, number>();

  add(row: InetSocketRow, pointer: string | undefined): void {
    const at = row.inode !== 0 ? this.byInode.get(row.inode) : this.byKey.get(duplicateKey(row, pointer));
    if (at !== undefined) {
      this.rows[at] = row;
      return;
    }
    if (row.inode !== 0) this.byInode.set(row.inode, this.rows.length);
    else this.byKey.set(duplicateKey(row, pointer), this.rows.length);
    this.rows.push(row);
  }
}

/** The whole table by the careful reader alone: what every line of the fast path must agree with. */
export function parseInetTableCarefully(text: string, ctx: ParseContext, spec: InetTableSpec): Parsed<InetSocketRow> {
  const { data, issues } = tableLines(text, ctx.file, 'sl');
  const rows: Array<{ row: InetSocketRow; key: string }> = [];
  for (const line of data) {
    const result = parseInetLine(line, ctx, spec);
    if ('row' in result) rows.push({ row: result.row, key: duplicateKey(result.row, result.pointer) });
    else issues.push(result.issue);
  }
  return { rows: keepLastOfEachKey(rows), issues: issues.done() };
}

/** One data line → a row, or the issue that kept it out. */
export function parseInetLine(
  line: TextLine,
  ctx: ParseContext,
  spec: InetTableSpec,
): { row: InetSocketRow; pointer: string | undefined } | { issue: ParseIssue } {
  const { columns, count } = leadingColumns(line.text, COLUMN.drops + 1);
  const result = readColumns(columns, count, line.text, ctx, spec);
  if ('problem' in result) return { issue: lineIssue(ctx.file, line, result.problem) };
  // The last line with no newline may have been cut anywhere, so its last column is not trusted:
  // the inode must be followed by another column to be whole.
  const trusted = line.terminated ? count : count - 1;
  if (trusted < USED_COLUMNS) {
    const missing = columnNames(spec)[count] ?? `column ${count + 1}`;
    return { issue: lineIssue(ctx.file, line, { kind: 'truncated-line', field: missing, message: `${count} columns: ${excerpt(line.text)}` }) };
  }
  const row: InetSocketRow = { ...result.row, source: { file: ctx.file, line: line.number } };
  if (spec.hasDrops && trusted > COLUMN.drops) {
    const drops = parseUnsigned32(columns[COLUMN.drops] ?? '');
    // drops is not reported: a kernel that prints something else there loses the count, not the row
    if (drops !== null) row.drops = drops;
  }
  return { row, pointer: trusted > COLUMN.pointer ? columns[COLUMN.pointer] : undefined };
}

type Columns = { row: Omit<InetSocketRow, 'source'> } | { problem: LineProblem };

function readColumns(cols: readonly string[], count: number, text: string, ctx: ParseContext, spec: InetTableSpec): Columns {
  const names = columnNames(spec);
  if (count === 0) return { problem: { kind: 'bad-line', message: 'blank line' } };
  // Checked in order, so an issue names the first bad or missing column.
  const missing = (i: number): { problem: LineProblem } | null =>
    i < count ? null : { problem: { kind: 'too-few-fields', field: names[i], message: `${count} columns, need ${USED_COLUMNS}: ${excerpt(text)}` } };
  const [sl = '', local = '', remote = '', st = '', queues = ''] = cols;
  if (!/^[0-9]+:$/.test(sl)) return { problem: { kind: 'bad-number', field: 'sl', message: `bad slot ${excerpt(sl)}` } };

  const localEnd = missing(COLUMN.local) ?? endpoint(local, names[COLUMN.local] ?? 'local_address', ctx, spec.v6);
  if ('problem' in localEnd) return localEnd;
  const remoteEnd = missing(COLUMN.remote) ?? endpoint(remote, names[COLUMN.remote] ?? 'rem_address', ctx, spec.v6);
  if ('problem' in remoteEnd) return remoteEnd;

  const noState = missing(COLUMN.st);
  if (noState) return noState;
  const code = /^[0-9A-Fa-f]{2}$/.test(st) ? parseInt(st, 16) : null;
  if (code === null) return { problem: { kind: 'bad-number', field: 'st', message: `bad state ${excerpt(st)}` } };
  const state = spec.states.get(code);
  if (state === undefined) {
    return { problem: { kind: 'unknown-state', field: 'st', message: `state ${st} is not a ${spec.proto} state` } };
  }

  const noQueues = missing(COLUMN.queues);
  if (noQueues) return noQueues;
  const [txText = '', rxText, ...extra] = queues.split(':', 3);
  const sendQ = parseHex(txText);
  if (sendQ === null) return { problem: { kind: 'bad-number', field: 'tx_queue', message: `bad tx_queue in ${excerpt(queues)}` } };
  const recvQ = rxText === undefined || extra.length > 0 ? null : parseHex(rxText);
  if (recvQ === null) return { problem: { kind: 'bad-number', field: 'rx_queue', message: `bad rx_queue in ${excerpt(queues)}` } };

  // tr:tm->when (5), retrnsmt (6) and timeout (8) are not read: only their place matters.
  const noUid = missing(5) ?? missing(6) ?? missing(7);
  if (noUid) return noUid;
  const uidText = cols[7] ?? '';
  // %5d until 4.x: a uid of 2^31 or more is printed negative
  const uid = parseUnsigned32(uidText);
  if (uid === null) return { problem: { kind: 'bad-number', field: 'uid', message: `bad uid ${excerpt(uidText)}` } };

  const noInode = missing(8) ?? missing(COLUMN.inode);
  if (noInode) return noInode;
  const inodeText = cols[COLUMN.inode] ?? '';
  const inode = parseDecimal(inodeText);
  if (inode === null) return { problem: { kind: 'bad-number', field: 'inode', message: `bad inode ${excerpt(inodeText)}` } };

  return {
    row: { proto: spec.proto, state, local: localEnd.endpoint, remote: remoteEnd.endpoint, recvQ, sendQ, uid, inode, netns: ctx.netns },
  };
}

/** `0100007F:0016` → {address, port}; the address width must match the table (8 or 32 hex digits). */
function endpoint(
  text: string,
  field: string,
  ctx: ParseContext,
  v6: boolean,
): { endpoint: { address: string; port: number } } | { problem: LineProblem } {
  const bad = (why: string): { problem: LineProblem } => ({
    problem: { kind: 'bad-address', field, message: `${why}: ${excerpt(text)}` },
  });
  const parts = text.split(':', 3);
  if (parts.length !== 2) return bad('expected ADDRESS:PORT');
  const [addressHex = '', portHex = ''] = parts;
  const width = v6 ? 32 : 8;
  if (addressHex.length !== width) return bad(`expected ${width} hex digits of address`);
  const address = decodeInetAddress(addressHex, ctx.byteOrder);
  if (address === null) return bad('address is not hex');
  const port = decodePort(portHex);
  if (port === null) return bad('port is not 4 hex digits');
  return { endpoint: { address, port } };
}

/**
 * A socket's identity within one table of one namespace is its inode: a second print of it (a
 * non-atomic read) may show it in a newer state, with new queues or endpoints, and is the same
 * socket. Inode 0 (TIME_WAIT, request sockets) identifies nothing, so such rows are one socket only
 * when every field is equal, the kernel's socket pointer included.
 */
export function duplicateKey(row: InetSocketRow, pointer: string | undefined): string {
  // every part is a number, an address or a hex pointer: a space cannot occur in one
  if (row.inode !== 0) return `${row.netns} ${row.proto} ${row.inode}`;
  const { local, remote } = row;
  return `${row.netns} ${row.proto} 0 ${local.address} ${local.port} ${remote.address} ${remote.port} ${row.state} ${row.recvQ} ${row.sendQ} ${row.uid} ${row.drops ?? '-'} ${pointer ?? '-'}`;
}
