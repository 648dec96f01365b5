// The line format /proc/net/{tcp,tcp6,udp,udp6,raw,raw6} share (net/ipv4/tcp_ipv4.c, udp.c, raw.c,
// net/ipv6/…, datagram.c):
//   sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
// tcp then writes `ref pointer` (TIME_WAIT and request sockets) or `ref pointer rto ato qack cwnd
// ssthresh` (full sockets); udp and raw write `ref pointer drops`.
import type { InetProto, InetSocketRow, ParseContext, Parsed, ParseIssue } from '../model/index.js';
import { decodeInetAddress, decodePort } from './inet-address.js';
import {
  excerpt,
  keepFirstOfEachKey,
  lineIssue,
  parseDecimal,
  parseHex,
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
  /** udp and raw: a `drops` column after `ref pointer` */
  hasDrops: boolean;
  /**
   * The fewest columns the kernel ever writes on a line of this table. A last line without a newline
   * that has fewer was cut by the read and is reported as `truncated-line`.
   */
  kernelColumns: number;
}

/** Column names as the v4 headers print them (`tx_queue rx_queue` is one column, `tx:rx`). */
function columnNames(spec: InetTableSpec): string[] {
  const remote = spec.v6 ? 'remote_address' : 'rem_address';
  const names = ['sl', 'local_address', remote, 'st', 'tx_queue', 'tr', 'retrnsmt', 'uid', 'timeout', 'inode', 'ref', 'pointer'];
  return spec.hasDrops ? [...names, 'drops'] : names;
}

/** Parses one whole table: header check, every line, then duplicates folded. */
export function parseInetTable(text: string, ctx: ParseContext, spec: InetTableSpec): Parsed<InetSocketRow> {
  const { data, issues } = tableLines(text, ctx.file, 'sl');
  const rows: Array<{ row: InetSocketRow; key: string }> = [];
  for (const line of data) {
    const result = parseInetLine(line, ctx, spec);
    if ('row' in result) rows.push({ row: result.row, key: duplicateKey(result.row, result.pointer) });
    else issues.push(result.issue);
  }
  return { rows: keepFirstOfEachKey(rows), issues };
}

/** One data line → a row, or the issue that kept it out. */
export function parseInetLine(
  line: TextLine,
  ctx: ParseContext,
  spec: InetTableSpec,
): { row: InetSocketRow; pointer: string | undefined } | { issue: ParseIssue } {
  const result = readColumns(line.text, ctx, spec);
  if ('problem' in result) return { issue: lineIssue(ctx.file, line, result.problem) };
  if (!line.terminated && result.columnCount < spec.kernelColumns) {
    const missing = columnNames(spec)[result.columnCount] ?? `column ${result.columnCount + 1}`;
    return {
      issue: lineIssue(ctx.file, line, {
        kind: 'truncated-line',
        field: missing,
        message: `${result.columnCount} of at least ${spec.kernelColumns} columns: ${excerpt(line.text)}`,
      }),
    };
  }
  return { row: { ...result.row, source: { file: ctx.file, line: line.number } }, pointer: result.pointer };
}

type Columns =
  | { row: Omit<InetSocketRow, 'source'>; columnCount: number; pointer: string | undefined }
  | { problem: LineProblem };

