// Whether a policy entry (or a waiver's narrowing) says something of a listener: protocol, port
// ranges, bind scope or address, path, process and user globs. Pure.
import { bindScopeOf } from '../merge/listeners.js';
import type { MatrixOwner } from '../model/matrix.js';
import { matchPattern } from '../openssh/match.js';
import type { BindMatch, ListenerMatch, PolicyProto, PortRange } from './policy.js';

/** A listener as the policy sees it: drift's identity and state in one (listener-identity.ts). */
export interface PolicyListener {
  netns: string | null;
  proto: PolicyProto;
  /** the bound address; null for unix */
  address: string | null;
  /** unix: the path (null when unbound) */
  path: string | null;
  port: number | null;
  owners: MatrixOwner[];
}

/**
 * Who must satisfy process/user: `every` owner (an allowed entry allows a listener only when all its
 * holders are the ones it names), or `some` owner (one forbidden holder is enough to forbid it).
 * An owner that could not be seen satisfies neither.
 */
export type OwnersQuantifier = 'every' | 'some';

/** YYYY-MM-DD naming a day that exists (2027-02-30 does not). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === s;
}

export function inRanges(port: number | null, ranges: readonly PortRange[]): boolean {
  return port !== null && ranges.some((r) => port >= r.low && port <= r.high);
}

/** `*` and `?` globs, case-sensitive (process names and paths are). */
export function matchesAny(value: string | null, globs: readonly string[]): boolean {
  return value !== null && globs.some((g) => matchPattern(value, g));
}

export function bindMatches(address: string | null, binds: readonly BindMatch[]): boolean {
  if (address === null) return false;
  const scope = bindScopeOf(address);
  return binds.some((b) => ('scope' in b ? b.scope === scope : b.address === address));
}

function ownerMatches(owner: MatrixOwner, m: ListenerMatch): boolean {
  return (m.processes === null || matchesAny(owner.process, m.processes)) && (m.users === null || matchesAny(owner.user, m.users));
}

/** Protocol and port (unix: path): where an entry is about, whatever the bind and the holders. */
export function portMatches(m: ListenerMatch, l: PolicyListener): boolean {
  if (!m.protos.includes(l.proto)) return false;
  if (l.proto === 'unix') return m.paths === null || matchesAny(l.path, m.paths);
  return m.ports === null || inRanges(l.port, m.ports);
}

/** Everything but the holders: protocol, port or path, bind. */
export function endpointMatches(m: ListenerMatch, l: PolicyListener): boolean {
  return portMatches(m, l) && (l.proto === 'unix' || m.bind === null || bindMatches(l.address, m.bind));
}

export function ownersMatch(m: ListenerMatch, l: PolicyListener, quantifier: OwnersQuantifier): boolean {
  if (m.processes === null && m.users === null) return true;
  return quantifier === 'every' ? l.owners.every((o) => ownerMatches(o, m)) : l.owners.some((o) => ownerMatches(o, m));
}

export function listenerMatches(m: ListenerMatch, l: PolicyListener, quantifier: OwnersQuantifier): boolean {
  return endpointMatches(m, l) && ownersMatch(m, l, quantifier);
}
