// The inet tables' common line, read the way the kernel writes it, without allocating per field: a
// host with 100k sockets prints 15 MB of it, and the careful reader (net-inet.ts: a string per column,
// a regular expression per number) spent ~5 µs and most of its garbage on each line. This reader
// takes only lines in the kernel's exact layout (single spaces or the %Nd padding between columns,
// fixed-width hex) and answers null for anything else, which then goes to the careful reader: rows
// and issues are exactly the careful reader's (test/parse/net-inet-fast.test.ts compares them on every
// fixture and on mutated lines).
import type { ByteOrder, InetSocketRow } from '../model/index.js';
import { decodeInetAddress } from './inet-address.js';
import type { InetTableSpec } from './net-inet.js';

const SPACE = 32;
const COLON = 58;
const TAB = 9;
/** skipColumn met a tab: the line is not in the kernel's layout */
const TAB_FOUND = -2;

/** -1 when `c` is no hex digit. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Decoded addresses by their printed form: a host's sockets share few addresses, and decoding
 * (bytes, RFC 5952) costs more than a lookup. Bounded, so a hostile host's million distinct
 * addresses cost a decode each, not memory.
 */
export class AddressCache {
  private readonly v4 = new Map<number, string>();
  private readonly v6 = new Map<string, string>();
  private static readonly MAX = 4096;

  constructor(private readonly byteOrder: ByteOrder) {}

  /** The 8 hex digits at `at` (already checked to be hex), as an address. */
  ipv4(text: string, at: number, word: number): string {
    let address = this.v4.get(word);
    if (address === undefined) {
      address = decodeInetAddress(text.slice(at, at + 8), this.byteOrder) as string;
      if (this.v4.size < AddressCache.MAX) this.v4.set(word, address);
    }
    return address;
  }

  /** The 32 hex digits at `at` (already checked to be hex), as an address. */
  ipv6(text: string, at: number): string {
    const printed = text.slice(at, at + 32);
    let address = this.v6.get(printed);
    if (address === undefined) {
      address = decodeInetAddress(printed, this.byteOrder) as string;
      if (this.v6.size < AddressCache.MAX) this.v6.set(printed, address);
    }
    return address;
  }
}

/** What the fast reader makes of a line; `pointer` as the careful reader gives it (for inode-0 rows). */
export interface FastRow {
  row: InetSocketRow;
  pointer: string | undefined;
}

/**
 * One terminated line `text[start, end)` in the kernel's layout → its row, or null (not this layout:
 * the careful reader decides). `lineNumber` and `file` make the row's source.
 */
