// Many processes holding one socket, as a prefork server's children do: inside a test host, a node
// process opens a listener and a connection to it, and a shell starts `count` sleeps, each with the
// connection as its stdin. What a collection pays per socket-holding process, with few sockets.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

// `node -e`: CommonJS. The shell and its sleeps are their own process group, killed together at the end.
const HOLDERS_SOURCE = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const count = process.argv[1];
const loop = 'exec 3<&0 </dev/null; i=0; while [ "$i" -lt "$1" ]; do sleep 100000 <&3 3<&- >/dev/null & i=$((i + 1)); done; exec 3<&-; echo ready; wait';
const server = net.createServer(() => {}).listen(0, '127.0.0.1', () => {
  const socket = net.connect(server.address().port, '127.0.0.1', () => {
    const sh = spawn('sh', ['-c', loop, 'holders', count], { stdio: [socket, 'pipe', 'inherit'], detached: true });
    sh.stdout.once('data', () => process.stdout.write('ready\\n'));
    process.stdin.on('end', () => {
      try { process.kill(-sh.pid, 'SIGKILL'); } catch {}
      process.exit(0);
    });
    process.stdin.resume();
  });
});
`;

export interface SocketHolders {
  stop(): Promise<void>;
}

/** Starts them through `enter` (e.g. `nsenter --target PID … --`); resolves once all `count` sleep. */
export async function startSocketHolders(count: number, enter: string[], timeoutMs = 120_000): Promise<SocketHolders> {
  const argv = [...enter, process.execPath, '-e', HOLDERS_SOURCE, String(count)];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin!.end();
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${count} socket holders not up after ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      createInterface({ input: child.stdout! }).once('line', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`socket holders exited early (${code}): ${stderr}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
