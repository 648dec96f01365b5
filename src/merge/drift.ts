// Each host against its group, built host by host: `onHost(scan)` keeps only what the host listens on
// (identity → state, shared tables for what hosts have alike), never its sockets, so a fleet of
// thousands fits; `end()` finds each group's consensus and each host's deviation from it.
//
// The reference is the group's majority, as `clush --diff` takes its largest identical set (failed
// hosts left out): one chosen baseline host (Netflix Diffy's way) makes its own quirks everyone's.
// A listener is consensus when more than `threshold` of the group's scanned hosts have it; its state
// is the one most of those have. A host is then missing a consensus listener, has an extra one, or
// has one in a different state (bind address, process, user). Identity and state never hold a pid or
// an inode, so a restarted service is no deviation.
import type { ListenerIdentity } from '../model/diff.js';
import type { ConsensusListener, DriftResult, DriftState, GroupDrift, HostDeviation } from '../model/drift.js';
import type { HostScan, HostStatus } from '../model/index.js';
import { compareIdentities, identityKey, listenersByIdentity } from './listener-identity.js';
import { bindScopeOf } from './listeners.js';
import { compareNodeNames } from './matrix.js';

const SCANNED: ReadonlySet<HostStatus> = new Set(['ok', 'partial']);

/** More than half: a strict majority. */
export const DEFAULT_DRIFT_THRESHOLD = 0.5;
/** Of two hosts that differ, neither is the odd one: a majority needs three. */
export const MINIMUM_GROUP_HOSTS = 3;

/**
 * Ansible puts every host in `all` (which a host's `groups` never lists) and a host of no other
 * group in `ungrouped`. Neither is a role: a fleet-wide majority would call every database host
 * "missing" the web ports, and ungrouped hosts share only their lack of a group. So both are judged
 * only when asked for by name (`--group all`, `--group ungrouped`).
 */
const ALL = 'all';
const UNGROUPED = 'ungrouped';

export interface DriftOptions {
  /** 0 ≤ threshold < 1; default 0.5 (a strict majority) */
  threshold?: number;
  /** only these groups (`all` and `ungrouped` included when named); absent or empty: every group but those two */
  groups?: readonly string[];
}

/** What one scanned host listens on: identity index → held-states index (both into the builder's tables). */
interface HostListening {
  name: string;
  listeners: Map<number, number>;
}

/** One identity's states on one host, as found (its own addresses) and as compared across hosts. */
interface HeldStates {
  found: DriftState[];
  compareKey: string;
}

interface GroupHosts {
  scanned: HostListening[];
  failed: Array<{ name: string; status: HostStatus }>;
}

const stateKey = (s: DriftState) => JSON.stringify([s.address, s.scope, s.owners.map((o) => [o.process, o.user])]);
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** As siblings are compared: an address of the host's own is only "one of its addresses". */
function comparable(s: DriftState): DriftState {
  return s.scope === 'address' ? { ...s, address: null } : s;
}

function distinctSorted(states: DriftState[]): DriftState[] {
  const unique = new Map(states.map((s) => [stateKey(s), s]));
  return [...unique.keys()].sort(byKey).map((k) => unique.get(k)!);
}

export function isValidThreshold(threshold: number): boolean {
  return Number.isFinite(threshold) && threshold >= 0 && threshold < 1;
}

export class DriftBuilder {
  private readonly threshold: number;
  private readonly asked: ReadonlySet<string> | null;
  private readonly identities: ListenerIdentity[] = [];
  private readonly identityIndex = new Map<string, number>();
  private readonly held: HeldStates[] = [];
  private readonly heldIndex = new Map<string, number>();
  /** compare key → the states as a group's consensus shows them */
  private readonly comparedStates = new Map<string, DriftState[]>();
  private readonly groups = new Map<string, GroupHosts>();
  private notInGroups = 0;

  constructor(options: DriftOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_DRIFT_THRESHOLD;
    if (!isValidThreshold(this.threshold)) throw new RangeError(`drift threshold ${this.threshold}: must be at least 0 and below 1`);
    this.asked = options.groups !== undefined && options.groups.length > 0 ? new Set(options.groups) : null;
  }

  /** The groups this host is judged in. */
  private groupsOf(host: HostScan): string[] {
    if (this.asked === null) return host.groups.filter((g) => g !== UNGROUPED && g !== ALL);
    const asked = this.asked;
    return [...new Set([...host.groups, ALL])].filter((g) => asked.has(g));
  }