export function readKernelLine(text: string, start: number, end: number, lineNumber: number, spec: InetTableSpec, netns: string, file: string, addresses: AddressCache): FastRow | null {
  let i = start;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  // sl: digits then ':'
  const slStart = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i === slStart || i >= end || text.charCodeAt(i) !== COLON) return null;
  i++;
  if (text.charCodeAt(i) !== SPACE) return null;
  i++;

  const width = spec.v6 ? 32 : 8;
  // local and remote: ADDRESS:PORT, fixed widths, one space after
  const localAt = i;
  const localWord = hexRun(text, i, width);
  if (localWord < 0 || text.charCodeAt(i + width) !== COLON) return null;
  i += width + 1;
  const localPort = hexRun(text, i, 4);
  if (localPort < 0 || text.charCodeAt(i + 4) !== SPACE) return null;
  i += 5;
  const remoteAt = i;
  const remoteWord = hexRun(text, i, width);
  if (remoteWord < 0 || text.charCodeAt(i + width) !== COLON) return null;
  i += width + 1;
  const remotePort = hexRun(text, i, 4);
  if (remotePort < 0 || text.charCodeAt(i + 4) !== SPACE) return null;
  i += 5;

  // st: two hex digits, a known state
  const code = hexRun(text, i, 2);
  if (code < 0 || text.charCodeAt(i + 2) !== SPACE) return null;
  const state = spec.states.get(code);
  if (state === undefined) return null;
  i += 3;

  // tx_queue:rx_queue, 8 hex digits each (%08X)
  const sendQ = hexRun(text, i, 8);
  if (sendQ < 0 || text.charCodeAt(i + 8) !== COLON) return null;
  const recvQ = hexRun(text, i + 9, 8);
  if (recvQ < 0 || text.charCodeAt(i + 17) !== SPACE) return null;
  i += 18;

  // tr:tm->when and retrnsmt: only their place matters
  i = skipColumn(text, i, end);
  if (i < 0) return null;
  i = skipColumn(text, i, end);
  if (i < 0) return null;

  // uid (%5u, padded): up to 10 digits, at most 2^32-1
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  const uid = decimalRun(text, i, end, 10);
  if (uid < 0 || uid > 0xffffffff) return null;
  i = afterDigits(text, i, end);
  if (text.charCodeAt(i) !== SPACE) return null;

  // timeout (%8d: may be negative): skipped
  i = skipColumn(text, i, end);
  if (i < 0) return null;

  // inode (%lu): up to 15 digits (exact in a double), then a space: the line goes on
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  const inode = decimalRun(text, i, end, 15);
  if (inode < 0) return null;
  i = afterDigits(text, i, end);
  if (i >= end || text.charCodeAt(i) !== SPACE) return null;

  // ref, then the socket pointer: the pointer names an inode-0 row; drops follows it in datagram tables
  let pointer: string | undefined;
  let drops: number | undefined;
  const refEnd = skipColumn(text, i, end);
  if (refEnd === TAB_FOUND) return null;
  if (refEnd >= 0) {
    let p = refEnd;
    while (p < end && text.charCodeAt(p) === SPACE) p++;
    if (p < end) {
      let q = p;
      while (q < end && text.charCodeAt(q) !== SPACE && text.charCodeAt(q) !== TAB) q++;
      // a tab before, in or after the pointer moves the columns the careful reader sees
      if (text.charCodeAt(p) === TAB || text.charCodeAt(q) === TAB) return null;
      if (inode === 0) pointer = text.slice(p, q);
      if (spec.hasDrops) {
        while (q < end && text.charCodeAt(q) === SPACE) q++;
        if (q < end) {
          const value = decimalRun(text, q, end, 10);
          const after = value < 0 ? q : afterDigits(text, q, end);
          // anything but a plain number there (a sign, letters): the careful reader's parseUnsigned32 decides
          if (value < 0 || value > 0xffffffff || (after < end && text.charCodeAt(after) !== SPACE)) return null;
          drops = value;
        }
      }
    }
  }
  const local = { address: spec.v6 ? addresses.ipv6(text, localAt) : addresses.ipv4(text, localAt, localWord), port: localPort };
  const remote = { address: spec.v6 ? addresses.ipv6(text, remoteAt) : addresses.ipv4(text, remoteAt, remoteWord), port: remotePort };
  const row: InetSocketRow = { proto: spec.proto, state, local, remote, recvQ, sendQ, uid, inode, netns, source: { file, line: lineNumber } };
  if (drops !== undefined) row.drops = drops;
  return { row, pointer };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The value of exactly `n` hex digits at `at` (n ≤ 8), or -1. For 32 digits (IPv6): 0 when all are hex, else -1. */
function hexRun(text: string, at: number, n: number): number {
  if (n > 8) {
    for (let k = 0; k < n; k++) if (hexValue(text.charCodeAt(at + k)) < 0) return -1;
    return 0;
  }
  let value = 0;
  for (let k = 0; k < n; k++) {
    const d = hexValue(text.charCodeAt(at + k));
    if (d < 0) return -1;
    value = value * 16 + d;
  }
  return value;
}

/** A run of 1 to `max` decimal digits at `at` ending the column, or -1. */
function decimalRun(text: string, at: number, end: number, max: number): number {
  let value = 0;
  let k = at;
  while (k < end && isDigit(text.charCodeAt(k))) {
    if (k - at >= max) return -1;
    value = value * 10 + (text.charCodeAt(k) - 48);
    k++;
  }
  return k === at ? -1 : value;
}

function afterDigits(text: string, at: number, end: number): number {
  let k = at;
  while (k < end && isDigit(text.charCodeAt(k))) k++;
  return k;
}

/**
 * Past the spaces at `at`, one column: where the next spaces start; -1 at the line's end; TAB_FOUND at a
 * tab (the careful reader splits columns at tabs too, which would move every column after it). Every
 * other character is the column's, as the careful reader has it; the columns read are checked
 * character by character, so a tab or CR there fails them.
 */
function skipColumn(text: string, at: number, end: number): number {
  let k = at;
  while (k < end && text.charCodeAt(k) === SPACE) k++;
  if (k >= end) return -1;
  for (let c = text.charCodeAt(k); k < end && c !== SPACE; c = text.charCodeAt(++k)) if (c === TAB) return TAB_FOUND;
  return k < end ? k : -1;
}
