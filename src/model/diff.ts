// `fleetstat diff OLD NEW` (`fleetstat/diff@1`): per host, the listeners added, removed and changed
// between two scans, keyed by identity (namespace, protocol, family, port; a unix socket's path), never
// by pid or inode: a restarted service is no change.
import type { HostStatus } from './host.js';
import type { MatrixOwner } from './matrix.js';

/** What a listener is, besides its identity: where it is bound and who holds it. */
export interface ListenerState {
  /** the bound address (0.0.0.0, ::, 127.0.0.1 …); a unix socket's path */
  address: string | null;
  owners: MatrixOwner[];
}

export interface ListenerIdentity {
  netns: string | null;
  proto: 'tcp' | 'udp' | 'raw' | 'unix';
  family: 'inet' | 'inet6' | 'unix';
  /** null for unix (its path is its identity: `address`) */
  port: number | null;
  /** unix: the path; else null */
  path: string | null;
}

export interface ListenerChange {
  listener: ListenerIdentity;
  before: ListenerState | null;
  after: ListenerState | null;
}

/**
 * compared: both scans saw its listeners; appeared / vanished: in one scan's inventory only;
 * not-compared: one of the two scans could not see its listeners (failed there): never read as
 * "all listeners removed".
 */
export type HostDiffKind = 'compared' | 'appeared' | 'vanished' | 'not-compared';

export interface HostDiff {
  name: string;
  kind: HostDiffKind;
  statusBefore: HostStatus | null;
  statusAfter: HostStatus | null;
  added: ListenerChange[];
  removed: ListenerChange[];
  changed: ListenerChange[];
}

export interface DiffResult {
  schema: 'fleetstat/diff@1';
  before: { source: string; startedAt: string };
  after: { source: string; startedAt: string };
  /** hosts with drift or that could not be compared, in natural name order (web2 before web10) */
  hosts: HostDiff[];
  /** counts over all hosts */
  summary: { hostsCompared: number; hostsWithDrift: number; added: number; removed: number; changed: number; appeared: number; vanished: number; notCompared: number };
}
