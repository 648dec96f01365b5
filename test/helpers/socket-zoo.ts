// Starts real sockets in a child node process (optionally as another user, or inside a network
// namespace) so that tests can compare fleetstat with ss on them. Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type ZooSocket =
  | { kind: 'tcp-listen'; host: string; port?: number } // port: a fixed one (default: the kernel picks)
  | { kind: 'tcp-pair' } // a listener on 127.0.0.1 and one ESTABLISHED connection to it
  | { kind: 'close-wait' } // the server closes, the client does not: CLOSE_WAIT here, FIN_WAIT2 there
  | { kind: 'udp-unconnected'; host: string }
  | { kind: 'udp-connected' } // bound and connected to another local udp socket
  | { kind: 'open-file'; path: string } // holds a file open (e.g. one whose name forges ls output)
  // one listener on 127.0.0.1 and `connections` ESTABLISHED connections to it: 2 × connections + 1 TCP
  // sockets, each its own fd (the zoo raises its fd limit to fit, see fdsNeeded)
  | { kind: 'tcp-many'; connections: number };

export interface Zoo {
  pid: number;
  /** per socket asked for, the ports it got: `listen`, `client`, `server`, `peer` */
  ports: Array<Record<string, number>>;
  stop(): Promise<void>;
}

// Runs in the child (plain ESM JavaScript, passed with -e so any user can run it).
const ZOO_SOURCE = `
import net from 'node:net';
import dgram from 'node:dgram';
import { once } from 'node:events';
const specs = JSON.parse(process.argv[2]);
const keep = [];
async function listen(host, port = 0) {
  const server = net.createServer((s) => keep.push(s));
  server.listen(port, host);
  await once(server, 'listening');
  keep.push(server);
  return server;
}
async function open(spec) {
  switch (spec.kind) {
    case 'tcp-listen': return { listen: (await listen(spec.host, spec.port)).address().port };
    case 'tcp-pair': {
      const server = await listen('127.0.0.1');
      const accepted = once(server, 'connection');
      const client = net.connect(server.address().port, '127.0.0.1');
      keep.push(client);
      await once(client, 'connect');
      await accepted;
      return { listen: server.address().port, client: client.localPort };
    }
    case 'close-wait': {
      const server = net.createServer((s) => s.end());
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      keep.push(server);
      const client = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true });
      keep.push(client);
      client.resume();
      await once(client, 'end');
      const port = server.address().port;
      server.close();
      return { listen: port, client: client.localPort };
    }
    case 'udp-unconnected': {
      const s = dgram.createSocket(spec.host.includes(':') ? 'udp6' : 'udp4');
      s.bind(0, spec.host);
      await once(s, 'listening');
      keep.push(s);
      return { listen: s.address().port };
    }
    case 'udp-connected': {
      const peer = dgram.createSocket('udp4');
      peer.bind(0, '127.0.0.1');
      await once(peer, 'listening');
      const s = dgram.createSocket('udp4');
      s.bind(0, '127.0.0.1');
      await once(s, 'listening');
      s.connect(peer.address().port, '127.0.0.1');
      await once(s, 'connect');
      keep.push(peer, s);
      return { client: s.address().port, peer: peer.address().port };
    }
    case 'tcp-many': {
      const server = await listen('127.0.0.1');
      const port = server.address().port;
      // a few hundred handshakes in flight at a time: the listen backlog (somaxconn) is not overrun
      for (let opened = 0; opened < spec.connections; ) {
        const batch = Math.min(256, spec.connections - opened);
        const accepted = new Promise((resolve) => {
          let left = batch;
          const onConnection = () => { if (--left === 0) { server.off('connection', onConnection); resolve(); } };
          server.on('connection', onConnection);
        });
        const clients = [];
        for (let i = 0; i < batch; i++) {
          const client = net.connect(port, '127.0.0.1');
          keep.push(client);
          clients.push(once(client, 'connect'));
        }
        await Promise.all([...clients, accepted]);
        opened += batch;
      }
      return { listen: port };
    }
    case 'open-file': {
      const fs = await import('node:fs');
      keep.push(fs.openSync(spec.path, 'r'));
      return {};
    }
  }
  throw new Error('unknown socket kind ' + spec.kind);
}
const ports = [];
for (const spec of specs) ports.push(await open(spec));
process.stdout.write(JSON.stringify({ ports }) + '\\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

// The zoo runs from a file, as services do: `node -e PROGRAM` holding listeners is what check's FS003
// (an inline interpreter program listening) reports, and the hosts the tests build are ordinary ones.
// World-readable, so a zoo run as another user (options.uid) reads it too.
let zooFile: string | undefined;
function zooScript(): string {
  if (zooFile === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'fleetstat-zoo-'));
    chmodSync(dir, 0o755);
    zooFile = join(dir, 'socket-zoo.mjs');
    writeFileSync(zooFile, ZOO_SOURCE, { mode: 0o644 });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return zooFile;
}

export interface ZooOptions {
  /** run as this uid/gid (the test must be root) */
  uid?: number;
  gid?: number;
  /** run inside this `ip netns` namespace */
  netns?: string;
  /** run through this command prefix instead of `ip netns exec` (e.g. `nsenter --target PID --net --pid …` into a
   *  test host of sshd-fleet.ts); `pid` is then the prefix's own process */
  enter?: string[];
  /** the node binary to run (e.g. a copy in a temporary directory); default this one */
  node?: string;
  /** the zoo's working directory; default / */
  cwd?: string;
}

/** File descriptors the zoo needs beyond node's own: one per socket it opens. */
function fdsNeeded(sockets: ZooSocket[]): number {
  return sockets.reduce((sum, s) => sum + (s.kind === 'tcp-many' ? 2 * s.connections + 1 : 3), 0);
}

// node's own fds (stdio, epoll, its thread pool's pipes) and some room
const FD_HEADROOM = 256;
const DEFAULT_FD_SOFT_LIMIT = 1024;

export async function startZoo(sockets: ZooSocket[], options: ZooOptions = {}): Promise<Zoo> {
  const fds = fdsNeeded(sockets) + FD_HEADROOM;
  // past the usual soft limit, the zoo runs under prlimit (root may raise the hard limit too)
  const node = options.node ?? process.execPath;
  const nodeCommand = fds > DEFAULT_FD_SOFT_LIMIT ? ['prlimit', `--nofile=${fds}:${fds}`, node] : [node];
  // the source is a file, not argv: every socket's process has this cmdline, and a 3 KiB one would
  // make each of a 10k-socket host's sockets 4 KiB of output
  const nodeArgs = [zooScript(), JSON.stringify(sockets)];
  const [file, args] = options.enter?.[0]
    ? [options.enter[0], [...options.enter.slice(1), ...nodeCommand, ...nodeArgs]]
    : options.netns
      ? ['ip', ['netns', 'exec', options.netns, ...nodeCommand, ...nodeArgs]]
      : [nodeCommand[0]!, [...nodeCommand.slice(1), ...nodeArgs]];
  const child: ChildProcess = spawn(file, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: options.cwd ?? '/',
    env: process.env,
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  });
  const lines = createInterface({ input: child.stdout! });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`socket zoo exited early (status ${code}): ${stderr}`)));
    child.once('error', reject);
  });
  const { ports } = JSON.parse(first) as { ports: Array<Record<string, number>> };
  return {
    pid: child.pid!,
    ports,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      await exited;
    },
  };
}
