// Containment in the SSH transport: whatever goes wrong while one host is reached (ssh2 throwing
// synchronously, a callback of ours throwing, a jump connection failing or dying) is that host's
// TransportError, and a dead jump connection is renewed for the targets that come after it.
import { JumpPool, sshTransport } from '../../src/transport/ssh.js';
import { TransportError, type ExecResult } from '../../src/transport/transport.js';
import { fakeEndpoint, fakeHost, type Behaviour, type FakeHost } from '../helpers/fake-ssh.js';
import { refusedPort } from '../helpers/tarpit.js';

const limits = { deadlineMs: 3000, maxBytes: 1 << 20 };
const outcome = (p: Promise<ExecResult>) => p.then((r) => r, (e: unknown) => e);
const echo: Behaviour = (stream, input) =>
  stream.on('end', () => {
    stream.write(Buffer.concat(input));
    stream.exit(0);
    stream.end();
  });

describe('ssh2 failures are the host\'s outcome, never an exception', () => {
  const hosts: FakeHost[] = [];
  const jumps = new JumpPool();
  afterAll(async () => {
    await jumps.closeAll();
    await Promise.all(hosts.map((h) => h.stop()));
  });
  const start = async (...args: Parameters<typeof fakeHost>) => {
    const h = await fakeHost(...args);
    hosts.push(h);
    return h;
  };

  test('a server that hangs up right after login: exec on the closed connection is a TransportError', async () => {
    const host = await start(echo, { onReady: (client) => client.end() });
    const result = await outcome(sshTransport(fakeEndpoint(host.port), jumps).exec('sh -s', Buffer.from('x'), limits));
    expect(result).toBeInstanceOf(TransportError);
    // auth too: on a loaded runner the hang-up can reach the client before it has taken the login as done
    expect(result).toMatchObject({ kind: expect.stringMatching(/^(exec|unreachable|auth)$/) });
  });

  test('a host-key check that throws fails the host as hostkey', async () => {
    const host = await start(echo);
    const endpoint = fakeEndpoint(host.port, {
      hostKey: {
        verify: () => {
          throw new Error('known_hosts vanished');
        },
      },
    });
    const result = await outcome(sshTransport(endpoint, jumps).exec('sh -s', Buffer.from('x'), limits));
    expect(result).toBeInstanceOf(TransportError);
    expect(result).toMatchObject({ kind: 'hostkey', message: expect.stringContaining('known_hosts vanished') });
  });

  test('a key ssh2 cannot parse is an auth failure of that host', async () => {
    const host = await start(echo);
    const endpoint = fakeEndpoint(host.port, { auth: [{ type: 'publickey', key: Buffer.from('not a key'), source: 'test' }] });
    const result = await outcome(sshTransport(endpoint, jumps).exec('sh -s', Buffer.from('x'), limits));
    expect(result).toBeInstanceOf(TransportError);
    expect(result).toMatchObject({ kind: 'auth' });
  });
});

describe('a jump connection that fails or dies is renewed for later targets', () => {
  const hosts: FakeHost[] = [];
  afterAll(() => Promise.all(hosts.map((h) => h.stop())));
  const start = async (...args: Parameters<typeof fakeHost>) => {
    const h = await fakeHost(...args);
    hosts.push(h);
    return h;
  };
  const via = (port: number) => fakeEndpoint(port, { label: 'jump host j' });

  test('a jump host down at first: the target behind it is unreachable; once it is up, the next target gets through', async () => {
    const jumps = new JumpPool();
    const target = await start(echo);
    const jumpPort = await refusedPort();
    const first = await outcome(sshTransport(fakeEndpoint(target.port, { via: via(jumpPort) }), jumps).exec('sh -s', Buffer.from('one'), limits));
    expect(first).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('jump host j') });

    const jump = await start(() => {}, { forwards: true }, jumpPort);
    const second = await outcome(sshTransport(fakeEndpoint(target.port, { via: via(jump.port) }), jumps).exec('sh -s', Buffer.from('two'), limits));
    expect(second).toMatchObject({ exitCode: 0, stdout: Buffer.from('two') });
    await jumps.closeAll();
  });

  test('a jump connection killed mid-scan costs the target using it; the next target reconnects', async () => {
    const jumps = new JumpPool();
    const jump = await start(() => {}, { forwards: true });
    let running = false;
    const hanging = await start(() => (running = true)); // its command never ends
    const healthy = await start(echo);
    const started = Date.now();
    const inFlight = outcome(sshTransport(fakeEndpoint(hanging.port, { via: via(jump.port) }), jumps).exec('sh -s', Buffer.from(''), { ...limits, deadlineMs: 10_000 }));
    while (!running) await new Promise((r) => setTimeout(r, 20));
    jump.cutAll();
    const lost = await inFlight;
    // not its deadline: the connection went with the jump host's
    expect(Date.now() - started).toBeLessThan(5000);
    expect(lost).toMatchObject({ exitCode: null, signal: null, timedOut: false });

    const after = await outcome(sshTransport(fakeEndpoint(healthy.port, { via: via(jump.port) }), jumps).exec('sh -s', Buffer.from('later'), limits));
    expect(after).toMatchObject({ exitCode: 0, stdout: Buffer.from('later') });
    expect(jump.logins).toBe(2);
    await jumps.closeAll();
  });
});
