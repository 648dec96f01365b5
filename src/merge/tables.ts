// The /proc/net tables the host view reads, each with its parser, from parse/tables.ts's one list.
// Every table the capture format names (NET_TABLES) has exactly one entry (test/capture/format.test.ts).
import type { NetTable } from '../capture/format.js';
import type { InetSocketRow, PacketSocketRow, ParseContext, ParseIssue, Parsed, UnixSocketRow } from '../model/index.js';
import { INET_TABLES, PACKET_TABLE, UNIX_TABLE } from '../parse/tables.js';

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

/** parse/tables.ts's list, tagged by the kind of row each table gives. */
export const TABLE_READERS: readonly TableReader[] = [
  ...INET_TABLES.map(({ table, parse }): TableReader => ({ table, kind: 'inet', parse })),
  { ...UNIX_TABLE, kind: 'unix' },
  { ...PACKET_TABLE, kind: 'packet' },
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
