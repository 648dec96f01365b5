// The collection bounds itself (D=<seconds> on stdin, collect.sh's watchdog), under bash, dash and
// busybox sh: past its deadline nothing of it is left even when its output is never read (a frozen
// sshd), it goes within about a second of a cut connection, and after a normal end nothing remains.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newMarker, scriptInput } from '../../src/capture/script.js';
import { splitCapture } from '../../src/capture/split.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { startZoo, type Zoo } from '../helpers/socket-zoo.js';

const missing = [...(hasCommand('busybox') ? [] : ['busybox']), ...(hasCommand('dash') ? [] : ['dash'])];
const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

/** Live (not zombie) processes of process group `pgid`, from /proc/PID/stat. */
function groupMembers(pgid: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const [state, , pgrp] = stat.slice(close + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') found.push(`${entry} ${stat.slice(stat.indexOf('(') + 1, close)}`);
  }
  return found;
}

async function until(what: string, ms: number, probe: () => boolean): Promise<number> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

// what a failed test would leave: its collection's group is killed and its pipe closed afterwards
const started: ChildProcess[] = [];
const cuts: Array<() => void> = [];
afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
  for (const cut of cuts.splice(0)) cut();
});

/** A FIFO whose read end this process holds and never reads: a writer blocks once 64 KiB are in it. */
function unreadPipe(dir: string): { writeFd: number; cut: () => void } {
  const path = join(dir, `fifo-${Math.random().toString(16).slice(2)}`);
  execFileSync('mkfifo', [path]);
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(path, constants.O_WRONLY);
  let open = true;
  const cut = () => {
    if (open) closeSync(readFd);
    open = false;
  };
  cuts.push(cut);
  return { writeFd, cut };
}

/** The script under `shell`, as its own process group (as the transports start it), with the deadline line. */
function start(shell: string, path: string, deadline: number | undefined, stdout: 'pipe' | number, stdinStaysOpen = false): { child: ChildProcess; marker: string } {
  const marker = newMarker();
  const child = spawn(shell, ['-s'], { stdio: ['pipe', stdout, 'ignore'], env: { PATH: path }, detached: true });
  started.push(child);
  child.stdin!.on('error', () => {});
  if (stdinStaysOpen) child.stdin!.write(scriptInput(marker, deadline));
  else child.stdin!.end(scriptInput(marker, deadline));
  return { child, marker };
}

describeIf(missing, 'the collection\'s watchdog', () => {
  let dir: string;
  let zoo: Zoo;
  const shells: Array<[string, string, string]> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-watchdog-'));
    const applets = join(dir, 'applets');
    execFileSync('mkdir', [applets]);
    const busybox = execFileSync('sh', ['-c', 'command -v busybox']).toString().trim();
    for (const applet of execFileSync(busybox, ['--list']).toString().split('\n').filter(Boolean)) symlinkSync(busybox, join(applets, applet));
    shells.push(['bash', 'bash', SYSTEM_PATH], ['dash', 'dash', SYSTEM_PATH], ['busybox', join(applets, 'sh'), applets]);
    // 600 listeners: /proc/net/tcp alone is then well past a pipe's 64 KiB
    zoo = await startZoo(Array.from({ length: 600 }, () => ({ kind: 'tcp-listen', host: '127.0.0.1' }) as const));
  }, 30_000);
  afterAll(async () => {
    await zoo?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shell = (name: string) => shells.find((s) => s[0] === name)!;

  test.each(['bash', 'dash', 'busybox'])('%s: a normal end leaves nothing behind (no watchdog, no sleep)', async (name) => {
    const [, file, path] = shell(name);
    const { child, marker } = start(file, path, 60, 'pipe');
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => chunks.push(c));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(status).toBe(0);
    expect(splitCapture(Buffer.concat(chunks), marker).complete).toBe(true);
    expect(groupMembers(child.pid!)).toEqual([]);
  }, 30_000);

  test.each(['bash', 'dash', 'busybox'])('%s: its stdin never closed (a hung connection): the script still ends at its end marker', async (name) => {
    const [, file, path] = shell(name);
    const { child, marker } = start(file, path, 60, 'pipe', true);
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => chunks.push(c));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(status).toBe(0);
    expect(splitCapture(Buffer.concat(chunks), marker).complete).toBe(true);
    expect(groupMembers(child.pid!)).toEqual([]);
  }, 30_000);

  test.each(['bash', 'dash', 'busybox'])('%s: output nobody reads (a frozen sshd): the whole collection is killed at its deadline', async (name) => {
    const [, file, path] = shell(name);
    const pipe = unreadPipe(dir);
    const { child } = start(file, path, 2, pipe.writeFd);
    closeSync(pipe.writeFd);
    const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    // blocked on its output, not finished
    await new Promise((r) => setTimeout(r, 1000));
    expect(groupMembers(child.pid!).length).toBeGreaterThan(0);
    const gone = await until('the collection gone', 6000, () => groupMembers(child.pid!).length === 0);
    expect(await exited).toBe('SIGKILL');
    // deadline 2 s, one second already waited above; a second's grace for the watchdog's step
    expect(gone).toBeLessThan(3500);
  }, 30_000);

  test.each(['bash', 'dash', 'busybox'])('%s: a cut connection (SIGPIPE) takes the watchdog with it within about a second', async (name) => {
    const [, file, path] = shell(name);
    const pipe = unreadPipe(dir);
    const { child } = start(file, path, 600, pipe.writeFd);
    closeSync(pipe.writeFd);
    await new Promise((r) => setTimeout(r, 500));
    expect(groupMembers(child.pid!).length).toBeGreaterThan(1); // the script and its watchdog
    pipe.cut();
    const gone = await until('the collection gone', 5000, () => groupMembers(child.pid!).length === 0);
    expect(gone).toBeLessThan(2500);
  }, 30_000);

  test('without a deadline line there is no watchdog (the script runs as before)', async () => {
    const [, file, path] = shell('dash');
    const pipe = unreadPipe(dir);
    const { child } = start(file, path, undefined, pipe.writeFd);
    closeSync(pipe.writeFd);
    await new Promise((r) => setTimeout(r, 500));
    expect(groupMembers(child.pid!).map((m) => m.split(' ')[1])).not.toContain('sleep');
  });
});
