// /proc/net/icmp and /proc/net/icmp6: ping sockets (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), allowed
// by net.ipv4.ping_group_range): ping_v4_format_sock (net/ipv4/ping.c, since 3.0) and ping_v6_seq_show
// (net/ipv6/ping.c) through __ip6_dgram_sock_seq_show. The udp columns; the "port" is the ICMP echo
// identifier the socket is bound to.
import type { InetSocketRow, ParseContext, Parsed } from '../model/index.js';
import { parseInetTable } from './net-inet.js';
import { DATAGRAM_STATES } from './net-udp.js';

export function parseNetIcmp(text: string, ctx: ParseContext, v6: boolean): Parsed<InetSocketRow> {
  return parseInetTable(text, ctx, { proto: v6 ? 'icmp6' : 'icmp', v6, states: DATAGRAM_STATES, hasDrops: true });
}
