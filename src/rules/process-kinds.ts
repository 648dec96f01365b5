// Which program a process is, as the rules need to know it: by comm (what the kernel keeps, at most 15
// bytes) and by argv[0]'s basename (busybox applets run as `busybox sh`, or through a link named sh).
import type { ProcessRef } from '../model/index.js';

export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'ksh93', 'mksh', 'pdksh', 'lksh', 'yash', 'csh', 'tcsh', 'fish', 'rbash']);
export const NETCATS: ReadonlySet<string> = new Set(['nc', 'ncat', 'netcat', 'nc.openbsd', 'nc.traditional', 'socat', 'pwncat']);

function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/**
 * The program's names: comm, argv[0]'s basename, and for busybox the applet it runs (`busybox nc`),
 * with a login shell's leading `-` dropped.
 */
export function programNames(p: ProcessRef): string[] {
  const names = new Set<string>([p.name.replace(/^-/, '')]);
  const argv0 = p.cmdline[0];
  if (argv0 !== undefined && argv0 !== '') names.add(basename(argv0).replace(/^-/, ''));
  if (names.has('busybox') && p.cmdline[1] !== undefined) names.add(basename(p.cmdline[1]));
  return [...names];
}

export function isOneOf(p: ProcessRef, kinds: ReadonlySet<string>): boolean {
  return programNames(p).some((n) => kinds.has(n));
}

/** argv after the program (and after busybox's applet name), where the options are. */
export function argumentsOf(p: ProcessRef): string[] {
  const first = p.cmdline[0] !== undefined && basename(p.cmdline[0]) === 'busybox' ? 2 : 1;
  return p.cmdline.slice(first);
}

/** One line of evidence: argv joined by spaces, cut at 200 characters (the whole is in the JSON). */
export function commandLine(p: ProcessRef): string {
  const line = p.cmdline.length > 0 ? p.cmdline.join(' ') : `[${p.name}]`;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
