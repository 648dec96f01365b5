// What `scan` writes its result through: hosts handed over as each ends, written in the inventory's
// order, one at a time, never the whole fleet held (host-order.ts, spool.ts).
import type { Writable } from 'node:stream';
import type { HostScan } from '../model/index.js';
import { HostOrder } from './host-order.js';
import { SpoolDir } from './spool.js';

export interface ReportOptions {
  /** ANSI styling (table only); the caller decides (TTY, NO_COLOR, --no-color) */
  color: boolean;
  /** terminal columns the table may take (table only); undefined: no limit */
  width?: number;
  /** where spool files go (default: the OS's temporary directory) */
  spoolDir?: string;
  /** table only: columns beyond netstat's (service, direction) */
  extraColumns?: ReadonlyArray<'service' | 'direction'>;
  /** sockets that hosts ending before their turn may hold in memory before they are spooled to disk */
  waitingSockets?: number;
}

/**
 * Calls may be made without waiting for the one before (they are queued in order), but a caller that
 * awaits host() before its slot takes the next host passes the output's pace on to the fleet: the queue
 * then holds at most one host per slot. Indexes are meant dense (0, 1, 2 …): a host waits only for the
 * indexes below it that have not come yet, so with gaps (a cut snapshot, a shard's whole-selection
 * positions) the hosts after a gap wait, in the spool, until end().
 */
export interface ScanOutput {
  start(info: { startedAt: string }): Promise<void>;
  /** one host's (already filtered) row, in the order hosts END; `index` is its place in the output order */
  host(index: number, scan: HostScan): Promise<void>;
  /** no more hosts; resolves once everything is written */
  end(info: { finishedAt: string }): Promise<void>;
  /** gives up (a failed run): writes nothing more and removes the spool; safe after end() or a failure */
  abort(): Promise<void>;
}

/** One format, given hosts already in output order. */
export interface FormatWriter {
  start(info: { startedAt: string }): Promise<void>;
  host(scan: HostScan): Promise<void>;
  end(info: { finishedAt: string }): Promise<void>;
  /** drops whatever it keeps on disk or in memory */
  close?(): Promise<void>;
}

export type FormatOpener = (out: Writable, options: ReportOptions, spool: SpoolDir) => FormatWriter;

/**
 * A format's writer behind the ScanOutput contract: calls are taken one at a time in the order made,
 * hosts are put in index order, and the spool is removed at the end, also when anything fails
 * (the failure is then the answer to this call and every later one).
 */
export function orderedOutput(open: FormatOpener, out: Writable, options: ReportOptions): ScanOutput {
  const spool = new SpoolDir(options.spoolDir);
  const writer = open(out, options, spool);
  const order = new HostOrder(spool, (scan) => writer.host(scan), options.waitingSockets);
  let queue: Promise<void> = Promise.resolve();
  /** why no more calls are taken: the failure that ended it, or that it ended */
  let stopped: unknown;

  const cleanUp = async () => {
    await Promise.allSettled([order.close(), writer.close?.()]);
    await spool.remove();
  };
  const serial = (step: () => Promise<void>): Promise<void> => {
    // after abort, at once: the call in flight may never end
    if (stopped !== undefined) return Promise.reject(stopped);
    const run = queue.then(async () => {
      if (stopped !== undefined) throw stopped;
      try {
        await step();
      } catch (err) {
        stopped = err;
        await cleanUp();
        throw err;
      }
    });
    queue = run.catch(() => {});
    return run;
  };

  return {
    start: (info) => serial(() => writer.start(info)),
    host: (index, scan) => serial(() => order.add(index, scan)),
    end: (info) =>
      serial(async () => {
        await order.finish();
        await writer.end(info);
        stopped = new Error('the output has already ended');
        await cleanUp();
      }),
    // not queued: a call in flight may be waiting on an output that never drains
    abort: async () => {
      stopped ??= new Error('the output was aborted');
      await cleanUp();
    },
  };
}
