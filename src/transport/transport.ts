// One interface for every way of reaching a host: run the collection command, get its bytes back.
import type { ExecResult, HostKeySeen, HostStatus } from '../model/index.js';
import type { OutputAllowance } from './output-budget.js';

export type { ExecResult } from '../model/index.js';

export interface ExecLimits {
  /** the whole exec, from start to exit */
  deadlineMs: number;
  /** stop reading (and report truncation) past this many bytes of stdout */
  maxBytes: number;
  /**
   * Aborted when the scan is stopped (Ctrl-C, SIGTERM, --deadline): the transport then drops the
   * connection (or kills the command) at once and rejects with TransportError('interrupted').
   */
  signal?: AbortSignal;
  /** this host's share of the fleet's budget for output in flight (output-budget.ts) */
  budget?: OutputAllowance;
}

export interface Transport {
  /**
   * Runs `command` with `input` on its stdin. Rejects with a TransportError (the host's outcome), or
   * a LocalResourceError when this machine has no file descriptors left (that ends the run).
   */
  exec(command: string, input: Buffer, limits: ExecLimits): Promise<ExecResult>;
  close(): Promise<void>;
  /** SSH: the host key accepted, once connected */
  hostKey?(): HostKeySeen | undefined;
  /** SSH: the port connected to, once ssh_config is applied (the inventory may not name one) */
  readonly port?: number;
}

/** What a transport maker returns for a host it will not contact at all: an outcome, not an error. */
export interface NotContacted {
  notContacted: true;
  kind: Extract<HostStatus, 'config'>;
  /** the port it would have used, for the host's row */
  port: number;
  message: string;
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

/** A command's stdout kept up to a byte cap: past it, the rest is dropped and `truncated` set. */
export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  truncated = false;

  constructor(private readonly maxBytes: number) {}

  /** Keeps what fits; false once the cap is reached (the caller then stops the command). */
  push(chunk: Buffer): boolean {
    if (this.truncated) return false;
    const room = this.maxBytes - this.bytes;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.bytes += room;
      this.truncated = true;
      return false;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return true;
  }

  get buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** The first STDERR_KEEP characters of a command's stderr, for messages. */
export class StderrHead {
  text = '';
  push(chunk: Buffer): void {
    if (this.text.length < STDERR_KEEP) this.text += chunk.toString('utf8').slice(0, STDERR_KEEP - this.text.length);
  }
}