function readColumns(text: string, ctx: ParseContext, spec: InetTableSpec): Columns {
  const names = columnNames(spec);
  const cols = text.trim() === '' ? [] : text.trim().split(/\s+/);
  if (cols.length === 0) return { problem: { kind: 'bad-line', message: 'blank line' } };

  // Columns are checked in order, so the issue names the first bad or missing one.
  const need = spec.hasDrops ? names.indexOf('drops') + 1 : names.indexOf('inode') + 1;
  const column = (i: number): string | LineProblem => {
    const value = cols[i];
    if (value !== undefined) return value;
    return { kind: 'too-few-fields', field: names[i], message: `${cols.length} columns, need ${need}: ${excerpt(text)}` };
  };
  const isProblem = (v: unknown): v is LineProblem => typeof v === 'object' && v !== null;

  const sl = column(0);
  if (isProblem(sl)) return { problem: sl };
  if (!/^[0-9]+:$/.test(sl)) return { problem: { kind: 'bad-number', field: 'sl', message: `bad slot "${sl}"` } };

  const local = column(1);
  if (isProblem(local)) return { problem: local };
  const localEnd = endpoint(local, names[1] ?? 'local_address', ctx, spec.v6);
  if ('problem' in localEnd) return localEnd;

  const remote = column(2);
  if (isProblem(remote)) return { problem: remote };
  const remoteEnd = endpoint(remote, names[2] ?? 'rem_address', ctx, spec.v6);
  if ('problem' in remoteEnd) return remoteEnd;

  const st = column(3);
  if (isProblem(st)) return { problem: st };
  const code = /^[0-9A-Fa-f]{2}$/.test(st) ? parseInt(st, 16) : null;
  if (code === null) return { problem: { kind: 'bad-number', field: 'st', message: `bad state "${st}"` } };
  const state = spec.states.get(code);
  if (state === undefined) {
    return { problem: { kind: 'unknown-state', field: 'st', message: `state ${st} is not a ${spec.proto} state` } };
  }

  const queues = column(4);
  if (isProblem(queues)) return { problem: queues };
  const [txText = '', rxText, ...extra] = queues.split(':');
  const sendQ = parseHex(txText);
  if (sendQ === null) return { problem: { kind: 'bad-number', field: 'tx_queue', message: `bad tx_queue in "${queues}"` } };
  const recvQ = rxText === undefined || extra.length > 0 ? null : parseHex(rxText);
  if (recvQ === null) return { problem: { kind: 'bad-number', field: 'rx_queue', message: `bad rx_queue in "${queues}"` } };

  // tr:tm->when, retrnsmt and timeout are not used: only their presence matters.
  for (const i of [5, 6]) {
    const c = column(i);
    if (isProblem(c)) return { problem: c };
  }

  const uidText = column(7);
  if (isProblem(uidText)) return { problem: uidText };
  const uid = parseDecimal(uidText);
  if (uid === null) return { problem: { kind: 'bad-number', field: 'uid', message: `bad uid "${uidText}"` } };

  const timeout = column(8);
  if (isProblem(timeout)) return { problem: timeout };

  const inodeText = column(9);
  if (isProblem(inodeText)) return { problem: inodeText };
  const inode = parseDecimal(inodeText);
  if (inode === null) return { problem: { kind: 'bad-number', field: 'inode', message: `bad inode "${inodeText}"` } };

  const row: Omit<InetSocketRow, 'source'> = {
    proto: spec.proto,
    state,
    local: localEnd.endpoint,
    remote: remoteEnd.endpoint,
    recvQ,
    sendQ,
    uid,
    inode,
    netns: ctx.netns,
  };

  if (spec.hasDrops) {
    for (const i of [10, 11]) {
      const c = column(i);
      if (isProblem(c)) return { problem: c };
    }
    const dropsText = column(12);
    if (isProblem(dropsText)) return { problem: dropsText };
    const drops = parseDecimal(dropsText);
    if (drops === null) return { problem: { kind: 'bad-number', field: 'drops', message: `bad drops "${dropsText}"` } };
    row.drops = drops;
  }
  // the kernel's (hashed) socket address: tells apart two inode-0 sockets that print alike
  return { row, columnCount: cols.length, pointer: cols[11] };
}

/** `0100007F:0016` → {address, port}; the address width must match the table (8 or 32 hex digits). */
function endpoint(
  text: string,
  field: string,
  ctx: ParseContext,
  v6: boolean,
): { endpoint: { address: string; port: number } } | { problem: LineProblem } {
  const bad = (why: string): { problem: LineProblem } => ({
    problem: { kind: 'bad-address', field, message: `${why}: "${text}"` },
  });
  const parts = text.split(':');
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
 * Reads of big tables are not atomic: a socket can be printed twice. Rows with the same proto,
 * endpoints, state and inode are one socket (its queues may have moved between the two prints).
 * Inode 0 (TIME_WAIT, request sockets, connections not yet accept()ed) identifies nothing, so those
 * rows are one socket only when every field is equal, the kernel's socket pointer included.
 */
export function duplicateKey(row: InetSocketRow, pointer: string | undefined): string {
  const identity = [row.netns, row.proto, row.local.address, row.local.port, row.remote.address, row.remote.port, row.state, row.inode];
  if (row.inode !== 0) return JSON.stringify(identity);
  return JSON.stringify([...identity, row.recvQ, row.sendQ, row.uid, row.drops ?? null, pointer ?? null]);
}
