// The one list of /proc/net tables the host view reads, each with its parser. Every table the capture
// format names (NET_TABLES) has exactly one entry here (test/capture/format.test.ts checks it).
import type { NetTable } from '../capture/format.js';
import type { InetSocketRow, PacketSocketRow, ParseContext, ParseIssue, Parsed, UnixSocketRow } from '../model/index.js';
import { parseNetTcp } from '../parse/net-tcp.js';
import { parseNetUdp } from '../parse/net-udp.js';
import { parseNetRaw } from '../parse/net-raw.js';
import { parseNetUnix } from '../parse/net-unix.js';
import { parseNetIcmp } from '../parse/net-icmp.js';
import { parseNetPacket } from '../parse/net-packet.js';
import { parseNetUdplite } from '../parse/net-udplite.js';

/** Every row of every table of every namespace, by kind. */
export interface TableRows {
  inet: InetSocketRow[];
  unix: UnixSocketRow[];
  packet: PacketSocketRow[];
}

export type TableReader =
  | { table: NetTable; kind: 'inet'; parse: (text: string, ctx: ParseContext) => Parsed<InetSocketRow> }
  | { table: NetTable; kind: 'unix'; parse: (text: string, ctx: ParseContext) => Parsed<UnixSocketRow> }
  | { table: NetTable; kind: 'packet'; parse: (text: string, ctx: ParseContext) => Parsed<PacketSocketRow> };

type InetParser = (text: string, ctx: ParseContext, v6: boolean) => Parsed<InetSocketRow>;
const inet = (table: NetTable, parse: InetParser, v6: boolean): TableReader => ({ table, kind: 'inet', parse: (text, ctx) => parse(text, ctx, v6) });

export const TABLE_READERS: readonly TableReader[] = [
  inet('tcp', parseNetTcp, false),
  inet('tcp6', parseNetTcp, true),
  inet('udp', parseNetUdp, false),
  inet('udp6', parseNetUdp, true),
  inet('udplite', parseNetUdplite, false),
  inet('udplite6', parseNetUdplite, true),
  inet('raw', parseNetRaw, false),
  inet('raw6', parseNetRaw, true),
  inet('icmp', parseNetIcmp, false),
  inet('icmp6', parseNetIcmp, true),
  { table: 'unix', kind: 'unix', parse: parseNetUnix },
  { table: 'packet', kind: 'packet', parse: parseNetPacket },
];

/** Parses one table's text into `rows`; returns its issues. */
export function readTable(reader: TableReader, text: string, ctx: ParseContext, rows: TableRows): ParseIssue[] {
  switch (reader.kind) {
    case 'inet':
      return append(reader.parse(text, ctx), rows.inet);
    case 'unix':
      return append(reader.parse(text, ctx), rows.unix);
    case 'packet':
      return append(reader.parse(text, ctx), rows.packet);
  }
}

// a loop, not push(...rows): a table of 100k sockets would overflow the call stack
function append<T>(parsed: Parsed<T>, into: T[]): ParseIssue[] {
  for (const row of parsed.rows) into.push(row);
  return parsed.issues;
}
