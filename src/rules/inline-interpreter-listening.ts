// FS003: an interpreter running a program given on its command line (python -c, perl -e, ruby -e,
// php -r, node -e) holds a listening socket. A real fleet runs many Python and Node services, all from
// files; one-liners that listen are how bind shells and ad-hoc file servers are written.
import type { ProcessRef } from '../model/index.js';
import type { Rule } from './rule.js';
import { findingOf, listeningHolders, socketLine } from './finding-of.js';
import { argumentsOf, commandLine, programNames } from './process-kinds.js';

interface Interpreter {
  /** comm / argv[0] basenames (versions: python3.11, perl5.36) */
  names: RegExp;
  /** an option that introduces the inline program, alone or last of a cluster (-Bc, -lne) */
  inline: RegExp;
  /** options that take the next argument as their value (so it is not the script's name) */
  withValue: ReadonlySet<string>;
  /** options after which the rest is not an inline program (python -m runs a module from a file) */
  stop: RegExp;
}

const INTERPRETERS: Interpreter[] = [
  { names: /^(python|pypy)[0-9.]*$/, inline: /^-[a-zA-Z]*c$/, withValue: new Set(['-W', '-X', '-Q']), stop: /^-[a-zA-Z]*m/ },
  { names: /^perl[0-9.]*$/, inline: /^-[a-zA-Z]*[eE]$/, withValue: new Set(['-I', '-M', '-m', '-x']), stop: /^$/ },
  { names: /^ruby[0-9.]*$/, inline: /^-[a-zA-Z]*e$/, withValue: new Set(['-I', '-r', '-C']), stop: /^$/ },
  { names: /^php[0-9.]*(-cli)?$/, inline: /^-r$/, withValue: new Set(['-c', '-d', '-z']), stop: /^-[fS]$/ },
  { names: /^(node|nodejs|bun|deno)$/, inline: /^(-e|-p|--eval|--print)(=.*)?$/, withValue: new Set(['-r', '--require', '--import', '--loader']), stop: /^$/ },
];

/** The inline program's option, when the process runs one: options are read up to the script's name. */
export function inlineProgramOption(p: ProcessRef): string | null {
  const names = programNames(p);
  const interpreter = INTERPRETERS.find((i) => names.some((n) => i.names.test(n)));
  if (interpreter === undefined) return null;
  const args = argumentsOf(p);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--' || !arg.startsWith('-') || arg === '-') return null;
    if (interpreter.inline.test(arg)) return arg;
    if (interpreter.stop.test(arg)) return null;
    if (interpreter.withValue.has(arg)) i += 1;
  }
  return null;
}

export const inlineInterpreterListening: Rule = {
  id: 'FS003',
  name: 'inline-interpreter-listening',
  severity: 'medium',
  summary: 'An interpreter running a program from its command line (python -c, perl -e, ruby -e, php -r, node -e) listens.',
  explanation:
    'Services written in Python, Perl, Ruby, PHP or JavaScript run from files. A listener whose program was typed on the command line is a one-off: an ad-hoc file server, a test left running, or a bind shell (`python -c "import socket,pty…"`).',
  exception: 'A waiver for FS003 naming the host and port, with its justification.',
  check(host, context) {
    return listeningHolders(host).flatMap(({ socket, holder: p }) => {
      const option = inlineProgramOption(p);
      return option === null ? [] : [findingOf(this, host, context, { socket, holder: p, message: `${p.name} (pid ${p.pid}) runs an inline program (${option.replace(/=.*/, '')}) and listens on ${socketLine(socket)}`, evidence: commandLine(p) })];
    });
  },
};
