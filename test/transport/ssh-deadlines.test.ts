// Deadlines that end things: after a connect or command deadline, or an interrupt, the connection is
// destroyed (not half-closed towards a peer that may never answer), so the process can exit at once.
// A host that freezes after login is played by a proxy that stops passing and reading bytes.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { JumpPool, sshTransport } from '../../src/transport/ssh.js';
import { TransportError } from '../../src/transport/transport.js';
import { clientKey, fakeEndpoint, fakeHost, freezingProxy, hostKey, publicBlob, type FakeHost, type FreezingProxy } from '../helpers/fake-ssh.js';
import { startTarpit, type Tarpit } from '../helpers/tarpit.js';

const repo = new URL('../../', import.meta.url).pathname;
const child = `${repo}test/helpers/ssh-exec-child.mjs`;

/** Runs one exec in a process of its own (the built transport): when it settled, and when the process exited. */
function execInChild(port: number, deadlineMs: number, connectTimeoutMs: number, killAfterMs = 10_000) {
  return new Promise<{ exitedMs: number; settled: { settledMs: number; timedOut?: boolean; kind?: string } | undefined; killed: boolean }>((resolve) => {
    const started = Date.now();
    const args = { port, hostKeyHex: publicBlob(hostKey.public).toString('hex'), clientKey: clientKey.private, deadlineMs, connectTimeoutMs };
    const proc = spawn(process.execPath, [child, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let killed = false;
    const kill = setTimeout(() => {
      killed = true;
      proc.kill('SIGKILL');
    }, killAfterMs);
    proc.on('exit', () => {
      clearTimeout(kill);
      const line = out.trim().split('\n')[0];
      resolve({ exitedMs: Date.now() - started, settled: line ? JSON.parse(line) : undefined, killed });
    });
  });
}

const built = existsSync(`${repo}dist/transport/ssh.js`);
(built ? describe : describe.skip)('a host that freezes after login costs its deadline, not the process', () => {
  let host: FakeHost;
  let proxy: FreezingProxy;
  afterEach(async () => {
    await proxy?.stop();
    await host?.stop();
  });

  test('frozen while the command runs: the exec times out and the process exits within a second of it', async () => {
    host = await fakeHost(() => proxy.freeze());
    proxy = await freezingProxy(host.port);
    const run = await execInChild(proxy.port, 800, 3000);
    expect(run.settled).toMatchObject({ timedOut: true });
    expect(run.killed).toBe(false);
    // a half-closed socket (end(), waiting for the peer's FIN) kept it alive until it was killed
    expect(run.exitedMs - run.settled!.settledMs).toBeLessThan(1500);
  }, 20_000);

  test('frozen during authentication: a timeout at the connect deadline, and the process exits', async () => {
    host = await fakeHost(() => {}, { onAuthentication: () => proxy.freeze() });
    proxy = await freezingProxy(host.port);
    const run = await execInChild(proxy.port, 5000, 800);
    expect(run.settled).toMatchObject({ kind: 'timeout' });
    expect(run.killed).toBe(false);
    expect(run.exitedMs - run.settled!.settledMs).toBeLessThan(1500);
  }, 20_000);
});

describe('an interrupt (ExecLimits.signal) ends the host at once, as interrupted', () => {
  const jumps = new JumpPool();
  let tarpit: Tarpit;
  let host: FakeHost;
  let commandsStarted = 0;
  beforeAll(async () => {
    tarpit = await startTarpit();
    host = await fakeHost(() => commandsStarted++); // a command that never ends
  });
  afterAll(async () => {
    await jumps.closeAll();
    await tarpit.stop();
    await host.stop();
  });

  const interrupted = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e);
  const limits = (signal: AbortSignal) => ({ deadlineMs: 10_000, maxBytes: 1 << 20, signal });

  test('already aborted: nothing is contacted', async () => {
    const before = tarpit.connections();
    const error = await interrupted(sshTransport(fakeEndpoint(tarpit.port), jumps).exec('sh -s', Buffer.from(''), limits(AbortSignal.abort())));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ kind: 'interrupted' });
    expect(tarpit.connections()).toBe(before);
  });

  test('while connecting (a host that never sends its banner)', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = interrupted(sshTransport(fakeEndpoint(tarpit.port, { connectTimeoutMs: 10_000 }), jumps).exec('sh -s', Buffer.from(''), limits(controller.signal)));
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toMatchObject({ kind: 'interrupted' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('while waiting for the jump host, which itself is left to the other targets', async () => {
    const controller = new AbortController();
    const via = fakeEndpoint(tarpit.port, { label: 'jump host j', connectTimeoutMs: 10_000 });
    const started = Date.now();
    const pending = interrupted(sshTransport(fakeEndpoint(host.port, { via }), jumps).exec('sh -s', Buffer.from(''), limits(controller.signal)));
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toMatchObject({ kind: 'interrupted' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('while the command runs: the connection is dropped', async () => {
    const controller = new AbortController();
    const before = commandsStarted;
    const transport = sshTransport(fakeEndpoint(host.port), jumps);
    const pending = interrupted(transport.exec('sh -s', Buffer.from(''), limits(controller.signal)));
    while (commandsStarted === before) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    controller.abort();
    expect(await pending).toMatchObject({ kind: 'interrupted', message: expect.stringContaining('interrupted') });
    expect(Date.now() - started).toBeLessThan(500);
    await transport.close();
  });
});
