// Starts real sockets in a child node process (optionally as another user, or inside a network
// namespace) so that tests can compare fleetstat with ss on them. Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type ZooSocket =
  | { kind: 'tcp-listen'; host: string }
  | { kind: 'tcp-pair' } // a listener on 127.0.0.1 and one ESTABLISHED connection to it
  | { kind: 'close-wait' } // the server closes, the client does not: CLOSE_WAIT here, FIN_WAIT2 there
  | { kind: 'udp-unconnected'; host: string }
  | { kind: 'udp-connected' } // bound and connected to another local udp socket
  | { kind: 'open-file'; path: string }; // holds a file open (e.g. one whose name forges ls output)

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
const specs = JSON.parse(process.argv[1]);
const keep = [];
async function listen(host) {
  const server = net.createServer((s) => keep.push(s));
  server.listen(0, host);
  await once(server, 'listening');
  keep.push(server);
  return server;
}
async function open(spec) {
  switch (spec.kind) {
    case 'tcp-listen': return { listen: (await listen(spec.host)).address().port };
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

export interface ZooOptions {
  /** run as this uid/gid (the test must be root) */
  uid?: number;
  gid?: number;
  /** run inside this `ip netns` namespace */
  netns?: string;
  /** run through this command prefix instead of `ip netns exec` (e.g. `nsenter --target PID --net --pid …` into a
   *  test host of sshd-fleet.ts); `pid` is then the prefix's own process */
  enter?: string[];
}

export async function startZoo(sockets: ZooSocket[], options: ZooOptions = {}): Promise<Zoo> {
  const nodeArgs = ['--input-type=module', '-e', ZOO_SOURCE, JSON.stringify(sockets)];
  const [file, args] = options.enter?.[0]
    ? [options.enter[0], [...options.enter.slice(1), process.execPath, ...nodeArgs]]
    : options.netns
      ? ['ip', ['netns', 'exec', options.netns, process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
  const child: ChildProcess = spawn(file, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: '/',
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
