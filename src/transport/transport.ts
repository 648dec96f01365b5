// One interface for every way of reaching a host: run the collection command, get its bytes back.
import type { HostKeySeen, HostStatus } from '../model/index.js';

export interface ExecLimits {
  /** the whole exec, from start to exit */
  deadlineMs: number;
  /** stop reading (and report truncation) past this many bytes of stdout */
  maxBytes: number;
}

export interface ExecResult {
  stdout: Buffer;
  /** the first few KiB of stderr, for error messages */
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  /** stdout was cut at maxBytes */
  truncated: boolean;
  timedOut: boolean;
}

export interface Transport {
  /** Runs `command` with `input` on its stdin. Rejects only with a TransportError. */
  exec(command: string, input: Buffer, limits: ExecLimits): Promise<ExecResult>;
  close(): Promise<void>;
  /** SSH: the host key accepted, once connected */
  hostKey?(): HostKeySeen | undefined;
}

/** A failure to reach or talk to a host, already classified as the host's status. */
export class TransportError extends Error {
  constructor(
    readonly kind: HostStatus,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export const STDERR_KEEP = 4096;
