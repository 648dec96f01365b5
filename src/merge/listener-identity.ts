// A host's listeners as drift sees them: identity (namespace, protocol, family, port; unix: the path)
// to state (bind address, owners). UDP sockets bound in the host's ephemeral port range are clients
// (a resolver's query socket, a QUIC client), so they are left out: they change on every run. The
// scan's own session is never a listener (listeners.ts).
import type { HostScan } from '../model/index.js';
import type { ListenerIdentity, ListenerState } from '../model/diff.js';
import type { MatrixProto } from '../model/matrix.js';
import { listenersOf } from './listeners.js';

const DRIFT_PROTOS: ReadonlySet<MatrixProto> = new Set(['tcp', 'udp', 'raw', 'unix']);

export interface KnownListener {
  identity: ListenerIdentity;
  state: ListenerState;
}

export function identityKey(i: ListenerIdentity): string {
  return JSON.stringify([i.netns, i.proto, i.family, i.port, i.path]);
}

/** Identity key → the listeners with that identity (several when one port is bound to several addresses). */
export function listenersByIdentity(host: HostScan): Map<string, KnownListener[]> {
  const ephemeral = host.facts?.ephemeralPorts ?? null;
  const byKey = new Map<string, KnownListener[]>();
  for (const { endpoint, cell } of listenersOf(host, DRIFT_PROTOS)) {
    if (endpoint.proto === 'udp' && ephemeral && endpoint.port !== null && endpoint.port >= ephemeral.low && endpoint.port <= ephemeral.high) continue;
    const unix = endpoint.proto === 'unix';
    const identity: ListenerIdentity = { netns: endpoint.netns, proto: endpoint.proto, family: endpoint.family, port: endpoint.port, path: unix ? endpoint.address : null };
    const state: ListenerState = { address: unix ? null : endpoint.address, owners: cell.owners };
    const key = identityKey(identity);
    const list = byKey.get(key) ?? [];
    list.push({ identity, state });
    byKey.set(key, list);
  }
  return byKey;
}

const PROTO_ORDER: Record<ListenerIdentity['proto'], number> = { tcp: 0, udp: 1, raw: 2, unix: 3 };

/** Protocol (tcp, udp, raw, unix), family, port as a number (22 before 443), path, namespace (the host's own first). */
export function compareIdentities(a: ListenerIdentity, b: ListenerIdentity): number {
  return (
    PROTO_ORDER[a.proto] - PROTO_ORDER[b.proto] ||
    a.family.localeCompare(b.family) ||
    (a.port ?? -1) - (b.port ?? -1) ||
    (a.path ?? '').localeCompare(b.path ?? '') ||
    (a.netns === null ? (b.netns === null ? 0 : -1) : b.netns === null ? 1 : a.netns.localeCompare(b.netns))
  );
}
