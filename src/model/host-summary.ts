// One line per host (`--view hosts`, `fleetstat/hosts@1`): how its scan went and what it holds, in
// counts as `ss -s` gives them, never its sockets.
import type { HostKeySeen, HostStatus } from './host.js';

export interface SocketCounts {
  /** every TCP socket, and by netstat state name (ESTABLISHED, LISTEN, TIME_WAIT …) */
  tcp: { total: number; byState: Record<string, number> };
  udp: number;
  raw: number;
  unix: number;
  /** AF_PACKET, ping (icmp), udplite and sockets of families no table lists */
  other: number;
}

export interface HostSummary {
  name: string;
  address: string;
  port: number;
  groups: string[];
  status: HostStatus;
  /** why it is not ok; null when ok */
  reason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** milliseconds from start to end of this host's scan; null when not known */
  durationMs: number | null;
  hostname: string | null;
  kernel: string | null;
  /** full / partial: whether every socket's process could be seen; null when not scanned */
  attribution: 'full' | 'partial' | null;
  hostKey: HostKeySeen | null;
  /** listening sockets (as -l counts them), the scan's own session left out */
  listeners: number;
  /** every socket, the scan's own session left out */
  sockets: SocketCounts;
  /** unreadable /proc lines */
  issues: number;
}
