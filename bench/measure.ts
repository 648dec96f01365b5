// Runs one command to a file and measures it: wall time, peak RSS, exit status, stderr's first line.
//
// Peak RSS of a node command comes from inside it: `node --import bench/report-rss.mjs …` writes
// getrusage's ru_maxrss at exit (the kernel's own high-water mark). Where GNU time is installed the
// command also runs under `/usr/bin/time -v`, whose "Maximum resident set size" is the same figure
// taken by wait4() from outside: both are printed, so each run checks the other, and GNU time still
// answers when the process never reaches 'exit' (V8's fatal "heap out of memory" aborts). Without
// either, the figure is the last VmHWM polled from /proc/PID/status while it ran (a lower bound).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const GNU_TIME = '/usr/bin/time';
const GNU_TIME_RSS = /Maximum resident set size \(kbytes\): (\d+)/;

export const RSS_HOOK = new URL('./report-rss.mjs', import.meta.url).pathname;
const POLL_MS = 100;
/** fleetstat's own closing summary on stderr: `fleetstat: 60 hosts: 60 ok` */
const SUMMARY = /^fleetstat: \d+ hosts?:/;
const STDERR_KEEP = 16 * 1024;

export interface Measured {
  status: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  /** KiB: the process's own getrusage at exit, else GNU time's, else the polled VmHWM */
  peakRss: number | undefined;
  rssSource: 'getrusage at exit' | 'GNU time' | 'VmHWM polled' | 'none';
  /** seconds of user + system CPU of the node process, from its own getrusage at exit (undefined if it never got there) */
  cpuSeconds: { user: number; sys: number } | undefined;
  /** KiB, as `/usr/bin/time -v` reported it (undefined without GNU time) */
  gnuTimeRss: number | undefined;
  outputBytes: number;
  /** the first line of stderr other than fleetstat's summary (`fleetstat: N hosts: …`) */
  stderrFirstLine: string;
  /** stderr's first and last 16 KiB */
  stderr: string;
  stderrTail: string;
  /** killed at the time limit */
  timedOut: boolean;
}

async function vmHwm(pid: number): Promise<number | undefined> {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // gone already
  }
}

/**
 * Runs the node script `scriptArgv` (`[script, ...args]`, with the RSS hook preloaded) with stdout to
 * `outputFile`; never throws for the command's failure, only reports it. `rssFile`: where the hook writes.
 */
export async function measureNode(
  scriptArgv: string[],
  options: { outputFile: string; rssFile: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Measured> {
  const gnuTime = existsSync(GNU_TIME);
  const argv = [...(gnuTime ? [GNU_TIME, '-v'] : []), process.execPath, '--import', RSS_HOOK, ...scriptArgv];
  const out = openSync(options.outputFile, 'w');
  rmSync(options.rssFile, { force: true });
  const env = { ...options.env, FLEETSTAT_BENCH_RSS_FILE: options.rssFile };
  const started = process.hrtime.bigint();
  // its own process group: at the time limit, GNU time and node go together
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', out, 'pipe'], env, detached: true });
  closeSync(out);
  let stderr = '';
  let stderrTail = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (stderr.length < STDERR_KEEP) stderr += text.slice(0, STDERR_KEEP - stderr.length);
    stderrTail = (stderrTail + text).slice(-STDERR_KEEP);
  });
  let polled: number | undefined;
  // under GNU time the child is time itself: its figure stands in for the poll
  const poll = gnuTime ? undefined : setInterval(() => {
    void vmHwm(child.pid!).then((kib) => {
      if (kib !== undefined) polled = Math.max(polled ?? 0, kib);
    });
  }, POLL_MS);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-child.pid!, 'SIGKILL');
  }, options.timeoutMs);
  const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, sig) => resolve([code, sig])));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (poll) clearInterval(poll);
  clearTimeout(timer);

  const [rssLine, cpuLine] = existsSync(options.rssFile) ? readFileSync(options.rssFile, 'utf8').split('\n') : [];
  const fromHook = rssLine ? Number(rssLine) : undefined;
  const cpu = /^(\d+) (\d+)$/.exec(cpuLine ?? '');
  const cpuSeconds = cpu ? { user: Number(cpu[1]) / 1e6, sys: Number(cpu[2]) / 1e6 } : undefined;
  const timeMatch = gnuTime ? GNU_TIME_RSS.exec(stderrTail) : null;
  const gnuTimeRss = timeMatch ? Number(timeMatch[1]) : undefined;
  const peakRss = fromHook ?? gnuTimeRss ?? polled;
  const lines = stderr.split('\n');
  const stderrFirstLine = lines.find((line) => line.trim() !== '' && !SUMMARY.test(line) && !line.startsWith('\tCommand being timed')) ?? '';
  return {
    status, signal, seconds, peakRss, cpuSeconds,
    rssSource: fromHook !== undefined ? 'getrusage at exit' : gnuTimeRss !== undefined ? 'GNU time' : polled !== undefined ? 'VmHWM polled' : 'none',
    gnuTimeRss,
    outputBytes: statSync(options.outputFile).size,
    stderrFirstLine: stderrFirstLine.slice(0, 200),
    stderr,
    stderrTail,
    timedOut,
  };
}
