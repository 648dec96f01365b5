// Records one real capture of a host with the sockets asked for: a fresh network + pid namespace on
// this machine (its own /proc, so the capture holds only what runs there, not the other benches on a
// shared machine), a socket zoo inside it, and the collection run there through the local transport.
// Saved as scripts/capture-fixture.sh saves one (`marker <M>`, then stdout), with `ss -tanH`'s count of
// TCP sockets taken inside the same namespace beside it as the truth.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { newMarker, REMOTE_COMMAND, scriptInput } from '../src/capture/script.js';
import { localTransport } from '../src/transport/local.js';
import { startZoo, type ZooSocket } from '../test/helpers/socket-zoo.js';
import { childrenOf, mustRun, signal, waitFor } from '../test/helpers/sshd-run.js';

export const RECORD_NEEDS = ['unshare', 'nsenter', 'setpriv', 'ip', 'ss', 'prlimit'];

export interface RecordedCapture {
  file: string;
  bytes: number;
  /** lines of `ss -tanH` inside the namespace just after the collection */
  ssTcp: number;
}

const DEADLINE_MS = 120_000;
const MAX_BYTES = 256 * 1024 * 1024;

export async function recordCapture(sockets: ZooSocket[], file: string): Promise<RecordedCapture> {
  // the namespace's init is `sleep`; killing it ends everything inside (setpriv: it dies with us too)
  const unshare = spawn('setpriv', ['--pdeathsig', 'KILL', 'unshare', '--net', '--pid', '--fork', '--kill-child', '--mount', '--mount-proc', 'sleep', 'infinity'], { stdio: 'ignore' });
  let initPid: number | undefined;
  try {
    initPid = await waitFor('the namespace\'s init', async () => {
      if (unshare.exitCode !== null) throw new Error(`unshare exited with ${unshare.exitCode}`);
      return (await childrenOf(unshare.pid!)).find((c) => c.comm === 'sleep')?.pid;
    });
    const enter = ['nsenter', '--target', String(initPid), '--net', '--pid', '--mount'];
    await mustRun(enter[0]!, [...enter.slice(1), 'ip', 'link', 'set', 'lo', 'up']);
    const zoo = await startZoo(sockets, { enter: [...enter, '--'] });
    try {
      const marker = newMarker();
      // the local transport splits its command on spaces: every word here is ours
      const result = await localTransport().exec(`${enter.join(' ')} ${REMOTE_COMMAND}`, scriptInput(marker, DEADLINE_MS / 1000), { deadlineMs: DEADLINE_MS, maxBytes: MAX_BYTES });
      if (result.exitCode !== 0 || result.truncated || result.timedOut) {
        throw new Error(`recording a capture: exit ${result.exitCode}, truncated ${result.truncated}, timed out ${result.timedOut}: ${result.stderr.slice(0, 300)}`);
      }
      const ss = await mustRun(enter[0]!, [...enter.slice(1), 'ss', '-tanH']);
      writeFileSync(file, Buffer.concat([Buffer.from(`marker ${marker}`), result.stdout]));
      return { file, bytes: result.stdout.length, ssTcp: ss.split('\n').filter((line) => line !== '').length };
    } finally {
      await zoo.stop();
    }
  } finally {
    if (initPid !== undefined) signal(initPid, 'SIGKILL');
    else signal(unshare.pid!, 'SIGKILL');
    await new Promise((resolve) => (unshare.exitCode !== null || unshare.signalCode !== null ? resolve(undefined) : unshare.once('exit', resolve)));
  }
}
