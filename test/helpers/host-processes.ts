// What runs inside a test host besides its own init and listeners: a collection, or what is left of one.
import type { SshFleet } from './sshd-fleet.js';

export interface HostProcess {
  pid: number;
  args: string;
}

/**
 * Processes inside host `index` that are neither its init nor its listeners (nor the ps looking).
 * Zombies are not counted: they have ended, and only wait for the test host's init (a `sleep`,
 * unlike a real init) to reap them.
 */
export async function strangersOn(fleet: SshFleet, index: number): Promise<HostProcess[]> {
  const host = fleet.hosts[index]!;
  const ps = await fleet.runInside(index, ['ps', '-eo', 'pid=,stat=,comm=,args=']);
  return ps.stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), stat: m[2]!, comm: m[3]!, args: m[4]! }))
    .filter((p) => p.pid !== 1 && p.pid !== host.zooPidInside && p.comm !== 'ps' && !p.stat.startsWith('Z'))
    .map(({ pid, args }) => ({ pid, args }));
}

/** Polls until a collection runs inside host `index` (or the time is up): its processes. */
export async function caughtRunning(fleet: SshFleet, index: number, withinMs: number): Promise<HostProcess[]> {
  const until = Date.now() + withinMs;
  let found: HostProcess[] = [];
  while (found.length === 0 && Date.now() < until) found = await strangersOn(fleet, index);
  return found;
}

/** Polls until nothing but the host's own processes runs inside host `index`: what is still left then. */
export async function leftAfter(fleet: SshFleet, index: number, withinMs: number): Promise<HostProcess[]> {
  const until = Date.now() + withinMs;
  let left = await strangersOn(fleet, index);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = await strangersOn(fleet, index);
  }
  return left;
}