  private group(name: string): GroupHosts {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { scanned: [], failed: [] };
      this.groups.set(name, group);
    }
    return group;
  }

  private intern(states: DriftState[]): number {
    const found = distinctSorted(states);
    const key = JSON.stringify(found.map(stateKey));
    let index = this.heldIndex.get(key);
    if (index === undefined) {
      const compared = distinctSorted(found.map(comparable));
      const compareKey = JSON.stringify(compared.map(stateKey));
      if (!this.comparedStates.has(compareKey)) this.comparedStates.set(compareKey, compared);
      index = this.held.push({ found, compareKey }) - 1;
      this.heldIndex.set(key, index);
    }
    return index;
  }

  private listeningOf(host: HostScan): HostListening {
    const listeners = new Map<number, number>();
    for (const [key, known] of listenersByIdentity(host)) {
      let id = this.identityIndex.get(key);
      if (id === undefined) {
        id = this.identities.push(known[0]!.identity) - 1;
        this.identityIndex.set(key, id);
      }
      const states = known.map(({ state }): DriftState => ({ address: state.address, scope: state.address === null ? 'path' : bindScopeOf(state.address), owners: state.owners }));
      listeners.set(id, this.intern(states));
    }
    return { name: host.name, listeners };
  }

  /** One host, as it ends: reduced at once to its listeners; the scan itself is let go. */
  onHost(host: HostScan): void {
    const groups = this.groupsOf(host);
    if (groups.length === 0) {
      this.notInGroups += 1;
      return;
    }
    if (!SCANNED.has(host.status)) {
      for (const g of groups) this.group(g).failed.push({ name: host.name, status: host.status });
      return;
    }
    const listening = this.listeningOf(host); // one copy, shared by every group the host is in
    for (const g of groups) this.group(g).scanned.push(listening);
  }

  private judge(name: string, group: GroupHosts): GroupDrift {
    const scanned = [...group.scanned].sort((a, b) => compareNodeNames(a.name, b.name));
    const base: GroupDrift = {
      name,
      kind: 'too-small',
      hosts: scanned.map((h) => h.name),
      failed: [...group.failed].sort((a, b) => compareNodeNames(a.name, b.name)),
      consensus: [],
      deviations: [],
    };
    if (scanned.length < MINIMUM_GROUP_HOSTS) return base;
    // identity → (compare key → hosts in that state)
    const tally = new Map<number, Map<string, number>>();
    for (const host of scanned) {
      for (const [id, heldIndex] of host.listeners) {
        const counts = tally.get(id) ?? new Map<string, number>();
        const key = this.held[heldIndex]!.compareKey;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        tally.set(id, counts);
      }
    }
    const holders = new Map<number, number>();
    const consensusKey = new Map<number, string>();
    const consensus: ConsensusListener[] = [];
    for (const [id, counts] of tally) {
      const hosts = [...counts.values()].reduce((a, b) => a + b, 0);
      holders.set(id, hosts);
      // a ratio, not `hosts > threshold * n`: 7/10 and 0.7 are the same double, 0.7 * 10 is not 7
      if (!(hosts / scanned.length > this.threshold)) continue;
      const [key, withState] = [...counts].sort(([ka, a], [kb, b]) => b - a || byKey(ka, kb))[0]!;
      consensusKey.set(id, key);
      consensus.push({ listener: this.identities[id]!, states: this.comparedStates.get(key)!, hosts, hostsWithState: withState });
    }
    const byIdentity = <T extends { listener: ListenerIdentity }>(list: T[]) => list.sort((a, b) => compareIdentities(a.listener, b.listener));
    const deviations: HostDeviation[] = [];
    for (const host of scanned) {
      const d: HostDeviation = { name: host.name, missing: [], extra: [], different: [] };
      for (const [id, key] of consensusKey) {
        const heldIndex = host.listeners.get(id);
        const group = this.comparedStates.get(key)!;
        if (heldIndex === undefined) d.missing.push({ listener: this.identities[id]!, group });
        else if (this.held[heldIndex]!.compareKey !== key) d.different.push({ listener: this.identities[id]!, host: this.held[heldIndex]!.found, group });
      }
      for (const [id, heldIndex] of host.listeners) {
        if (!consensusKey.has(id)) d.extra.push({ listener: this.identities[id]!, host: this.held[heldIndex]!.found, hosts: holders.get(id)! });
      }
      if (d.missing.length + d.extra.length + d.different.length === 0) continue;
      byIdentity(d.missing);
      byIdentity(d.extra);
      byIdentity(d.different);
      deviations.push(d);
    }
    return { ...base, kind: 'judged', consensus: byIdentity(consensus), deviations };
  }

  end(source: { source: string; startedAt: string }): DriftResult {
    const groups = [...this.groups].sort(([a], [b]) => compareNodeNames(a, b)).map(([name, g]) => this.judge(name, g));
    const judged = groups.filter((g) => g.kind === 'judged');
    const deviations = judged.flatMap((g) => g.deviations);
    const count = (pick: (d: HostDeviation) => unknown[]) => deviations.reduce((n, d) => n + pick(d).length, 0);
    return {
      schema: 'fleetstat/drift@1',
      source: source.source,
      startedAt: source.startedAt,
      threshold: this.threshold,
      minimumHosts: MINIMUM_GROUP_HOSTS,
      groups,
      summary: {
        groupsJudged: judged.length,
        groupsTooSmall: groups.length - judged.length,
        hostsJudged: new Set(judged.flatMap((g) => g.hosts)).size,
        hostsWithDeviations: new Set(deviations.map((d) => d.name)).size,
        missing: count((d) => d.missing),
        extra: count((d) => d.extra),
        different: count((d) => d.different),
        failed: new Set(groups.flatMap((g) => g.failed.map((f) => f.name))).size,
        notInGroups: this.notInGroups,
      },
    };
  }
}

export function hasDeviations(result: DriftResult): boolean {
  return result.groups.some((g) => g.deviations.length > 0);
}
