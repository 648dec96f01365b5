// A bad command line, said in one line with a pointer to --help (oclif's own errors are several
// lines, followed by the whole usage).
import { CliFailure } from './failure.js';

/** `see 'fleetstat scan --help'` (or the top-level help when there is no command yet). */
function helpPointer(command: string | undefined): string {
  return command === undefined ? "see 'fleetstat --help'" : `see 'fleetstat ${command} --help'`;
}

export function usageFailure(command: string | undefined, what: string): CliFailure {
  return new CliFailure('usage', `${command === undefined ? '' : `${command}: `}${what} (${helpPointer(command)})`, undefined, command);
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** One of oclif's parser errors (which the package does not export) as one line. */
export function parseErrorFailure(err: unknown, command: string): CliFailure {
  if (err instanceof CliFailure) return err;
  if (!(err instanceof Error)) return usageFailure(command, String(err));
  const shaped = err as Error & { flags?: unknown; args?: unknown };
  if (Array.isArray(shaped.flags) && /^Nonexistent flag/.test(err.message)) {
    const flags = shaped.flags as string[];
    return usageFailure(command, `unknown ${flags.length === 1 ? 'flag' : 'flags'} ${flags.join(' ')}`);
  }
  if (Array.isArray(shaped.args) && /^Unexpected argument/.test(err.message)) {
    const args = shaped.args as string[];
    return usageFailure(command, `unexpected ${args.length === 1 ? 'argument' : 'arguments'} ${args.map((a) => JSON.stringify(a)).join(' ')}`);
  }
  if (Array.isArray(shaped.args) && /^Missing \d+ required arg/.test(err.message)) {
    const names = (shaped.args as Array<{ name?: string }>).map((a) => (a.name ?? 'argument').toUpperCase());
    return usageFailure(command, `missing the ${names.join(' and ')} ${names.length === 1 ? 'argument' : 'arguments'}`);
  }
  return usageFailure(command, flatten(err.message));
}

/** oclif's multi-line message as one line: no "See more help", no colour, no "The following error occurred:". */
function flatten(message: string): string {
  const text = message
    .replace(ANSI, '')
    .replace(/\n?See more help with --help\s*$/, '')
    .replace(/^The following errors? occurred:\s*/, '')
    .replace(/^Parsing (--[\w-]+)\s*\n\s*/, '$1: ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('; ');
  return text.replace(/^(--[\w-]+: )?([A-Z])(?![A-Z])/, (_m, flag: string | undefined, first: string) => `${flag ?? ''}${first.toLowerCase()}`);
}

/** `scann` is not a command: one line, with the nearest command when it is a likely typo. */
export function unknownCommandFailure(id: string, commands: readonly string[]): CliFailure {
  const near = commands
    .map((c) => ({ c, d: editDistance(id, c) }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  const what = id.startsWith('-')
    ? `unknown flag ${id} before a command; commands: ${commands.join(', ')}`
    : `unknown command ${JSON.stringify(id)}; ${near ? `did you mean ${near.c}?` : `commands: ${commands.join(', ')}`}`;
  return usageFailure(undefined, what);
}

/** Levenshtein distance; both strings are short (a command name, a policy key: what was typed is cut to 64). */
export function editDistance(a: string, b: string): number {
  const s = a.slice(0, 64);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (s[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
