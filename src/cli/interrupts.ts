// Ctrl-C and SIGTERM during a scan: the first stops the scan (no more hosts start, hosts in flight end
// as `interrupted`, every finished host is still written); a second one exits at once, as shells and
// make do. Exit status 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.
import { constants } from 'node:os';

export type StopSignal = 'SIGINT' | 'SIGTERM';

export const SIGNAL_EXIT: Record<StopSignal, number> = {
  SIGINT: 128 + constants.signals.SIGINT,
  SIGTERM: 128 + constants.signals.SIGTERM,
};

export interface InterruptTrap {
  /** aborts (with `{ signal }` as its reason) at the first signal */
  signal: AbortSignal;
  /** the first signal received, if any */
  received(): StopSignal | undefined;
  /** puts the default handling back */
  release(): void;
}

/**
 * Until release(), SIGINT and SIGTERM stop the scan instead of killing the process. `atOnce` runs
 * before a second signal's immediate exit (to wipe a progress bar), and must not throw.
 */
export function trapInterrupts(atOnce: () => void, exit: (code: number) => never = (code) => process.exit(code)): InterruptTrap {
  const controller = new AbortController();
  let first: StopSignal | undefined;
  const on = (signal: StopSignal) => {
    if (first === undefined) {
      first = signal;
      process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}fleetstat: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}: finishing the output (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again to quit at once)\n`);
      controller.abort({ signal });
      return;
    }
    atOnce();
    exit(SIGNAL_EXIT[first]);
  };
  const onInt = () => on('SIGINT');
  const onTerm = () => on('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => first,
    release: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
