// The local transport: runs the collection command with sh on this machine. No SSH involved.
import { spawn } from 'node:child_process';
import { asLocalResourceError } from '../local/resource-error.js';
import { interruptedError, whenAborted } from './interrupt.js';
import { drawOn } from './output-budget.js';
import { CappedOutput, StderrHead, type ExecLimits, type ExecResult, type Transport, TransportError } from './transport.js';

export function localTransport(): Transport {
  return {
    exec: (command, input, limits) => runLocally(command, input, limits),
    close: async () => {},
  };
}

function runLocally(command: string, input: Buffer, limits: ExecLimits): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (limits.signal?.aborted) return reject(interruptedError('', 'before the command started'));
    // command is one of our own fixed strings (e.g. `sh -s`), never inventory data
    const [file = 'sh', ...args] = command.split(' ');
    // its own process group, so that a deadline or the byte cap kills every child too
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let stopListening = () => {};
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopListening();
      // no file descriptor left for the pipes: this machine's problem, not the host's (ends the run)
      reject(asLocalResourceError(err, `starting ${file}`) ?? new TransportError('exec', `cannot start ${file}: ${err.message}`));
    });
    const { stdin, stdout: out, stderr: err } = child;
    if (!stdin || !out || !err) return; // spawn failed before its pipes existed: 'error' follows

    const stdout = new CappedOutput(limits.maxBytes);
    const stderr = new StderrHead();
    let timedOut = false;

    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const finish = (exitCode: number | null, signal: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopListening();
      resolve({ stdout: stdout.buffer, stderr: stderr.text, exitCode, signal, truncated: stdout.truncated, timedOut });
    };

    // a grandchild that left our group may hold the pipes open: do not wait for it
    const abandon = () => {
      killGroup();
      out.destroy();
      err.destroy();
    };
    timer = setTimeout(() => {
      timedOut = true;
      abandon();
      finish(null, 'SIGKILL');
    }, limits.deadlineMs);
    stopListening = whenAborted(limits.signal, () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      abandon();
      reject(interruptedError('', 'while the command ran'));
    });

    out.on('data', (chunk: Buffer) => {
      if (!stdout.push(chunk)) killGroup();
      else drawOn(limits.budget, out, chunk.length);
    });
    err.on('data', (chunk: Buffer) => stderr.push(chunk));
    stdin.on('error', () => {}); // the child may exit before reading all of its input
    child.on('close', finish);
    stdin.end(input);
  });
}
