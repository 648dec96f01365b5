// `fleetstat drift INPUT` (`fleetstat/drift@1`, schema/drift-v1.schema.json): each inventory group's
// consensus listening set, and each host's deviation from it. The reference is the group's majority,
// as `clush --diff` takes the largest identical set (failed hosts left out), never one chosen host.
import type { ListenerIdentity } from './diff.js';
import type { HostStatus } from './host.js';
import type { BindScope, MatrixOwner } from './matrix.js';

/**
 * A listener's state as hosts are compared: the bind and the owners. An address of the host's own
 * (scope `address`: 10.0.0.5 on one host, 10.0.0.6 on its sibling) is compared by its scope, since
 * siblings never share it; a wildcard or a loopback address is compared as written.
 */
export interface DriftState {
  /** the bound address; null in a group's consensus state of scope `address` (hosts differ), and for unix */
  address: string | null;
  scope: BindScope;
  owners: MatrixOwner[];
}

/** A listener most of the group's hosts have, and the state most of those have it in. */
export interface ConsensusListener {
  listener: ListenerIdentity;
  /** usually one; several when the port is bound to several addresses (127.0.0.1 and ::1 …) */
  states: DriftState[];
  /** how many of the group's scanned hosts have this listener */
  hosts: number;
  /** how many of those have it in `states` (ties go to the state that sorts first) */
  hostsWithState: number;
}

/** A consensus listener the host lacks. */
export interface MissingListener {
  listener: ListenerIdentity;
  group: DriftState[];
}

/** A listener the host has and the group's majority does not. */
export interface ExtraListener {
  listener: ListenerIdentity;
  host: DriftState[];
  /** how many of the group's scanned hosts have it (this one included): 1 is a lone listener */
  hosts: number;
}

/** A consensus listener the host has, bound elsewhere or held by another process or user. */
export interface DifferentListener {
  listener: ListenerIdentity;
  host: DriftState[];
  group: DriftState[];
}

export interface HostDeviation {
  name: string;
  missing: MissingListener[];
  extra: ExtraListener[];
  different: DifferentListener[];
}

/**
 * judged: the group has at least `minimumHosts` scanned hosts; too-small: fewer, so no majority
 * means anything (of two hosts, which is the odd one?): no consensus, no deviations.
 */
export type GroupDriftKind = 'judged' | 'too-small';

export interface GroupDrift {
  name: string;
  kind: GroupDriftKind;
  /** its hosts that were scanned (ok, partial), in natural name order */
  hosts: string[];
  /** its hosts whose listeners are not known (unreachable, timeout …): never judged, never counted */
  failed: Array<{ name: string; status: HostStatus }>;
  /** in protocol, family, port, path, namespace order; empty when too small */
  consensus: ConsensusListener[];
  /** only the hosts that deviate, in natural name order */
  deviations: HostDeviation[];
}

export interface DriftResult {
  schema: 'fleetstat/drift@1';
  source: string;
  startedAt: string;
  /** a listener is consensus when more than threshold × the group's scanned hosts have it */
  threshold: number;
  /** a group with fewer scanned hosts is too small to judge */
  minimumHosts: number;
  /** in natural name order */
  groups: GroupDrift[];
  summary: {
    groupsJudged: number;
    groupsTooSmall: number;
    /** scanned hosts judged in at least one group */
    hostsJudged: number;
    /** hosts deviating in at least one group (a host odd in two groups counts once) */
    hostsWithDeviations: number;
    /** deviations over all groups (a host's lines in each of its groups all count) */
    missing: number;
    extra: number;
    different: number;
    /** hosts in a group asked for whose listeners are not known */
    failed: number;
    /** hosts in none of the groups judged (ungrouped hosts, or outside --group) */
    notInGroups: number;
  };
}
