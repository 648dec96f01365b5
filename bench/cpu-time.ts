// Runs one command and measures it from outside: wall time, and the CPU (user + sys) of its whole
// process tree on this machine. The CPU comes from wait4()'s rusage as GNU time reports it
// (`/usr/bin/time -f`): a process's figure includes every descendant it waited for, so clush's and
// pssh's ssh children count, as do node's worker threads. Without GNU time it is the growth of this
// process's own reaped-children times (/proc/self/stat cutime + cstime, in clock ticks), which is the
// same sum as long as no other child of ours is reaped meanwhile (the benches run one command at a time).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';

const GNU_TIME = '/usr/bin/time';
const CPU_LINE = /^fleetstat-bench-cpu (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/m;
/** Linux's USER_HZ, what /proc/PID/stat counts in, on every architecture node runs on */
const CLOCK_TICKS_PER_SECOND = 100;
const STDERR_KEEP = 4096;

export type CpuSource = 'GNU time (wait4 rusage)' | '/proc/self/stat cutime+cstime';
export const cpuSource: CpuSource = existsSync(GNU_TIME) ? 'GNU time (wait4 rusage)' : '/proc/self/stat cutime+cstime';

export interface TimedRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  wallSeconds: number;
  /** user + sys of the command and the descendants it waited for */
  cpuSeconds: number;
  /** stderr's first 4 KiB (GNU time's own line is not in it) */
  stderr: string;
  timedOut: boolean;
}

/** user + sys of this process's reaped children, in seconds (fields 16 and 17 of /proc/self/stat). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // comm may hold spaces: after its `)`
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Runs `argv` with stdin from /dev/null and stdout to `stdoutFile`; never throws for the command's
 * failure, only reports it. `cpuFile`: where GNU time writes its figures.
 */
export async function runTimed(
  argv: string[],
  options: { stdoutFile: string; cpuFile: string; env: NodeJS.ProcessEnv; timeoutMs: number; source?: CpuSource },
): Promise<TimedRun> {
  const gnuTime = (options.source ?? cpuSource).startsWith('GNU');
  const full = gnuTime ? [GNU_TIME, '-o', options.cpuFile, '-f', 'fleetstat-bench-cpu %U %S', ...argv] : argv;
  if (gnuTime) rmSync(options.cpuFile, { force: true });
  const out = openSync(options.stdoutFile, 'w');
  const cpuBefore = gnuTime ? 0 : childrenCpuSeconds();
  const started = process.hrtime.bigint();
  // its own process group: at the time limit, the whole tree goes
  const child = spawn(full[0]!, full.slice(1), { stdio: ['ignore', out, 'pipe'], env: options.env, detached: true });
  closeSync(out);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8').slice(0, STDERR_KEEP - stderr.length);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  }, options.timeoutMs);
  const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, sig) => resolve([code, sig]));
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearTimeout(timer);

  let cpuSeconds: number;
  if (gnuTime) {
    const match = existsSync(options.cpuFile) ? CPU_LINE.exec(readFileSync(options.cpuFile, 'utf8')) : null;
    cpuSeconds = match ? Number(match[1]) + Number(match[2]) : Number.NaN;
  } else {
    cpuSeconds = childrenCpuSeconds() - cpuBefore;
  }
  return { status, signal, wallSeconds, cpuSeconds, stderr, timedOut };
}
