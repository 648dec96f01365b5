// Node's timers take at most 2^31-1 ms; a longer delay becomes 1 ms (with only a process warning), so
// a "very long" timeout would end every wait at once.
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The longest timeout, in whole seconds, that a timer can hold (2147483 s, about 24.8 days). */
export const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/** A timeout in seconds as a timer's delay; past what a timer holds, the most it holds ("never", for a scan). */
export function timerMs(seconds: number): number {
  return Math.min(seconds * 1000, MAX_TIMER_MS);
}
