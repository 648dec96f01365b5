// Why a command ended without its result: one kind, one exit status, one line. Everything that can
// end a run becomes a CliFailure here, and is printed in one place (main.ts): a line on stderr, and
// with --json the `fleetstat/error@1` document on stdout (schema/error-v1.schema.json).
import { SnapshotError } from '../capture/snapshot-codec.js';
import { InventoryError } from '../inventory/errors.js';
import { LocalResourceError } from '../local/resource-error.js';
import { PolicyError } from '../policy/errors.js';
import { SshConfigError } from '../openssh/config/index.js';
import { EXIT } from '../result/exit-code.js';
import { escapeControls } from '../report/escape.js';

export type FailureKind =
  | 'usage' // the command line: unknown command, flag or argument, a bad flag value
  | 'input' // an input file: missing, unreadable, not a regular file, too big, invalid
  | 'local' // this machine ran out of something (file descriptors)
  | 'output' // stdout could not be written (ENOSPC, EIO; EPIPE is silent)
  | 'internal'; // a bug in fleetstat

const EXIT_FOR: Record<FailureKind, number> = {
  usage: EXIT.usage,
  input: EXIT.usage,
  local: EXIT.local,
  output: EXIT.local,
  internal: EXIT.internal,
};

/** Where in an input file the fault is, when the loader knows. */
export interface FailureLocation {
  file: string;
  /** 1-based; absent when the file as a whole is at fault */
  line?: number;
  column?: number;
  /** the loader's own name for the fault, e.g. `yaml-syntax`, `bad-port`, `unreadable` */
  issue?: string;
}

export class CliFailure extends Error {
  readonly exitCode: number;

  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly location?: FailureLocation,
    /** the command that failed, when one was running */
    readonly command?: string,
  ) {
    super(escapeControls(message)); // one line, safe for a terminal, whatever it quotes
    this.name = 'CliFailure';
    this.exitCode = EXIT_FOR[kind];
  }
}

/** The `fleetstat/error@1` document: what `--json` prints instead of a result. */
export interface ErrorDocument {
  schema: 'fleetstat/error@1';
  error: {
    kind: FailureKind;
    exitCode: number;
    message: string;
    command?: string;
    file?: string;
    line?: number;
    column?: number;
    issue?: string;
  };
}

export function errorDocument(failure: CliFailure): ErrorDocument {
  const at = failure.location;
  return {
    schema: 'fleetstat/error@1',
    error: {
      kind: failure.kind,
      exitCode: failure.exitCode,
      message: failure.message,
      ...(failure.command !== undefined ? { command: failure.command } : {}),
      ...(at !== undefined ? { file: at.file } : {}),
      ...(at?.line !== undefined ? { line: at.line } : {}),
      ...(at?.column !== undefined ? { column: at.column } : {}),
      ...(at?.issue !== undefined ? { issue: at.issue } : {}),
    },
  };
}

/** Any error that ended a run, as the failure it is for the user. */
export function toFailure(err: unknown, command: string | undefined): CliFailure {
  if (err instanceof CliFailure) return err;
  if (err instanceof InventoryError) {
    const location: FailureLocation = { file: err.file, issue: err.kind, ...(err.line > 0 ? { line: err.line, column: err.col } : {}) };
    return new CliFailure('input', err.message, location, command);
  }
  if (err instanceof SshConfigError) {
    const { line, col, kind } = err as SshConfigError & { line?: unknown; col?: unknown; kind?: unknown };
    const location: FailureLocation = {
      file: err.file,
      ...(typeof line === 'number' && line > 0 ? { line } : {}),
      ...(typeof col === 'number' && col > 0 ? { column: col } : {}),
      ...(typeof kind === 'string' ? { issue: kind } : {}),
    };
    return new CliFailure('input', err.message, location, command);
  }
  if (err instanceof SnapshotError) {
    // a snapshot's records are its lines (once decompressed): record N is line N
    const location: FailureLocation = { file: err.file, issue: err.kind, ...(err.record > 0 ? { line: err.record } : {}) };
    return new CliFailure('input', err.message, location, command);
  }
  if (err instanceof PolicyError) return new CliFailure('input', err.message, { file: err.file, line: err.line, column: err.col, issue: err.kind }, command);
  if (err instanceof LocalResourceError) return new CliFailure('local', err.message, undefined, command);
  const message = err instanceof Error ? err.message : String(err);
  return new CliFailure('internal', `internal error: ${message} (a bug in fleetstat: please report it; FLEETSTAT_DEBUG=1 shows where)`, undefined, command);
}
