// One command's cost as a whole process tree: GNU time (`/usr/bin/time -f`) reports wall, user and
// system seconds from wait4(), which sums every descendant the command waited for. stdout is kept
// as bytes (a capture holds NULs), stdin is given whole.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const GNU_TIME = '/usr/bin/time';
const LINE_TAG = 'fleetstat-bench-time';
const FIGURES = new RegExp(`^${LINE_TAG} ([0-9.]+) ([0-9.]+) ([0-9.]+)$`, 'm');

export interface TreeCost {
  stdout: Buffer;
  /** seconds, as GNU time measured them (0.01 s resolution) */
  wall: number;
  user: number;
  sys: number;
  /** user + sys */
  cpu: number;
}

/** GNU time is there and is GNU's (busybox's has no -f). */
export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%U', 'true']).status === 0;
}

/**
 * Runs `argv` under GNU time, itself started through `prefix` (e.g. `nsenter … --` into a test host:
 * the prefix's own cost is not counted). Throws when the command fails or GNU time says nothing.
 */
export function costOf(argv: string[], options: { prefix?: string[]; input?: Buffer } = {}): TreeCost {
  const full = [...(options.prefix ?? []), GNU_TIME, '-f', `${LINE_TAG} %e %U %S`, ...argv];
  const run = spawnSync(full[0]!, full.slice(1), { input: options.input ?? Buffer.alloc(0), maxBuffer: 1 << 30 });
  const stderr = run.stderr.toString('utf8');
  const figures = FIGURES.exec(stderr);
  if (run.status !== 0 || !figures) throw new Error(`${argv.join(' ')} failed (${run.status ?? run.signal}): ${stderr.slice(-500)}`);
  const [wall, user, sys] = figures.slice(1).map(Number) as [number, number, number];
  return { stdout: run.stdout, wall, user, sys, cpu: user + sys };
}
