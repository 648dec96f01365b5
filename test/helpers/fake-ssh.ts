// SSH servers played by ssh2's own Server in this process, on loopback only, for transport faults:
// a host whose exec does what a test says, a jump host that forwards (and can be cut), and a TCP
// proxy that freezes (a host that stops answering after login, without closing anything).
import { connect as netConnect, createServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel } from 'ssh2';
import type { SshEndpoint } from '../../src/transport/ssh-endpoint.js';
import { DEFAULT_ALGORITHMS } from '../../src/openssh/algorithms.js';

const { Server, utils } = ssh2;
export const hostKey = utils.generateKeyPairSync('ed25519');
export const otherHostKey = utils.generateKeyPairSync('ed25519');
export const clientKey = utils.generateKeyPairSync('ed25519');
export const publicBlob = (pem: string) => (utils.parseKey(pem) as ssh2.ParsedKey).getPublicSSH();

export type Behaviour = (stream: ServerChannel, input: Buffer[]) => void;

export interface FakeHostOptions {
  key?: string;
  /** when the client asks to authenticate (before it is accepted) */
  onAuthentication?: () => void;
  /** after a successful login, before any channel: e.g. drop the connection */
  onReady?: (client: Connection) => void;
  /** a jump host: forwards `direct-tcpip` channels to loopback ports */
  forwards?: boolean;
}

export interface FakeHost {
  port: number;
  authAttempts: number;
  /** connections that reached `ready` */
  logins: number;
  /** every connection accepted so far (still open or not) */
  clients: Connection[];
  /** ends every connection at once (their sockets destroyed), the listener stays */
  cutAll(): void;
  stop(): Promise<void>;
}

/** An SSH server whose exec does `behaviour`. */
export async function fakeHost(behaviour: Behaviour, options: FakeHostOptions = {}, port = 0): Promise<FakeHost> {
  const state = { authAttempts: 0, logins: 0 };
  const clients: Connection[] = [];
  const server = new Server({ hostKeys: [options.key ?? hostKey.private] }, (client) => {
    clients.push(client);
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      state.authAttempts++;
      options.onAuthentication?.();
      ctx.accept();
    });
    client.on('ready', () => {
      state.logins++;
      options.onReady?.(client);
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec) => {
          const stream = acceptExec();
          const input: Buffer[] = [];
          stream.on('data', (d: Buffer) => input.push(d));
          behaviour(stream, input);
        });
      });
      if (options.forwards) {
        client.on('tcpip', (accept, reject, info) => {
          if (!info.destIP.startsWith('127.')) return reject();
          const socket = netConnect(info.destPort, info.destIP);
          socket.on('error', () => channel.destroy());
          const channel = accept();
          channel.on('error', () => socket.destroy());
          channel.pipe(socket).pipe(channel);
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const socketOf = (c: Connection) => (c as unknown as { _sock: Socket })._sock;
  return {
    port: (server.address() as AddressInfo).port,
    get authAttempts() {
      return state.authAttempts;
    },
    get logins() {
      return state.logins;
    },
    clients,
    cutAll: () => {
      for (const c of clients) socketOf(c).destroy();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) socketOf(c).destroy();
        server.close(() => resolve());
      }),
  };
}

/** An endpoint for a fake host on loopback, with its key known and the client key offered. */
export function fakeEndpoint(port: number, overrides: Partial<SshEndpoint> = {}): SshEndpoint {
  const expected = publicBlob(hostKey.public);
  return {
    host: '127.0.0.1',
    port,
    user: 'tester',
    label: '',
    hostKey: {
      algorithms: ['ssh-ed25519'],
      verify: (blob) => (blob.equals(expected) ? { accept: true } : { accept: false, reason: 'host key mismatch' }),
    },
    auth: [{ type: 'publickey', key: Buffer.from(clientKey.private), source: 'test' }],
    algorithms: { kex: [...DEFAULT_ALGORITHMS.kex], cipher: [...DEFAULT_ALGORITHMS.cipher], mac: [...DEFAULT_ALGORITHMS.mac] },
    connectTimeoutMs: 2000,
    // OpenSSH's default ServerAliveInterval is 0: nothing but fleetstat's own deadlines ends a silent host
    keepaliveIntervalMs: 0,
    keepaliveCountMax: 3,
    ...overrides,
  };
}

export interface FreezingProxy {
  port: number;
  /** from now on nothing passes either way and nothing is read or closed: a host frozen after login */
  freeze(): void;
  /** connections accepted so far */
  accepted(): number;
  stop(): Promise<void>;
}

/** A TCP proxy to a loopback port that can freeze mid-connection, as a SIGSTOPped sshd does. */
export async function freezingProxy(targetPort: number): Promise<FreezingProxy> {
  let frozen = false;
  let accepted = 0;
  const held = new Set<Socket>();
  const server: NetServer = createServer({ allowHalfOpen: true }, (client) => {
    accepted++;
    const upstream = netConnect(targetPort, '127.0.0.1');
    held.add(client).add(upstream);
    for (const s of [client, upstream]) s.on('error', () => {});
    client.on('data', (d: Buffer) => (frozen ? undefined : upstream.write(d)));
    upstream.on('data', (d: Buffer) => (frozen ? undefined : client.write(d)));
    client.on('end', () => (frozen ? undefined : upstream.end()));
    upstream.on('close', () => (frozen ? undefined : client.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    freeze: () => {
      frozen = true;
      // a stopped process reads nothing: not even the client's FIN is seen, so nothing is closed back
      for (const s of held) s.pause();
    },
    accepted: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of held) s.destroy();
        server.close(() => resolve());
      }),
  };
}
