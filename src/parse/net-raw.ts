// /proc/net/raw and /proc/net/raw6. Same columns as udp; the local "port" the kernel prints is the
// socket's IP protocol number (1 icmp, 58 ipv6-icmp, 255 IPPROTO_RAW …) and the remote port is 0.
import type { InetSocketRow, ParseContext, Parsed } from '../model/index.js';
import { parseInetTable } from './net-inet.js';
import { DATAGRAM_KERNEL_COLUMNS, DATAGRAM_STATES } from './net-udp.js';

export function parseNetRaw(text: string, ctx: ParseContext, v6: boolean): Parsed<InetSocketRow> {
  return parseInetTable(text, ctx, {
    proto: v6 ? 'raw6' : 'raw',
    v6,
    states: DATAGRAM_STATES,
    hasDrops: true,
    kernelColumns: DATAGRAM_KERNEL_COLUMNS,
  });
}
