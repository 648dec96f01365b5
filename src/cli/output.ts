// What the CLI writes, and what happens when it cannot: stdout carries the result (or, with --json,
// the error document), stderr one line per warning or failure, all made safe for a terminal.
import { escapeForTerminal, jsonForTerminal } from '../report/escape.js';
import { CliFailure, errorDocument } from './failure.js';

export function writeStdout(text: string): void {
  process.stdout.write(text);
}

/** How every command warns: one line on stderr, made safe for a terminal. */
export function warnOnStderr(message: string): void {
  process.stderr.write(`fleetstat: warning: ${escapeForTerminal(message)}\n`);
}

/** The failure as one line on stderr, and with --json as the error document on stdout. */
export function printFailure(failure: CliFailure, json: boolean): void {
  process.stderr.write(`fleetstat: ${failure.message}\n`); // made one line and safe by CliFailure
  if (json && failure.kind !== 'output') writeStdout(jsonForTerminal(errorDocument(failure)));
}

/**
 * A failed write to stdout ends the run with status 16: one line on stderr (ENOSPC, EIO…), or
 * nothing for EPIPE, as coreutils say nothing when `| head` has read enough. Replaces oclif's
 * listener, which rethrows anything but EPIPE as an uncaught exception (a stack trace).
 */
export function guardStandardStreams(exit: (code: number) => never): void {
  process.stdout.removeAllListeners('error');
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    const failure = new CliFailure('output', `cannot write the output: ${err.message}`);
    if (err.code !== 'EPIPE') printFailure(failure, false);
    exit(failure.exitCode);
  });
  // with stderr gone there is no one left to tell; the result on stdout still counts
  process.stderr.on('error', () => {});
}
