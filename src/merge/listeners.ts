// A host's listeners by identity: what listens where, and who holds it. What `ss -tuln` lists (TCP
// LISTEN, unconnected UDP and raw sockets, listening unix sockets), keyed as the matrix and drift key
// them: never by pid, inode or queue sizes, which change on every restart.
import type { MatrixCell, MatrixEndpoint, MatrixOwner, MatrixProto, BindScope } from '../model/matrix.js';
import type { HostScan, Socket } from '../model/index.js';

export interface Listener {
  endpoint: MatrixEndpoint;
  cell: MatrixCell;
}

const PROTO_GROUP: Partial<Record<Socket['proto'], MatrixProto>> = { tcp: 'tcp', tcp6: 'tcp', udp: 'udp', udp6: 'udp', raw: 'raw', raw6: 'raw', unix: 'unix' };

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

export function bindScopeOf(address: string): BindScope {
  if (address === '0.0.0.0' || address === '::') return 'all';
  return isLoopback(address) ? 'loopback' : 'address';
}

function endpointOf(socket: Socket, proto: MatrixProto): MatrixEndpoint | null {
  const netns = socket.netns === 'default' ? null : socket.netns;
  const service = socket.service ?? null;
  if (proto === 'unix') {
    const path = socket.local !== null && 'path' in socket.local ? socket.local.path : null;
    return { proto, family: 'unix', scope: 'path', address: path, port: null, maybeDualStack: false, netns, service };
  }
  if (socket.local === null || !('address' in socket.local)) return null;
  const { address, port } = socket.local;
  const family = socket.proto.endsWith('6') ? 'inet6' : 'inet';
  return { proto, family, scope: bindScopeOf(address), address, port, maybeDualStack: family === 'inet6' && address === '::', netns, service };
}

function compareOwners(a: MatrixOwner, b: MatrixOwner): number {
  return (a.process ?? '').localeCompare(b.process ?? '') || (a.user ?? '').localeCompare(b.user ?? '');
}

function ownersOf(socket: Socket): MatrixOwner[] {
  if (socket.processes.length === 0) return [{ process: null, user: socket.user ?? null }];
  const seen = new Map<string, MatrixOwner>();
  for (const p of socket.processes) seen.set(JSON.stringify([p.name, p.user]), { process: p.name, user: p.user });
  return [...seen.values()].sort(compareOwners);
}

/** A stable key of an endpoint: equal exactly when two listeners are the same row of the matrix. */
export function endpointKey(e: MatrixEndpoint): string {
  return JSON.stringify([e.proto, e.family, e.address, e.port, e.netns]);
}

export function cellKey(cell: MatrixCell): string {
  return JSON.stringify(cell.owners.map((o) => [o.process, o.user]));
}

/**
 * The listeners of the protocols asked for, one per endpoint (several sockets on one endpoint, as
 * SO_REUSEPORT workers have, are one listener whose owners are all of theirs). The collection's own
 * session never counts.
 */
export function listenersOf(host: HostScan, protos: ReadonlySet<MatrixProto>): Listener[] {
  const byEndpoint = new Map<string, Listener>();
  for (const socket of host.sockets) {
    if (socket.direction !== 'listen' || socket.collector === true) continue;
    const proto = PROTO_GROUP[socket.proto];
    if (proto === undefined || !protos.has(proto)) continue;
    const endpoint = endpointOf(socket, proto);
    if (endpoint === null) continue;
    const key = endpointKey(endpoint);
    const owners = ownersOf(socket);
    const held = byEndpoint.get(key);
    if (held === undefined) {
      byEndpoint.set(key, { endpoint, cell: { owners } });
      continue;
    }
    const merged = new Map(held.cell.owners.map((o) => [JSON.stringify([o.process, o.user]), o]));
    for (const o of owners) merged.set(JSON.stringify([o.process, o.user]), o);
    // an owner seen on one of the sockets makes "no process seen" on another of them moot
    const known = [...merged.values()].filter((o) => o.process !== null);
    held.cell = { owners: (known.length > 0 ? known : [...merged.values()]).sort(compareOwners) };
  }
  return [...byEndpoint.values()];
}
