// The fleet loop: every host collected once, at most `concurrency` at a time. The only p-limit in the
// code (p-limit's README: nested limiters deadlock), and the only place hosts run concurrently.
// Each host is handed on as it ends, never held for the fleet: memory grows with concurrency.
// A stop (Ctrl-C, SIGTERM) or the whole-scan deadline ends hosts in flight and starts no more; every
// host still gets its outcome, so every host still gets its row.
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { HostOutcome, HostSpec } from '../model/index.js';
import type { ExecLimits, NotContacted, Transport } from '../transport/transport.js';
import type { OutputAllowance, OutputBudget } from '../transport/output-budget.js';
import type { CollectionWanted } from '../capture/script.js';
import { collectHost } from './host.js';

export interface FleetHost {
  /** the host's place in the whole selection (what a snapshot keeps: shards of it are merged by it) */
  index: number;
  /** its place in this scan's output, when not `index` (a shard's hosts are 0, 1, 2 … of its own) */
  place?: number;
  spec: HostSpec;
}

export interface EndedHost extends FleetHost {
  startedAt: string;
  finishedAt: string;
  outcome: HostOutcome;
}

/** Why the scan stopped early: a signal's name, or the whole-scan deadline. */
export type StopReason = { signal: 'SIGINT' | 'SIGTERM' } | { deadline: number };

export interface FleetOptions {
  concurrency: number;
  /** each host's limits; its command deadline is shortened to what the whole-scan deadline leaves */
  limits: Omit<ExecLimits, 'signal' | 'budget'>;
  /** the output every host in flight may hold at once; a host's share is freed once it has been handed on */
  budget?: OutputBudget;
  /** what of the collection the scan needs (default: all of it) */
  wanted?: CollectionWanted;
  /** how to reach a host, or why it will not be contacted */
  transportFor: (spec: HostSpec) => Transport | NotContacted;
  /** the scan is stopped when this aborts; its reason is a StopReason */
  stop?: AbortSignal;
  /** the whole scan ends at this time (ms since the epoch): hosts still running end as timeouts */
  deadlineAt?: number;
  onHostStart?: (host: FleetHost) => void;
  /** each host as it ends; awaited before its slot is given to the next host (output backpressure) */
  onHostEnded: (host: EndedHost) => void | Promise<void>;
  now?: () => Date;
}

export async function runFleet(hosts: readonly FleetHost[], options: FleetOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  const limit = pLimit(options.concurrency);
  const stopping = new AbortController();
  // every host in flight listens for the stop (and its transport too): that is not a leak
  setMaxListeners(0, stopping.signal);
  const stop = (reason: StopReason) => {
    if (!stopping.signal.aborted) stopping.abort(reason);
  };
  const onStop = () => stop(options.stop!.reason as StopReason);
  if (options.stop?.aborted) onStop();
  else options.stop?.addEventListener('abort', onStop, { once: true });
  const deadlineTimer =
    options.deadlineAt !== undefined ? setTimeout(() => stop({ deadline: options.deadlineAt! }), Math.max(0, options.deadlineAt - Date.now())) : undefined;
  deadlineTimer?.unref();

  const one = async (host: FleetHost): Promise<void> => {
    const startedAt = now().toISOString();
    const allowance = options.budget?.allowance();
    try {
      const outcome = stopping.signal.aborted ? notStarted(stopping.signal.reason as StopReason, host.spec.port ?? 22) : await collect(host, options, stopping.signal, allowance);
      await options.onHostEnded({ ...host, startedAt, finishedAt: now().toISOString(), outcome });
    } finally {
      allowance?.release();
    }
  };
  try {
    await Promise.all(hosts.map((host) => limit(() => one(host))));
  } finally {
    clearTimeout(deadlineTimer);
    options.stop?.removeEventListener('abort', onStop);
  }
}

/** One host, raced against the stop: a transport that does not end at once is abandoned, not awaited. */
async function collect(host: FleetHost, options: FleetOptions, stopped: AbortSignal, budget: OutputAllowance | undefined): Promise<HostOutcome> {
  options.onHostStart?.(host);
  const deadlineMs =
    options.deadlineAt === undefined ? options.limits.deadlineMs : Math.max(1, Math.min(options.limits.deadlineMs, options.deadlineAt - Date.now()));
  let transport: Transport | NotContacted;
  try {
    transport = options.transportFor(host.spec);
  } catch (err) {
    return { kind: 'not-contacted', port: host.spec.port ?? 22, status: 'config', message: `fleetstat failed to plan this host (please report it): ${(err as Error).message}` };
  }
  const hostKey = () => ('notContacted' in transport ? undefined : transport.hostKey?.());
  const port = 'notContacted' in transport ? transport.port : (transport.port ?? host.spec.port ?? 22);
  let onStop: () => void = () => {};
  const whenStopped = new Promise<HostOutcome>((resolve) => {
    onStop = () => {
      const seen = hostKey();
      resolve({ ...inFlight(stopped.reason as StopReason), port, ...(seen ? { hostKey: seen } : {}) });
    };
    stopped.addEventListener('abort', onStop, { once: true });
  });
  try {
    const limits = { ...options.limits, deadlineMs, signal: stopped, ...(budget ? { budget } : {}) };
    const outcome = await Promise.race([collectHost(host.spec, transport, limits, options.wanted), whenStopped]);
    // a transport that saw the stop itself says `interrupted`; the stop's own reason words it better
    return outcome.kind === 'interrupted' && stopped.aborted ? { ...inFlight(stopped.reason as StopReason), port: outcome.port, ...(outcome.hostKey ? { hostKey: outcome.hostKey } : {}) } : outcome;
  } finally {
    stopped.removeEventListener('abort', onStop);
  }
}

function inFlight(reason: StopReason): HostOutcome & { port: number } {
  if ('deadline' in reason) {
    return { kind: 'failed', port: 0, status: 'timeout', message: `the scan's --deadline passed while this host was being scanned` };
  }
  return { kind: 'interrupted', port: 0, started: true, message: `interrupted (${reason.signal}) while this host was being scanned` };
}

function notStarted(reason: StopReason, port: number): HostOutcome {
  if ('deadline' in reason) return { kind: 'failed', port, status: 'timeout', message: `not scanned: the scan's --deadline passed before this host started` };
  return { kind: 'interrupted', port, started: false, message: `not scanned: interrupted (${reason.signal}) before this host started` };
}
