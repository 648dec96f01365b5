// Process plumbing for the sshd test fleet: every command under a deadline (a test may fail, never hang),
// waits that poll with a deadline, and /proc lookups to find the processes a command forked.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { accessSync, constants } from 'node:fs';

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** true when the deadline killed it */
  timedOut: boolean;
}

export interface RunOptions {
  input?: string | Buffer;
  /** killed with SIGKILL after this long (default 10 s) */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs a command to its end (or its deadline); never throws for a non-zero status. */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
    // a command that exits without reading its stdin must not crash the test with EPIPE
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a command that must succeed; the error names the command and carries its stderr. */
export async function mustRun(file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await run(file, args, options);
  if (result.status !== 0) {
    const why = result.timedOut ? `timed out after ${options.timeoutMs ?? 10_000} ms` : `exited ${result.status ?? result.signal}`;
    throw new Error(`${file} ${args.join(' ')}: ${why}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Polls `probe` until it returns a value (not undefined), or throws `what` after the deadline. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Pids whose parent is `pid`, from /proc/PID/stat (comm may hold spaces and parentheses: read after the last `)`). */
export async function childrenOf(pid: number): Promise<Array<{ pid: number; comm: string }>> {
  const found: Array<{ pid: number; comm: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const close = stat.lastIndexOf(')');
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    if (ppid === pid) found.push({ pid: Number(entry), comm: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return found;
}

/** The pid a process has inside its own pid namespace (the last NSpid field). */
export async function pidInsideNamespace(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const line = status.split('\n').find((l) => l.startsWith('NSpid:'));
  const last = line?.trim().split(/\s+/).pop();
  if (last === undefined || !/^\d+$/.test(last)) throw new Error(`no NSpid for pid ${pid}`);
  return Number(last);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends a signal, ignoring a process that is already gone. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

const SEARCH = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** The absolute path of a command (scripts the fleet writes name binaries absolutely), or undefined. */
export function findCommand(name: string): string | undefined {
  for (const dir of SEARCH) {
    if (!dir) continue;
    try {
      accessSync(`${dir}/${name}`, constants.X_OK);
      return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Pids of the processes holding an established TCP socket whose local end is `address:port` (sshd's side of a connection), from `ss -tnpH`. */
export async function tcpSocketOwners(address: string, port: number): Promise<number[]> {
  const result = await run('ss', ['-tnpH', 'state', 'established']);
  const pids = new Set<number>();
  for (const line of result.stdout.split('\n')) {
    const local = line.trim().split(/\s+/)[2];
    if (local !== `${address}:${port}`) continue;
    for (const match of line.matchAll(/pid=(\d+)/g)) pids.add(Number(match[1]));
  }
  return [...pids].sort((a, b) => a - b);
}
