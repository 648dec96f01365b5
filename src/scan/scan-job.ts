// A whole scan, live or replayed, one host at a time: each host's outcome becomes its row (parsed
// with today's parsers), is saved to the snapshot as it is, filtered, and handed to the output. Only a
// tally of statuses is kept for the fleet; the output orders and renders the rows.
import type { HostOutcome, HostScan, HostSpec, SnapshotHeader, SnapshotHost } from '../model/index.js';
import type { ServiceTable } from '../merge/services.js';
import { filterHost, type SocketFilter } from '../result/filter.js';
import { runFleet, type EndedHost, type FleetHost, type FleetOptions } from './fleet.js';
import { hostFromOutcome, type ViewBuilder } from './host.js';

/** Where rows go: hosts arrive as they end, each with its place in the output order. */
export interface HostOutput {
  start(info: { startedAt: string }): Promise<void>;
  host(index: number, scan: HostScan): Promise<void>;
  end(info: { finishedAt: string }): Promise<void>;
}

/** Where each host's record goes as it ends (the snapshot being written, with --save). */
export interface HostRecordSink {
  host(record: SnapshotHost): Promise<void>;
}

export interface ScanJob {
  services: ServiceTable;
  filter: SocketFilter;
  output: HostOutput;
  save?: HostRecordSink;
  /** called with each host's (unfiltered) row as it ends: progress */
  onHostDone?: (scan: HostScan) => void;
  /** called once every host has ended, before the output is finished (a progress bar is wiped) */
  onAllEnded?: () => void;
  /** parses and merges a capture (tests put a failing one here) */
  buildView?: ViewBuilder;
  now?: () => Date;
}

/** How many hosts ended with each status. */
export function statusCounts(tally: ScanTally): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of tally.hosts) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** What is kept of the whole fleet: each host's name and status, for the summary and the exit status. */
export interface ScanTally {
  startedAt: string;
  finishedAt: string;
  hosts: Array<Pick<HostScan, 'name' | 'status'>>;
}

/** A live scan: the fleet collected, each host parsed and passed on as it ends. */
export async function scanLive(
  hosts: readonly FleetHost[],
  fleet: Omit<FleetOptions, 'onHostEnded'>,
  job: ScanJob,
  /** when the scan started (the snapshot's header says the same time) */
  startedAt = (job.now ?? (() => new Date()))().toISOString(),
): Promise<ScanTally> {
  const now = job.now ?? (() => new Date());
  const tally: ScanTally['hosts'] = [];
  const output = startedLazily(job.output, startedAt);
  // One ended host at a time is parsed and handed on: a parsed host takes several times its capture's
  // bytes, so hosts that end together wait as captures (bounded by the fleet's output budget, their
  // allowance held), not as parsed rows (60 hosts of 10k sockets ending together took 1.2 GiB).
  const oneAtATime = inTurn();
  await runFleet(hosts, { ...fleet, onHostEnded: (ended) => oneAtATime(() => passOn(ended, { ...job, output }, tally)) });
  job.onAllEnded?.();
  const finishedAt = now().toISOString();
  await output.end({ finishedAt });
  return { startedAt, finishedAt, hosts: tally };
}

export interface ReplaySource {
  header: SnapshotHeader;
  hosts: AsyncIterable<SnapshotHost>;
  /** the saved scan's end, once every host was read (absent when the snapshot was cut) */
  finishedAt: () => string | undefined;
}

/**
 * A saved scan again: every saved outcome parsed with today's parsers, so a parser fix applies to old
 * scans. The saved times are kept, so the output is what the live scan printed.
 */
export async function scanReplay(source: ReplaySource, job: ScanJob): Promise<ScanTally> {
  const startedAt = source.header.startedAt;
  const tally: ScanTally['hosts'] = [];
  let lastEnd = startedAt;
  const output = startedLazily(job.output, startedAt);
  for await (const record of source.hosts) {
    await passOn(record, { ...job, output }, tally);
    if (record.finishedAt > lastEnd) lastEnd = record.finishedAt;
  }
  job.onAllEnded?.();
  const finishedAt = source.finishedAt() ?? lastEnd;
  await output.end({ finishedAt });
  return { startedAt, finishedAt, hosts: tally };
}

/** Runs the tasks given to it one after another, in the order given (a failure does not stop the next). */
function inTurn(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = last.then(task);
    last = run.catch(() => {});
    return run;
  };
}

/**
 * The output, started when its first host (or its end) comes: a run that a local problem ends before
 * any host is done has written nothing, so `--json` can still print the error document alone.
 */
function startedLazily(output: HostOutput, startedAt: string): HostOutput {
  let started: Promise<void> | undefined;
  const start = () => (started ??= output.start({ startedAt }));
  return {
    start: start,
    host: async (index, scan) => {
      await start();
      await output.host(index, scan);
    },
    end: async (info) => {
      await start();
      await output.end(info);
    },
  };
}

async function passOn(
  ended: Pick<EndedHost, 'index' | 'place' | 'spec' | 'startedAt' | 'finishedAt' | 'outcome'>,
  job: ScanJob,
  tally: ScanTally['hosts'],
): Promise<void> {
  const result = rowOf(ended.spec, ended.outcome, job);
  await job.save?.host({ record: 'host', index: ended.index, spec: ended.spec, startedAt: ended.startedAt, finishedAt: ended.finishedAt, outcome: ended.outcome, result });
  tally.push({ name: result.name, status: result.status });
  job.onHostDone?.(result);
  await job.output.host(ended.place ?? ended.index, { ...filterHost(result, job.filter), timing: { startedAt: ended.startedAt, finishedAt: ended.finishedAt } });
}

function rowOf(spec: HostSpec, outcome: HostOutcome, job: ScanJob): HostScan {
  return hostFromOutcome(spec, outcome, job.services, job.buildView);
}
