// The SSH transport against hostile or broken servers, played by ssh2's own Server in this process
// (loopback only): a hang, a flood, no exit status, a wrong host key, a tarpit, a refused port.
import { createServer, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { JumpPool, sshTransport } from '../../src/transport/ssh.js';
import type { SshEndpoint } from '../../src/transport/ssh-endpoint.js';
import { TransportError } from '../../src/transport/transport.js';
import { fakeEndpoint, fakeHost as startFake, otherHostKey, type Behaviour, type FakeHost } from '../helpers/fake-ssh.js';

const fakeHost = (behaviour: Behaviour, key?: string): Promise<FakeHost> => startFake(behaviour, key === undefined ? {} : { key });
const endpoint = (port: number, overrides: Partial<SshEndpoint> = {}): SshEndpoint =>
  fakeEndpoint(port, { label: 'fake', keepaliveIntervalMs: 1000, ...overrides });

const limits = { deadlineMs: 1500, maxBytes: 64 * 1024 };
const jumps = new JumpPool();
afterAll(() => jumps.closeAll());

describe('ssh transport against a misbehaving server', () => {
  const hosts: FakeHost[] = [];
  afterAll(() => Promise.all(hosts.map((h) => h.stop())));
  const start = async (b: Behaviour, key?: string) => {
    const h = await fakeHost(b, key);
    hosts.push(h);
    return h;
  };

  test('a well-behaved server: stdin reaches the command, stdout and the exit status come back', async () => {
    const host = await start((stream, input) => {
      stream.on('end', () => {
        stream.write(Buffer.concat(input));
        stream.stderr.write('note\n');
        stream.exit(0);
        stream.end();
      });
    });
    const result = await sshTransport(endpoint(host.port), jumps).exec('sh -s', Buffer.from('echo hi\n'), limits);
    expect([result.stdout.toString(), result.stderr, result.exitCode, result.timedOut, result.truncated]).toEqual(['echo hi\n', 'note\n', 0, false, false]);
  });

  test('a command that hangs ends at its deadline', async () => {
    const host = await start(() => {});
    // without the deadline this would hang until jest's own timeout (5 s here) fails it
    const result = await sshTransport(endpoint(host.port), jumps).exec('sh -s', Buffer.from(''), { ...limits, deadlineMs: 300 });
    expect(result.timedOut).toBe(true);
  }, 5000);

  test('a flood is cut at the byte cap', async () => {
    const host = await start((stream) => {
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        while (stream.writable && stream.write(chunk));
        if (stream.writable) stream.once('drain', pump);
      };
      pump();
    });
    const result = await sshTransport(endpoint(host.port), jumps).exec('sh -s', Buffer.from(''), limits);
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBe(limits.maxBytes);
  });

  test('a channel closed without an exit status says so', async () => {
    const host = await start((stream) => {
      stream.write('partial output');
      stream.end();
    });
    const result = await sshTransport(endpoint(host.port), jumps).exec('sh -s', Buffer.from(''), limits);
    expect([result.exitCode, result.signal, result.timedOut]).toEqual([null, null, false]);
  });

  test('a wrong host key is refused before any authentication is attempted', async () => {
    const host = await start((stream) => stream.end(), otherHostKey.private);
    const error = await sshTransport(endpoint(host.port), jumps)
      .exec('sh -s', Buffer.from(''), limits)
      .then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ kind: 'hostkey', message: expect.stringContaining('host key mismatch') });
    // the regression this guards: ssh2 accepts any key when the verifier returns a Promise or nothing
    expect(host.authAttempts).toBe(0);
  });
});

describe('ssh transport against the network', () => {
  let tarpit: NetServer;
  const held: Array<import('node:net').Socket> = [];
  beforeAll(async () => {
    // accepts TCP, never says a word
    tarpit = createServer((s) => held.push(s));
    await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise((resolve) => tarpit.close(resolve));
  });

  test('a tarpit ends as a timeout within the connect deadline', async () => {
    const port = (tarpit.address() as AddressInfo).port;
    const error = await sshTransport(endpoint(port, { connectTimeoutMs: 500 }), jumps)
      .exec('sh -s', Buffer.from(''), limits)
      .then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
  }, 5000);

  test('a refused port is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await sshTransport(endpoint(port), jumps)
      .exec('sh -s', Buffer.from(''), limits)
      .then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('ECONNREFUSED') });
  });
});
