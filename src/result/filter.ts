// netstat-style selection of sockets: -l, -t, -u, -x (and raw, w).
import type { ScanResult, Socket } from '../model/index.js';

export interface SocketFilter {
  /** only listening sockets (TCP LISTEN, unconnected UDP/raw, listening unix) */
  listeningOnly: boolean;
  /** protocol families to keep; empty keeps all, as netstat does without -t/-u/-w/-x */
  families: ReadonlyArray<'tcp' | 'udp' | 'raw' | 'unix'>;
}

export function filterScan(result: ScanResult, filter: SocketFilter): ScanResult {
  return { ...result, hosts: result.hosts.map((host) => ({ ...host, sockets: host.sockets.filter((s) => keeps(s, filter)) })) };
}

function keeps(socket: Socket, filter: SocketFilter): boolean {
  if (filter.listeningOnly && socket.direction !== 'listen') return false;
  if (filter.families.length === 0) return true;
  const family = socket.proto.replace('6', '') as 'tcp' | 'udp' | 'raw' | 'unix';
  return filter.families.includes(family);
}
