// The snapshot (`fleetstat/snapshot@1`, schema/snapshot-v1.schema.json): a scan's raw captures kept
// as a stream of records, one header, one record per host written when that host ends, and a trailer
// that marks it complete. What a record holds in memory; the on-disk encoding is capture/'s.
import type { HostScan, HostSpec } from './host.js';
import type { HostOutcome } from './outcome.js';

/** A slice of an inventory: shard `index` (1-based) of `total`. */
export interface Shard {
  index: number;
  total: number;
}

export interface SnapshotHeader {
  record: 'header';
  schema: 'fleetstat/snapshot@1';
  tool: { name: 'fleetstat'; version: string };
  /** the collection script's capture format version (capture/format.ts) */
  captureFormat: number;
  startedAt: string;
  inventory: {
    /** the path given on the command line, for people (never compared) */
    source: string;
    /** sha256 of every selected host's spec, before sharding: shards of one inventory share it */
    digest: string;
    /** how many hosts that selection has, before sharding */
    hosts: number;
  };
  /** null: the whole selection */
  shard: Shard | null;
  /** the options that shape what was collected (timeouts, caps, sudo, --limit, host key mode) */
  options: Record<string, string | number | boolean | null>;
}

export interface SnapshotHost {
  record: 'host';
  /** the host's position in the whole selection (before sharding), 0-based: the output order */
  index: number;
  spec: HostSpec;
  startedAt: string;
  finishedAt: string;
  outcome: HostOutcome;
  /** the host's row as this fleetstat parsed it when it was saved (unfiltered) */
  result: HostScan;
}

export interface SnapshotTrailer {
  record: 'trailer';
  finishedAt: string;
  /** host records written */
  hosts: number;
  /** how many hosts ended with each status */
  statuses: Record<string, number>;
  /** the scan was stopped (Ctrl-C, SIGTERM, --deadline) */
  interrupted: boolean;
}

export type SnapshotRecord = SnapshotHeader | SnapshotHost | SnapshotTrailer;
