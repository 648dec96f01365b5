// Which way a socket faces: listening, accepted from a peer, opened towards one, or not knowable.
import type { Direction, InetSocketRow } from '../model/index.js';

export interface PortRange {
  low: number;
  high: number;
}

/** tcp and tcp6 share one port space for this purpose: a `::` listener accepts v4 peers too. */
export function transportOf(proto: InetSocketRow['proto']): 'tcp' | 'udp' | 'raw' {
  return proto.startsWith('tcp') ? 'tcp' : proto.startsWith('udp') ? 'udp' : 'raw';
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
  if (transportOf(row.proto) === 'tcp') return row.state === 'LISTEN';
  // netstat -l and ss -l show unconnected UDP and raw sockets as listening
  return row.state === 'UNCONN';
}

/**
 * listen: a listener; inbound: its local port is a listening port of the same protocol in the same
 * namespace; outbound: its local port is inside the host's ephemeral range; else unknown.
 */
export function directionOf(row: InetSocketRow, listening: Set<string>, ephemeral: PortRange | null): Direction {
  if (isListening(row)) return 'listen';
  const transport = transportOf(row.proto);
  if (transport === 'raw') return 'unknown';
  if (listening.has(portKey(row.netns, transport, row.local.port))) return 'inbound';
  if (ephemeral && row.local.port >= ephemeral.low && row.local.port <= ephemeral.high) return 'outbound';
  return 'unknown';
}

function portKey(netns: string, transport: string, port: number): string {
  return `${netns}/${transport}/${port}`;
}
