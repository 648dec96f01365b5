// What reaching a host ended with, before anything is parsed: the transport's own outcome. It is what
// a snapshot keeps of each host, so that a later fleetstat can parse the same bytes again.
import type { HostKeySeen, HostStatus } from './host.js';

/** What one run of the collection command gave back. */
export interface ExecResult {
  stdout: Buffer;
  /** the first few KiB of stderr, for error messages */
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  /** stdout was cut at maxBytes */
  truncated: boolean;
  timedOut: boolean;
}

export type HostOutcome =
  /** not contacted at all: the inventory or ssh_config says how to reach it in a way fleetstat cannot honour */
  | { kind: 'not-contacted'; port: number; status: HostStatus; message: string }
  /** contacted (or tried), and the transport failed: unreachable, auth, hostkey, timeout before the command … */
  | { kind: 'failed'; port: number; hostKey?: HostKeySeen; status: HostStatus; message: string }
  /** the collection command ran (to its end or not): its bytes, with the marker they were cut by */
  | { kind: 'ran'; port: number; hostKey?: HostKeySeen; marker: string; exec: ExecResult; /** the command deadline it ran under */ deadlineMs: number }
  /** the scan was stopped before or while this host ran */
  | { kind: 'interrupted'; port: number; hostKey?: HostKeySeen; started: boolean; message: string };
