// The port matrix, built host by host as hosts end: each host is reduced at once to its listening set
// (listeners.ts), and hosts with the same set share one entry, so memory grows with the number of
// distinct sets and endpoints, never with sockets or with hosts beyond their names.
import type { HostScan, HostStatus } from '../model/index.js';
import type { MatrixCell, MatrixColumn, MatrixEndpoint, MatrixPartialAttribution, MatrixProto, MatrixRow, MatrixUnscanned, PortMatrix } from '../model/matrix.js';
import { cellKey, endpointKey, listenersOf } from './listeners.js';
import { foldNodeset } from './nodeset.js';

/** Hosts whose listening set is known: the others are in no column. */
const SCANNED: ReadonlySet<HostStatus> = new Set(['ok', 'partial']);

/** Names in natural order: digit runs compared as numbers (web2 before web10), then as text. */
export function compareNodeNames(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const digits = /^\d/.test(x) && /^\d/.test(y);
    if (digits) {
      const nx = BigInt(x);
      const ny = BigInt(y);
      if (nx !== ny) return nx < ny ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

const PROTO_ORDER: Record<MatrixProto, number> = { tcp: 0, udp: 1, raw: 2, unix: 3 };
const SCOPE_ORDER = { all: 0, loopback: 1, address: 2, path: 3 } as const;

function compareEndpoints(a: MatrixEndpoint, b: MatrixEndpoint): number {
  return (
    PROTO_ORDER[a.proto] - PROTO_ORDER[b.proto] ||
    (a.port ?? -1) - (b.port ?? -1) ||
    SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] ||
    a.family.localeCompare(b.family) ||
    (a.address ?? '').localeCompare(b.address ?? '') ||
    (a.netns ?? '').localeCompare(b.netns ?? '')
  );
}

interface ListeningSet {
  /** endpoint key → cell */
  cells: Map<string, MatrixCell>;
  hosts: string[];
}

export class MatrixBuilder {
  private readonly sets = new Map<string, ListeningSet>();
  private readonly endpoints = new Map<string, MatrixEndpoint>();
  private readonly unscanned = new Map<HostStatus, string[]>();
  /** hosts with partial attribution, by whether the collection ran as root */
  private readonly partial = { asRoot: [] as string[], notRoot: [] as string[] };

  constructor(private readonly protos: ReadonlySet<MatrixProto>) {}

  add(host: HostScan): void {
    if (!SCANNED.has(host.status)) {
      const names = this.unscanned.get(host.status) ?? [];
      names.push(host.name);
      this.unscanned.set(host.status, names);
      return;
    }
    if (host.facts?.attribution === 'partial') (host.facts.collectorUid === 0 ? this.partial.asRoot : this.partial.notRoot).push(host.name);
    const cells = new Map<string, MatrixCell>();
    for (const { endpoint, cell } of listenersOf(host, this.protos)) {
      const key = endpointKey(endpoint);
      if (!this.endpoints.has(key)) this.endpoints.set(key, endpoint);
      cells.set(key, cell);
    }
    const signature = JSON.stringify([...cells].map(([key, cell]) => [key, cellKey(cell)]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)));
    const set = this.sets.get(signature);
    if (set) set.hosts.push(host.name);
    else this.sets.set(signature, { cells, hosts: [host.name] });
  }

  build(times: { startedAt: string; finishedAt: string }): PortMatrix {
    const sets = [...this.sets.values()].map((s) => ({ ...s, hosts: [...s.hosts].sort(compareNodeNames) }));
    sets.sort((a, b) => b.hosts.length - a.hosts.length || compareNodeNames(a.hosts[0]!, b.hosts[0]!));
    const columns: MatrixColumn[] = sets.map((s) => ({ nodeset: foldNodeset(s.hosts), hosts: s.hosts, count: s.hosts.length }));
    const rows: MatrixRow[] = [...this.endpoints]
      .sort(([, a], [, b]) => compareEndpoints(a, b))
      .map(([key, endpoint]) => ({ ...endpoint, cells: sets.map((s) => s.cells.get(key) ?? null) }));
    const unscanned: MatrixUnscanned[] = [...this.unscanned]
      .map(([status, names]) => {
        const hosts = [...names].sort(compareNodeNames);
        return { status, nodeset: foldNodeset(hosts), hosts, count: hosts.length };
      })
      .sort((a, b) => b.count - a.count || a.status.localeCompare(b.status));
    const partialAttribution: MatrixPartialAttribution[] = [false, true].flatMap((asRoot) => {
      const names = asRoot ? this.partial.asRoot : this.partial.notRoot;
      if (names.length === 0) return [];
      const hosts = [...names].sort(compareNodeNames);
      return [{ asRoot, nodeset: foldNodeset(hosts), hosts, count: hosts.length }];
    });
    return { schema: 'fleetstat/matrix@1', startedAt: times.startedAt, finishedAt: times.finishedAt, columns, rows, unscanned, partialAttribution };
  }
}
