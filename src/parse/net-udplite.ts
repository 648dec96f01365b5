// /proc/net/udplite and /proc/net/udplite6 (UDP-Lite, RFC 3828, since 2.6.20): printed by udp's own
// functions (udp4_seq_show, udp6_seq_show), so the udp format, under their own protocol name: UDP-Lite
// has its own port space.
import type { InetSocketRow, ParseContext, Parsed } from '../model/index.js';
import { parseInetTable } from './net-inet.js';
import { DATAGRAM_STATES } from './net-udp.js';

export function parseNetUdplite(text: string, ctx: ParseContext, v6: boolean): Parsed<InetSocketRow> {
  return parseInetTable(text, ctx, { proto: v6 ? 'udplite6' : 'udplite', v6, states: DATAGRAM_STATES, hasDrops: true });
}
