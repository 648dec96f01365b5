// The built CLI (bin/run.js) as a user runs it: a HOME of its own (no ~/.ssh of this machine), no
// agent unless given, stdout and stderr kept whole.
import { spawn } from 'node:child_process';

const repo = new URL('../../', import.meta.url).pathname;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runFleetstat(home: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${repo}bin/run.js`, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, USER: 'root', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
