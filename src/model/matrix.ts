// The cross-host port matrix (`fleetstat/matrix@1`, schema/matrix-v1.schema.json): rows are listening
// endpoints, columns are sets of hosts that listen on exactly the same endpoints with the same owners.
import type { HostStatus } from './host.js';

/** The protocol groups the matrix is ordered by. */
export type MatrixProto = 'tcp' | 'udp' | 'raw' | 'unix';

/**
 * Where a listener is bound. `all`: 0.0.0.0 or :: (every address); `loopback`: 127.0.0.0/8, ::1 and
 * their IPv4-mapped forms; `address`: one address of the host; `path`: a unix socket's name.
 */
export type BindScope = 'all' | 'loopback' | 'address' | 'path';

/** A listening endpoint, as a listener's identity has it: never a pid, an inode or a queue size. */
export interface MatrixEndpoint {
  proto: MatrixProto;
  /** inet / inet6 for tcp, udp and raw; unix for unix sockets */
  family: 'inet' | 'inet6' | 'unix';
  scope: BindScope;
  /** the bound address (0.0.0.0, ::, 127.0.0.1 …); a unix socket's path; null for an unbound unix listener */
  address: string | null;
  /** tcp/udp: the port; raw: the IP protocol number; unix: null */
  port: number | null;
  /**
   * `::` may take IPv4 too (IPV6_V6ONLY off, the Linux default) or not: /proc does not say. True for
   * an inet6 listener on `::`, so readers do not take a missing 0.0.0.0 row for a closed port.
   */
  maybeDualStack: boolean;
  /** the network namespace, when not the collector's own (`default`): its `ip netns` name or net:[INODE] */
  netns: string | null;
  /** the well-known service name of the port, when the services table has one */
  service: string | null;
}

/** Who holds a listener: a process name (comm) and its user, or, with no process seen, the socket's user. */
export interface MatrixOwner {
  /** null: no process could be seen holding it (attribution partial, or a kernel socket) */
  process: string | null;
  user: string | null;
}

export interface MatrixCell {
  /** sorted, no duplicates; one listener may be shared by several processes (a forking server) */
  owners: MatrixOwner[];
}

export interface MatrixRow extends MatrixEndpoint {
  /** one per column, in column order; null: the hosts of that column do not listen there */
  cells: Array<MatrixCell | null>;
}

export interface MatrixColumn {
  /** the hosts, folded as ClusterShell's `nodeset -f` folds them */
  nodeset: string;
  /** the hosts, in natural order (web2 before web10) */
  hosts: string[];
  count: number;
}

/** Hosts that are in no column: their listening set is not known (unreachable, timeout …). */
export interface MatrixUnscanned {
  status: HostStatus;
  nodeset: string;
  hosts: string[];
  count: number;
}

export interface PortMatrix {
  schema: 'fleetstat/matrix@1';
  startedAt: string;
  finishedAt: string;
  /** largest first, then by first host name */
  columns: MatrixColumn[];
  /** tcp, udp, raw, unix; then by port, scope (all, loopback, address), family, address, namespace */
  rows: MatrixRow[];
  unscanned: MatrixUnscanned[];
  /** scanned hosts where not every process could be identified: some owners show as `process: null` */
  partialAttribution: MatrixPartialAttribution[];
}

export interface MatrixPartialAttribution {
  /** the collection ran as root (so the cause is not privilege: a process protected from ptrace, hidepid) */
  asRoot: boolean;
  nodeset: string;
  hosts: string[];
  count: number;
}
