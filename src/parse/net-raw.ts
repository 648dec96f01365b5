// /proc/net/raw and /proc/net/raw6: raw_sock_seq_show (net/ipv4/raw.c; get_raw_sock in 2.6.18) and
// __ip6_dgram_sock_seq_show (net/ipv6/datagram.c). The udp columns; the local "port" the kernel
// prints is the socket's IP protocol number (1 icmp, 58 ipv6-icmp, 255 IPPROTO_RAW …), the remote 0.
import type { InetSocketRow, ParseContext, Parsed } from '../model/index.js';
import { parseInetTable } from './net-inet.js';
import { DATAGRAM_STATES } from './net-udp.js';

export function parseNetRaw(text: string, ctx: ParseContext, v6: boolean): Parsed<InetSocketRow> {
  return parseInetTable(text, ctx, { proto: v6 ? 'raw6' : 'raw', v6, states: DATAGRAM_STATES, hasDrops: true });
}
