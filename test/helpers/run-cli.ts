// Runs the built CLI (bin/run.js → dist/) as a user would, in a clean environment: no colour
// preference, no COLUMNS, no agent, unless a test sets them.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repo = new URL('../../', import.meta.url).pathname;
// FLEETSTAT_TEST_BIN: run these tests against another build (e.g. the code before a fix)
export const runJs = process.env.FLEETSTAT_TEST_BIN ?? `${repo}bin/run.js`;
export const localInventory = `${repo}inventory/local.yml`;

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  /** run under this command first, e.g. ['prlimit', '--nofile=40'] */
  wrapper?: string[];
  input?: string;
  timeoutMs?: number;
  /** where stdout goes instead of a pipe (e.g. an fd opened on /dev/full) */
  stdout?: SpawnSyncOptions['stdio'];
}

export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['COLUMNS', 'NO_COLOR', 'FORCE_COLOR', 'SSH_AUTH_SOCK', 'FLEETSTAT_CONTENT_TYPE', 'DEBUG']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export function fleetstat(args: string[], options: CliOptions = {}): CliRun {
  const [command, ...prefix] = [...(options.wrapper ?? []), process.execPath, runJs];
  const run = spawnSync(command!, [...prefix, ...args], {
    encoding: 'utf8',
    env: cleanEnv(options.env),
    timeout: options.timeoutMs ?? 30_000,
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.stdout !== undefined ? { stdio: options.stdout } : {}),
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

/** A fresh temporary directory and a writer of files in it. */
export function scratch(prefix: string): { dir: string; file: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), `fleetstat-${prefix}-`));
  return {
    dir,
    file: (name, text) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    },
  };
}

/** stderr split into lines, without the trailing empty one. */
export function stderrLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
}

/**
 * The built CLI without blocking this process (for tests whose servers run in it, or that must
 * watch it run), with a HOME of its own (no ~/.ssh of this machine), USER root, no colour, and only
 * the environment given: no agent unless given one.
 */
export function fleetstatAsync(home: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runJs, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, USER: 'root', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (status, signal) => resolve({ status, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}
