// Is a scan's output the whole fleet: every host once, scanned, with exactly the sockets it has?
import type { OutputCheck } from './output-check.js';

export interface ExpectedHost {
  sockets: number;
}

/** `complete, valid`, or the first thing wrong (a format problem, a host missing, extra, failed or short). */
export function completeness(check: OutputCheck, expected: ReadonlyMap<string, ExpectedHost>): string {
  if (check.problems.length > 0) return `INVALID: ${check.problems[0]}`;
  const extra = [...check.hosts.keys()].find((name) => !expected.has(name));
  if (extra !== undefined) return `INCOMPLETE: ${JSON.stringify(extra)} is not in the fleet`;
  if (check.hosts.size !== expected.size) return `INCOMPLETE: ${check.hosts.size} of ${expected.size} hosts`;
  for (const [name, want] of expected) {
    const found = check.hosts.get(name)!;
    if (!['ok', 'partial', '-'].includes(found.status)) return `INCOMPLETE: ${name} is ${found.status}`;
    if (found.sockets !== want.sockets) return `INCOMPLETE: ${name} has ${found.sockets} sockets, its capture ${want.sockets}`;
  }
  return 'complete, valid';
}
