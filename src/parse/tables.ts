// Every /proc/net socket table fleetstat reads, by the file's name (the capture's `net.<name>`
// section), with its parser: the one list a host view registers tables from.
import type { NetTable } from '../capture/format.js';
import type { InetSocketRow, PacketSocketRow, ParseContext, Parsed, UnixSocketRow } from '../model/index.js';
import { parseNetIcmp } from './net-icmp.js';
import { parseNetPacket } from './net-packet.js';
import { parseNetRaw } from './net-raw.js';
import { parseNetTcp } from './net-tcp.js';
import { parseNetUdp } from './net-udp.js';
import { parseNetUdplite } from './net-udplite.js';
import { parseNetUnix } from './net-unix.js';

export type InetTableParser = (text: string, ctx: ParseContext) => Parsed<InetSocketRow>;

/** The inet tables, v4 then v6 of each family. A missing file is a fact (IPv6 off, module not loaded). */
export const INET_TABLES: ReadonlyArray<{ table: NetTable; parse: InetTableParser }> = [
  { table: 'tcp', parse: (text, ctx) => parseNetTcp(text, ctx, false) },
  { table: 'tcp6', parse: (text, ctx) => parseNetTcp(text, ctx, true) },
  { table: 'udp', parse: (text, ctx) => parseNetUdp(text, ctx, false) },
  { table: 'udp6', parse: (text, ctx) => parseNetUdp(text, ctx, true) },
  { table: 'udplite', parse: (text, ctx) => parseNetUdplite(text, ctx, false) },
  { table: 'udplite6', parse: (text, ctx) => parseNetUdplite(text, ctx, true) },
  { table: 'raw', parse: (text, ctx) => parseNetRaw(text, ctx, false) },
  { table: 'raw6', parse: (text, ctx) => parseNetRaw(text, ctx, true) },
  { table: 'icmp', parse: (text, ctx) => parseNetIcmp(text, ctx, false) },
  { table: 'icmp6', parse: (text, ctx) => parseNetIcmp(text, ctx, true) },
];

export const UNIX_TABLE: { table: 'unix'; parse: (text: string, ctx: ParseContext) => Parsed<UnixSocketRow> } = {
  table: 'unix',
  parse: parseNetUnix,
};

export const PACKET_TABLE: { table: 'packet'; parse: (text: string, ctx: ParseContext) => Parsed<PacketSocketRow> } = {
  table: 'packet',
  parse: parseNetPacket,
};
