// netstat-style selection of sockets: -l; -t, -u, -w, -x; -4, -6 — combined as netstat and ss
// combine them (checked against net-tools netstat and iproute2 ss):
//   no selection flag   every socket
//   -t / -u / -w        those inet protocols, both address families; no unix sockets
//   -x                  unix sockets (plus whatever other flags select)
//   -4 / -6             every inet protocol of that address family (narrowed by -t/-u/-w when given);
//                       no unix sockets unless -x is given too (`-4x`: IPv4 and unix)
// Sockets of other families (packet, …) are shown only when nothing is selected.
// The triage filters (--port, --state, --process, --user, --netns: socket-match.ts) are AND'ed with
// these, and --sort (socket-order.ts) orders what is kept: filterHost is the one place both apply.
import type { HostScan, ScanResult, Socket } from '../model/index.js';
import { selects, type SocketSelection } from './socket-match.js';
import { orderSockets, type SortKey } from './socket-order.js';

export type InetProtocol = 'tcp' | 'udp' | 'raw';
export type AddressFamily = 'inet' | 'inet6';

export interface SocketFilter {
  /** only listening sockets (TCP LISTEN, unconnected UDP/raw, listening unix) */
  listeningOnly: boolean;
  /** -t -u -w -x: protocols to keep */
  protocols: ReadonlyArray<InetProtocol | 'unix'>;
  /** -4 -6: address families of inet sockets to keep */
  addressFamilies: readonly AddressFamily[];
  /** --port, --state, --process, --user, --netns (absent: none given) */
  selection?: SocketSelection;
  /** --sort: each host's sockets in this order (absent: the order the tables give) */
  sort?: SortKey;
}

const INET_PROTOCOLS = new Set(['tcp', 'udp', 'raw', 'udplite', 'icmp']);

/** A socket's proto (`tcp6`, `udp`, `unix`…) as protocol and address family. */
function classify(proto: string): { protocol: string; family: AddressFamily | 'unix' | 'other' } {
  if (proto === 'unix') return { protocol: 'unix', family: 'unix' };
  const v6 = proto.endsWith('6');
  const protocol = v6 ? proto.slice(0, -1) : proto;
  if (!INET_PROTOCOLS.has(protocol)) return { protocol: proto, family: 'other' };
  return { protocol, family: v6 ? 'inet6' : 'inet' };
}

export function filterScan(result: ScanResult, filter: SocketFilter): ScanResult {
  return { ...result, hosts: result.hosts.map((host) => filterHost(host, filter)) };
}

/** One host's row with only the sockets the filter keeps, in its order (applied per host, before anything is kept). */
export function filterHost(host: HostScan, filter: SocketFilter): HostScan {
  const { selection, sort } = filter;
  const kept = host.sockets.filter((s) => keeps(s, filter) && (selection === undefined || selects(s, selection)));
  return { ...host, sockets: sort === undefined ? kept : orderSockets(kept, sort) };
}

function keeps(socket: Socket, filter: SocketFilter): boolean {
  if (filter.listeningOnly && socket.direction !== 'listen') return false;
  const { protocols, addressFamilies } = filter;
  if (protocols.length === 0 && addressFamilies.length === 0) return true;
  const { protocol, family } = classify(socket.proto);
  if (family === 'unix') return protocols.includes('unix');
  if (family === 'other') return false;
  const inetProtocols = protocols.filter((p) => p !== 'unix');
  // -x alone selects unix sockets only; -4/-6 select every inet protocol unless -t/-u/-w narrow it
  const protocolKept = inetProtocols.length > 0 ? (inetProtocols as readonly string[]).includes(protocol) : addressFamilies.length > 0;
  return protocolKept && (addressFamilies.length === 0 || addressFamilies.includes(family));
}
