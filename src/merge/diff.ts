// Two scans of one host compared listener by listener: added, removed, and changed with the value it
// had before (Wazuh users ask for "tcp 0.0.0.0:22 now open (was closed)", not a text diff). A host one
// scan could not see is not compared: a failed scan is not "every listener removed".
import type { HostScan } from '../model/index.js';
import type { DiffResult, HostDiff, ListenerChange, ListenerState } from '../model/diff.js';
import { filterHost } from '../result/filter.js';
import { compareNodeNames } from './matrix.js';
import { listenersByIdentity, type KnownListener } from './listener-identity.js';

const SEEN = new Set(['ok', 'partial']);

function stateKey(s: ListenerState): string {
  return JSON.stringify([s.address, s.owners.map((o) => [o.process, o.user])]);
}

/** One identity's listeners before and after: a lone one on each side that differs is `changed`. */
function compareIdentity(before: KnownListener[], after: KnownListener[], into: Pick<HostDiff, 'added' | 'removed' | 'changed'>): void {
  const identity = (before[0] ?? after[0])!.identity;
  const afterKeys = new Set(after.map((l) => stateKey(l.state)));
  const beforeKeys = new Set(before.map((l) => stateKey(l.state)));
  const gone = before.filter((l) => !afterKeys.has(stateKey(l.state)));
  const come = after.filter((l) => !beforeKeys.has(stateKey(l.state)));
  if (gone.length === 1 && come.length === 1) {
    into.changed.push({ listener: identity, before: gone[0]!.state, after: come[0]!.state });
    return;
  }
  for (const l of gone) into.removed.push({ listener: identity, before: l.state, after: null });
  for (const l of come) into.added.push({ listener: identity, before: null, after: l.state });
}

/** The host in two scans; `before`/`after` undefined: not in that scan's inventory. */
export function diffHost(name: string, before: HostScan | undefined, after: HostScan | undefined): HostDiff {
  const diff: HostDiff = { name, kind: 'compared', statusBefore: before?.status ?? null, statusAfter: after?.status ?? null, added: [], removed: [], changed: [] };
  if (before === undefined) return { ...diff, kind: 'appeared' };
  if (after === undefined) return { ...diff, kind: 'vanished' };
  if (!SEEN.has(before.status) || !SEEN.has(after.status)) return { ...diff, kind: 'not-compared' };
  const old = listenersByIdentity(before);
  const now = listenersByIdentity(after);
  for (const key of [...new Set([...old.keys(), ...now.keys()])].sort()) compareIdentity(old.get(key) ?? [], now.get(key) ?? [], diff);
  return diff;
}

export function hasDrift(d: HostDiff): boolean {
  return d.kind === 'appeared' || d.kind === 'vanished' || d.added.length + d.removed.length + d.changed.length > 0;
}

export type { ListenerChange };

const LISTENING = { listeningOnly: true, protocols: [], addressFamilies: [] };

/**
 * A whole fleet's diff, the new scan's hosts fed one at a time as they come (and let go): only the old
 * scan's listeners are held, by host name (a host's listeners are few, its sockets many).
 */
export class DiffBuilder {
  private readonly old = new Map<string, HostScan>();
  private readonly hosts: HostDiff[] = [];
  private readonly summary: DiffResult['summary'] = { hostsCompared: 0, hostsWithDrift: 0, added: 0, removed: 0, changed: 0, appeared: 0, vanished: 0, notCompared: 0 };

  /** a host of the earlier scan */
  before(host: HostScan): void {
    this.old.set(host.name, filterHost(host, LISTENING));
  }

  /** a host of the later scan, compared at once */
  after(host: HostScan): void {
    this.count(diffHost(host.name, this.old.get(host.name), host));
    this.old.delete(host.name);
  }

  end(sources: Pick<DiffResult, 'before' | 'after'>): DiffResult {
    for (const [name, host] of this.old) this.count(diffHost(name, host, undefined));
    this.old.clear();
    this.hosts.sort((a, b) => compareNodeNames(a.name, b.name));
    return { schema: 'fleetstat/diff@1', ...sources, hosts: this.hosts, summary: this.summary };
  }

  private count(d: HostDiff): void {
    const s = this.summary;
    if (d.kind === 'compared') s.hostsCompared += 1;
    if (d.kind === 'appeared') s.appeared += 1;
    if (d.kind === 'vanished') s.vanished += 1;
    if (d.kind === 'not-compared') s.notCompared += 1;
    s.added += d.added.length;
    s.removed += d.removed.length;
    s.changed += d.changed.length;
    if (d.kind === 'compared' && hasDrift(d)) s.hostsWithDrift += 1;
    if (hasDrift(d) || d.kind === 'not-compared') this.hosts.push(d);
  }
}

export function anyDrift(result: DiffResult): boolean {
  return result.hosts.some(hasDrift);
}
