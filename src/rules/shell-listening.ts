// FS001: a shell holding a listening socket. Shells read commands; a shell that accepts connections is
// a bind shell (`nc -e /bin/sh` after the exec, a `bash -i` behind socat, busybox's `nc -lp … -e sh`).
import type { Rule } from './rule.js';
import { findingOf, listeningHolders, socketLine } from './finding-of.js';
import { commandLine, isOneOf, SHELLS } from './process-kinds.js';

export const shellListening: Rule = {
  id: 'FS001',
  name: 'shell-listening',
  severity: 'high',
  summary: 'A shell (sh, bash, dash, zsh, ksh, busybox sh …) holds a listening socket.',
  explanation:
    'A shell that listens hands a command prompt to whoever connects: the classic bind shell. Legitimate services are not shells; a service started from a shell script passes its socket to the program it execs, which then holds it instead.',
  exception: 'A waiver for FS001 naming the host (and port), with its justification, in the policy file.',
  check(host, context) {
    return listeningHolders(host)
      .filter(({ holder }) => isOneOf(holder, SHELLS))
      .map(({ socket, holder: p }) => findingOf(this, host, context, { socket, holder: p, message: `shell ${p.name} (pid ${p.pid}) listens on ${socketLine(socket)}`, evidence: commandLine(p) }));
  },
};
