// The fleet loop: every host scanned once, at most `concurrency` at a time. The only p-limit in the code
// (p-limit's README: nested limiters deadlock), and the only place hosts run concurrently.
import pLimit from 'p-limit';
import type { HostScan, HostSpec, ScanResult } from '../model/index.js';
import type { ServiceTable } from '../merge/services.js';
import type { ExecLimits, NotContacted, Transport } from '../transport/transport.js';
import { scanHost } from './host.js';

export interface FleetOptions {
  concurrency: number;
  limits: ExecLimits;
  services: ServiceTable;
  /** how to reach a host, or why it will not be contacted */
  transportFor: (spec: HostSpec) => Transport | NotContacted;
  /** called as each host starts and finishes, for progress */
  onHostStart?: (spec: HostSpec) => void;
  onHostDone?: (scan: HostScan) => void;
  now?: () => Date;
}

export async function scanFleet(hosts: readonly HostSpec[], options: FleetOptions): Promise<ScanResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const limit = pLimit(options.concurrency);
  const scans = await Promise.all(
    hosts.map((spec) =>
      limit(async () => {
        options.onHostStart?.(spec);
        const scan = await scanHost(spec, options.transportFor(spec), options.limits, options.services);
        options.onHostDone?.(scan);
        return scan;
      }),
    ),
  );
  return { schema: 'fleetstat/scan@1', startedAt, finishedAt: now().toISOString(), hosts: scans };
}
