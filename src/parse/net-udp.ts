// /proc/net/udp and /proc/net/udp6: udp4_format_sock (net/ipv4/udp.c) and
// __ip6_dgram_sock_seq_show (net/ipv6/datagram.c; udp6_sock_seq_show in net/ipv6/udp.c on 2.6.18).
import type { InetSocketRow, ParseContext, Parsed } from '../model/index.js';
import { parseInetTable, type InetState } from './net-inet.js';

/**
 * A datagram socket is TCP_CLOSE (07) until connect() makes it TCP_ESTABLISHED (01). ss and
 * netstat show 07 as UNCONN: "closed" would wrongly suggest a dead socket.
 */
export const DATAGRAM_STATES: ReadonlyMap<number, InetState> = new Map<number, InetState>([
  [0x01, 'ESTABLISHED'],
  [0x07, 'UNCONN'],
]);

export function parseNetUdp(text: string, ctx: ParseContext, v6: boolean): Parsed<InetSocketRow> {
  return parseInetTable(text, ctx, { proto: v6 ? 'udp6' : 'udp', v6, states: DATAGRAM_STATES, hasDrops: true });
}
