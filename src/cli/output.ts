// What the CLI writes, and what happens when it cannot: stdout carries the result (or, with --json,
// the error document) or an output file (-o, replaced atomically), stderr one line per warning or
// failure, all made safe for a terminal.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, unlinkSync, type WriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
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

/**
 * Resolves once stdout and stderr have handed everything to the kernel. Node queues what a full pipe
 * cannot take (and write() still says "go on" while that queue is small), and process.exit() drops
 * the queue: a slow reader (`| jq`, a busy CI runner) lost the end of the document. No time limit:
 * as with `cat`, the reader sets the pace. A stream that fails or closes meanwhile has nothing more
 * to wait for (its failure is guardStandardStreams' to report).
 */
export async function standardStreamsWritten(): Promise<void> {
  await Promise.all([process.stdout, process.stderr].map(written));
}

function written(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed || stream.errored) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.once('close', done);
    stream.once('error', done);
    // an empty write's callback runs once every write before it has been handed over
    stream.write('', done);
  });
}

/** An output file (-o FILE) being written: `stream` meanwhile, then `commit` puts it in place. */
export interface OutputFile {
  /** the path given: untouched until commit */
  readonly path: string;
  readonly stream: Writable;
  /** everything written: flushed to disk, then renamed over `path` (atomic: a reader sees the old file or the new) */
  commit(): Promise<void>;
  /** the temporary file removed, `path` untouched; safe to call more than once, and after a failure */
  discard(): Promise<void>;
  /** any error met writing this file, as the run's failure (exit 16, naming the file) */
  failure(err: unknown): CliFailure;
}

// Temporary files not yet renamed or removed: removed when the process exits however it exits
// (a second Ctrl-C, an uncaught error), so that no half-written file is left beside the target.
const unfinished = new Set<string>();
let exitHookInstalled = false;

function removeUnfinishedOnExit(path: string): void {
  unfinished.add(path);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const file of unfinished) {
      try {
        unlinkSync(file);
      } catch {
        // already gone: nothing to do
      }
    }
  });
}

/** The error's own words (any realm's Error), without the temporary file's name that fs adds. */
function reasonOf(err: unknown, temp: string): string {
  const message = typeof (err as { message?: unknown } | null)?.message === 'string' ? (err as { message: string }).message : String(err);
  return message.replace(/, \w+ '([^']*)'$/, (whole, path: string) => (path === temp ? '' : whole));
}

/** A write stream, once open (a failure to open is the run's failure); `failed()`: the first error it met since. */
async function openedStream(path: string, options: Parameters<typeof createWriteStream>[1], failure: (err: unknown) => CliFailure) {
  const stream = createWriteStream(path, options);
  let failed: unknown;
  stream.on('error', (err) => (failed ??= err));
  try {
    await once(stream, 'open');
  } catch (err) {
    throw failure(err);
  }
  return { stream, failed: () => failed };
}

/**
 * The output file's commit and discard, whatever kind it is: commit ends the stream, waits until it is
 * written and closed, then `put` puts it in place; a failure, or discard, runs `cleanUp`.
 */
function outputFile(
  path: string,
  opened: { stream: WriteStream; failed: () => unknown },
  failure: (err: unknown) => CliFailure,
  put: () => Promise<void>,
  cleanUp: () => Promise<void>,
): OutputFile {
  const { stream, failed } = opened;
  let settled: Promise<void> | undefined;
  return {
    path,
    stream,
    failure,
    commit: () =>
      (settled ??= (async () => {
        try {
          if (failed() !== undefined) throw failed();
          stream.end();
          await finished(stream); // 'close': written, flushed and closed
          await put();
        } catch (err) {
          await cleanUp();
          throw failure(failed() ?? err);
        }
      })()),
    discard: () => (settled ? settled.catch(() => {}) : (settled = cleanUp())),
  };
}

/** Closes the stream at once (what was written so far stays written). */
async function closed(stream: WriteStream): Promise<void> {
  if (!stream.closed) await new Promise<void>((resolve) => stream.destroy().once('close', () => resolve()));
}

/**
 * Opens `path` for writing the way `sed -i` and `rsync` replace a file: a temporary file beside it
 * (same directory, so the rename cannot cross filesystems), renamed over it once complete. A failure
 * to open is the run's failure at once, before any host is contacted.
 */
export async function openOutputFile(path: string): Promise<OutputFile> {
  const temp = join(dirname(path), `.${basename(path)}.fleetstat-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const failure = (err: unknown) => (err instanceof CliFailure ? err : new CliFailure('output', `cannot write ${path}: ${reasonOf(err, temp)}`));
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw failure(new Error('it is a directory'));
  // a device or a FIFO (`-o /dev/null`, `-o >(gzip)`) is written in place: renaming over it would replace it
  if (existing !== undefined && !existing.isFile()) {
    const opened = await openedStream(path, { flags: 'w' }, failure);
    return outputFile(path, opened, failure, async () => {}, () => closed(opened.stream));
  }
  // flush: the data is on disk (fsync) before the file is closed, so before it is renamed into place
  const opened = await openedStream(temp, { flags: 'wx', mode: 0o666, flush: true }, failure);
  removeUnfinishedOnExit(temp);
  const put = async () => {
    await rename(temp, path);
    unfinished.delete(temp);
  };
  const closeAndRemove = async () => {
    await closed(opened.stream);
    await unlink(temp).catch(() => {});
    unfinished.delete(temp);
  };
  return outputFile(path, opened, failure, put, closeAndRemove);
}
