// The written policy (`fleetstat/policy@1`, schema/policy-v1.schema.json, docs/policy.md) as the
// loader hands it to the evaluation: every list already a list, every port a range, every entry with
// the line it was written on (findings are anchored there). Types only.
import type { Severity, SourceLocation } from '../model/finding.js';

/** Families folded: `tcp` is tcp and tcp6 (a `::` listener may take IPv4 too; `bind` says where). */
export type PolicyProto = 'tcp' | 'udp' | 'raw' | 'unix';

/** Inclusive; a single port is `low === high`. For raw sockets the "port" is the IP protocol number. */
export interface PortRange {
  low: number;
  high: number;
}

/** `all` (0.0.0.0 or ::), `loopback` (127/8, ::1), `address` (one address of the host), or a literal address. */
export type BindMatch = { scope: 'all' | 'loopback' | 'address' } | { address: string };

export type EntryKind = 'allowed' | 'required' | 'forbidden';

/** What an entry (or a waiver's narrowing) says of a listener; null: anything. */
export interface ListenerMatch {
  protos: PolicyProto[];
  ports: PortRange[] | null;
  /** unix only: socket paths, `*`/`?` globs */
  paths: string[] | null;
  bind: BindMatch[] | null;
  /** process names (comm, at most 15 bytes), `*`/`?` globs */
  processes: string[] | null;
  users: string[] | null;
}

export interface PolicyEntry extends ListenerMatch {
  kind: EntryKind;
  group: string;
  /** 0-based place in its group's list, for messages */
  index: number;
  /** forbidden and required: the finding's severity (default high); null for allowed entries */
  severity: Severity | null;
  reason: string | null;
  location: SourceLocation;
}

/** InSpec's waiver (justification, expiration_date, run), narrowed to a rule and optionally hosts and a listener. */
export interface PolicyWaiver {
  rule: string;
  /** host names or `*`/`?` globs; null: every host */
  hosts: string[] | null;
  protos: PolicyProto[] | null;
  ports: PortRange[] | null;
  processes: string[] | null;
  justification: string;
  /** YYYY-MM-DD as written: the waiver holds through the day before (InSpec: it expires at 00:00 that day) */
  expirationDate: string | null;
  run: boolean;
  /** 0-based place in `waivers` */
  index: number;
  location: SourceLocation;
}

export interface Policy {
  file: string;
  /** the severity of a listener no allowed/required entry of the host's groups covers; null: not checked */
  unlisted: { severity: Severity; location: SourceLocation } | null;
  /** the groups' entries in the order written (group by group) */
  entries: PolicyEntry[];
  /** the group names the policy names, `all` included when written */
  groups: string[];
  waivers: PolicyWaiver[];
}
