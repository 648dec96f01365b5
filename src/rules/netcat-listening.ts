// FS002: netcat or socat listening. High when it runs a program for each connection (`-e`, `-c`,
// `--exec`, `--sh-exec`, socat's EXEC:/SYSTEM:): a bind shell; medium otherwise (a file transfer, a
// quick relay someone forgot).
import type { ProcessRef } from '../model/index.js';
import type { Rule } from './rule.js';
import { findingOf, listeningHolders, socketLine } from './finding-of.js';
import { argumentsOf, commandLine, isOneOf, NETCATS, programNames } from './process-kinds.js';

/** nc -e PROG / -c CMD (traditional, ncat, busybox), ncat --exec/--sh-exec/--lua-exec, socat EXEC:/SYSTEM: addresses. */
export function runsAProgram(p: ProcessRef): boolean {
  const socat = programNames(p).includes('socat');
  return argumentsOf(p).some((arg) => {
    if (socat) return /(^|[,!])\s*(EXEC|SYSTEM):/i.test(arg);
    if (/^--(exec|sh-exec|lua-exec)(=|$)/.test(arg)) return true;
    // a cluster of one-letter options ending in e or c, the program next (-lvpe, -e)
    return /^-[a-zA-Z]*[ec]$/.test(arg) || /^-[ec]./.test(arg);
  });
}

export const netcatListening: Rule = {
  id: 'FS002',
  name: 'netcat-listening',
  severity: 'high',
  summary: 'netcat, ncat or socat listens; high when it runs a program for whoever connects.',
  explanation:
    'A listening netcat is a hand-made service: a file transfer, a relay, or, with -e/-c/--exec or socat EXEC:/SYSTEM:, a bind shell. Real services rarely run as netcat; when one does, it should be written down.',
  exception: 'A waiver for FS002 naming the host and port, with its justification.',
  check(host, context) {
    return listeningHolders(host)
      .filter(({ holder }) => isOneOf(holder, NETCATS))
      .map(({ socket, holder: p }) => {
        const exec = runsAProgram(p);
        return findingOf(this, host, context, {
          socket,
          holder: p,
          severity: exec ? 'high' : 'medium',
          message: `${p.name} (pid ${p.pid}) listens on ${socketLine(socket)}${exec ? ' and runs a program for each connection' : ''}`,
          evidence: commandLine(p),
        });
      });
  },
};
