// Which way a socket faces: listening, accepted from a peer, opened towards one, or not knowable.
import type { Direction, InetSocketRow } from '../model/index.js';

export interface PortRange {
  low: number;
  high: number;
}

export type Transport = 'tcp' | 'udp' | 'udplite' | 'raw' | 'icmp';

/**
 * The port space a socket's port belongs to. tcp and tcp6 share one for this purpose (a `::` listener
 * accepts v4 peers too), as do udp/udp6 and udplite/udplite6; udplite's is not udp's (another protocol).
 */
export function transportOf(proto: InetSocketRow['proto']): Transport {
  return proto.replace(/6$/, '') as Transport;
}

/** Keys `netns/transport/port` of every listening socket (TCP LISTEN, unconnected bound UDP). */
export function listeningPorts(rows: readonly InetSocketRow[]): Set<string> {
  const ports = new Set<string>();
  for (const row of rows) {
    if (isListening(row)) ports.add(portKey(row.netns, transportOf(row.proto), row.local.port));
  }
  return ports;
}

export function isListening(row: InetSocketRow): boolean {
  const transport = transportOf(row.proto);
  if (transport === 'tcp') return row.state === 'LISTEN';
  // a ping socket only ever sends echo requests: a client
  if (transport === 'icmp') return false;
  // netstat -l and ss -l show unconnected UDP and raw sockets as listening
  return row.state === 'UNCONN';
}

/**
 * listen: a listener; inbound: its local port is a listening port of the same protocol in the same
 * namespace; outbound: its local port is inside the host's ephemeral range, or a ping socket; else unknown.
 */
export function directionOf(row: InetSocketRow, listening: Set<string>, ephemeral: PortRange | null): Direction {
  if (isListening(row)) return 'listen';
  const transport = transportOf(row.proto);
  if (transport === 'icmp') return 'outbound';
  if (transport === 'raw') return 'unknown';
  if (listening.has(portKey(row.netns, transport, row.local.port))) return 'inbound';
  if (ephemeral && row.local.port >= ephemeral.low && row.local.port <= ephemeral.high) return 'outbound';
  return 'unknown';
}

function portKey(netns: string, transport: string, port: number): string {
  return `${netns}/${transport}/${port}`;
}
