// The CLI's entry point (bin/run.js): runs an oclif command, and is the one place a run that ends
// without its result is reported: one line on stderr, the error document with --json, the exit
// status of its kind (see result/exit-code.ts and the README's table).
import { fileURLToPath } from 'node:url';
import { Config, Errors, run } from '@oclif/core';
import { asLocalResourceError, type LocalResourceError } from '../local/resource-error.js';
import { toFailure } from './failure.js';
import { guardStandardStreams, printFailure, standardStreamsWritten } from './output.js';
import { unknownCommandFailure } from './usage.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Flags oclif answers before any command: help and version. */
const TOP_LEVEL_FLAGS = new Set(['--help', '-h', '--version']);

/** --json before any `--`, or FLEETSTAT_CONTENT_TYPE=json: what oclif's jsonEnabled() reads too. */
export function jsonRequested(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FLEETSTAT_CONTENT_TYPE?.toLowerCase() === 'json') return true;
  const end = argv.indexOf('--');
  const json = argv.indexOf('--json');
  return json !== -1 && (end === -1 || json < end);
}

export async function main(argv: string[]): Promise<void> {
  const exit = (code: number): never => process.exit(code);
  /** exits once what was written to stdout and stderr has left the process */
  const exitWhenWritten = async (code: number): Promise<never> => {
    await standardStreamsWritten();
    return exit(code);
  };
  guardStandardStreams(exit);
  const id = argv[0];
  // oclif drops a command whose module it cannot open, with only a process warning: out of file
  // descriptors, that must not read as "unknown command"
  let loadFailure: LocalResourceError | null = null;
  const onWarning = (warning: Error) => (loadFailure ??= asLocalResourceError(warning, 'loading fleetstat\'s own modules', 'raise the limit (ulimit -n)'));
  process.on('warning', onWarning);
  try {
    const config = await Config.load(root);
    process.off('warning', onWarning);
    if (loadFailure) throw loadFailure;
    if (id !== undefined && !TOP_LEVEL_FLAGS.has(id) && config.findCommand(id) === undefined) {
      throw unknownCommandFailure(id, config.commandIDs.filter((c) => !config.findCommand(c)?.hidden).sort());
    }
    await run(argv, config);
  } catch (err) {
    if (err instanceof Errors.ExitError) await exitWhenWritten(err.oclif.exit ?? 0);
    const failure = toFailure(err, id !== undefined && !id.startsWith('-') ? id : undefined);
    printFailure(failure, jsonRequested(argv));
    if (failure.kind === 'internal' && process.env.FLEETSTAT_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    await exitWhenWritten(failure.exitCode);
  }
  // Exit once the output has left, not when the last handle closes (a connection abandoned at a
  // deadline or a stop must not keep the process alive).
  await exitWhenWritten(typeof process.exitCode === 'number' ? process.exitCode : 0);
}
