// An interrupt (Ctrl-C, SIGTERM, the whole-scan deadline) as a transport sees it: an AbortSignal the
// fleet loop aborts. Whatever a host is waiting for when it fires (a TCP connect, a handshake, a jump
// host, the command), the wait ends at once as that host's `interrupted` outcome.
import { TransportError } from './transport.js';

export function interruptedError(prefix: string, stage: string): TransportError {
  return new TransportError('interrupted', `${prefix}interrupted ${stage}`);
}

/**
 * Calls `act` once when `signal` aborts (at once if it already has); returns what undoes the
 * listener, to be called when the wait ends otherwise.
 */
export function whenAborted(signal: AbortSignal | undefined, act: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    act();
    return () => {};
  }
  signal.addEventListener('abort', act, { once: true });
  return () => signal.removeEventListener('abort', act);
}

/** `promise`, or the interrupted error as soon as `signal` aborts (the promise itself runs on, for others). */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, error: () => TransportError): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const stop = whenAborted(signal, () => reject(error()));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (err: unknown) => {
        stop();
        reject(err);
      },
    );
  });
}
