// The local transport: runs the collection command with sh on this machine. No SSH involved.
import { spawn } from 'node:child_process';
import { type ExecLimits, type ExecResult, type Transport, TransportError, STDERR_KEEP } from './transport.js';

export function localTransport(): Transport {
  return {
    exec: (command, input, limits) => runLocally(command, input, limits),
    close: async () => {},
  };
}

function runLocally(command: string, input: Buffer, limits: ExecLimits): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    // command is one of our own fixed strings (e.g. `sh -s`), never inventory data
    const [file = 'sh', ...args] = command.split(' ');
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let truncated = false;
    let timedOut = false;
    let stderr = '';

    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limits.deadlineMs);

    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      const room = limits.maxBytes - bytes;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        bytes += room;
        truncated = true;
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8').slice(0, STDERR_KEEP - stderr.length);
    });
    child.stdin.on('error', () => {}); // the child may exit before reading all of its input
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new TransportError('exec', `cannot start ${file}: ${err.message}`));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks), stderr, exitCode, signal, truncated, timedOut });
    });
    child.stdin.end(input);
  });
}
