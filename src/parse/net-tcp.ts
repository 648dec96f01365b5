// /proc/net/tcp and /proc/net/tcp6: get_tcp4_sock / get_openreq4 / get_timewait4_sock in
// net/ipv4/tcp_ipv4.c, get_tcp6_sock / get_openreq6 / get_timewait6_sock in net/ipv6/tcp_ipv6.c.
import type { InetSocketRow, ParseContext, Parsed, TcpState } from '../model/index.js';
import { parseInetTable } from './net-inet.js';

/** include/net/tcp_states.h, by the hex code the `st` column prints. */
export const TCP_STATES: ReadonlyMap<number, TcpState> = new Map<number, TcpState>([
  [0x01, 'ESTABLISHED'],
  [0x02, 'SYN_SENT'],
  [0x03, 'SYN_RECV'],
  [0x04, 'FIN_WAIT1'],
  [0x05, 'FIN_WAIT2'],
  [0x06, 'TIME_WAIT'],
  [0x07, 'CLOSE'],
  [0x08, 'CLOSE_WAIT'],
  [0x09, 'LAST_ACK'],
  [0x0a, 'LISTEN'],
  [0x0b, 'CLOSING'],
  // request sockets are printed as 03 SYN_RECV; 0C is mapped in case a kernel ever prints it
  [0x0c, 'NEW_SYN_RECV'],
]);

export function parseNetTcp(text: string, ctx: ParseContext, v6: boolean): Parsed<InetSocketRow> {
  return parseInetTable(text, ctx, {
    proto: v6 ? 'tcp6' : 'tcp',
    v6,
    states: TCP_STATES,
    hasDrops: false,
  });
}
