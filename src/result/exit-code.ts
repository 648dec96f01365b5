// The scan's exit code, from every host's outcome at once. Bits, so that both kinds show together:
//   0 every host scanned (ok, or partial: some lines or owners could not be read)
//   4 at least one host unreachable or timed out (Ansible's code for unreachable hosts)
//   8 at least one host failed otherwise (auth, hostkey, exec, parse, truncated)
//  12 both.  (2 is a bad command line or inventory, 1 a fault of fleetstat itself.)
import type { HostScan } from '../model/index.js';

export const EXIT = { ok: 0, internal: 1, usage: 2, unreachable: 4, failed: 8 } as const;

export function exitCodeFor(hosts: readonly Pick<HostScan, 'status'>[]): number {
  let code = EXIT.ok;
  for (const { status } of hosts) {
    if (status === 'ok' || status === 'partial') continue;
    code |= status === 'unreachable' || status === 'timeout' ? EXIT.unreachable : EXIT.failed;
  }
  return code;
}
