// fleetstat's exit status. A scan's code comes from every host's outcome at once, as bits, so that
// both kinds show together:
//   0 every host scanned (ok, or partial: some lines or owners could not be read)
//   4 at least one host unreachable or timed out (Ansible's code for unreachable hosts)
//   8 at least one host failed otherwise (auth, hostkey, exec, parse, truncated, config)
//  12 both.
// A run that ends before its result has one code of its own: 2 a bad command line or input file,
// 16 a local problem (no file descriptors left, stdout not writable), 1 a fault of fleetstat itself.
import type { HostScan } from '../model/index.js';

export const EXIT = { ok: 0, internal: 1, usage: 2, unreachable: 4, failed: 8, local: 16 } as const;

/**
 * drift, check and scan --baseline: their own finding (deviations, findings, drift) as the 1 bit beside
 * the scan's 4/8 bits for the hosts they could not see; an interrupted scan (130, 143) keeps its code.
 */
export function withFindingBit(found: boolean, scanExitCode: number): number {
  if (scanExitCode >= 128) return scanExitCode;
  return (found ? 1 : 0) | scanExitCode;
}

export function exitCodeFor(hosts: readonly Pick<HostScan, 'status'>[]): number {
  let code: number = EXIT.ok;
  for (const { status } of hosts) {
    if (status === 'ok' || status === 'partial') continue;
    code |= status === 'unreachable' || status === 'timeout' ? EXIT.unreachable : EXIT.failed;
  }
  return code;
}
