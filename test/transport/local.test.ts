// The local transport's limits, with real processes; and how scanHost turns each outcome into a status.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTransport } from '../../src/transport/local.js';
import type { Transport } from '../../src/transport/transport.js';
import { scanHost } from '../../src/scan/host.js';
import { bundledServices } from '../../src/merge/services.js';
import type { HostSpec } from '../../src/model/index.js';

const limits = { deadlineMs: 10_000, maxBytes: 1024 * 1024 };
const spec: HostSpec = { name: 'here', address: 'localhost', groups: ['g'], connection: 'local', become: false };

/** The local transport, but feeding `script` to sh instead of the collection: a host that misbehaves. */
function misbehaving(script: string): Transport {
  const local = localTransport();
  return { exec: (command, _input, l) => local.exec(command, Buffer.from(script), l), close: local.close };
}

/** Alive and not a zombie (a killed child of a reaped group may linger as one only briefly). */
function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('localTransport', () => {
  test('runs the command with the input on stdin', async () => {
    const result = await localTransport().exec('cat', Buffer.from('hello\0bytes\n'), limits);
    expect(result.stdout.toString()).toBe('hello\0bytes\n');
    expect([result.exitCode, result.truncated, result.timedOut]).toEqual([0, false, false]);
  });

  test('keeps the exit status and stderr', async () => {
    const result = await localTransport().exec('sh -s', Buffer.from('echo out; echo oops >&2; exit 3\n'), limits);
    expect([result.stdout.toString(), result.stderr, result.exitCode]).toEqual(['out\n', 'oops\n', 3]);
  });

  test('a command that cannot start is a TransportError of kind exec', async () => {
    await expect(localTransport().exec('/nonexistent/sh -s', Buffer.from(''), limits)).rejects.toMatchObject({ kind: 'exec' });
  });

  test('cuts the output at maxBytes and kills the command', async () => {
    const result = await localTransport().exec('sh -s', Buffer.from('while :; do echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; done\n'), { ...limits, maxBytes: 1000 });
    expect([result.truncated, result.timedOut]).toEqual([true, false]);
    expect(result.stdout.length).toBe(1000);
  });

  test('an interrupt kills the command\'s whole process group at once, as interrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetstat-local-'));
    const controller = new AbortController();
    const pending = localTransport()
      .exec('sh -s', Buffer.from(`sleep 30 & echo $! > ${dir}/child; echo $$ > ${dir}/main; wait\n`), { ...limits, signal: controller.signal })
      .then(() => null, (e: unknown) => e);
    const pids = async () => {
      for (;;) {
        if (existsSync(`${dir}/main`) && existsSync(`${dir}/child`)) {
          const [main, child] = ['main', 'child'].map((f) => Number(readFileSync(`${dir}/${f}`, 'utf8')));
          if (main && child) return [main, child];
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const [main, child] = await pids();
    const started = Date.now();
    controller.abort();
    expect(await pending).toMatchObject({ kind: 'interrupted' });
    expect(Date.now() - started).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 200));
    expect([alive(main!), alive(child!)]).toEqual([false, false]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('an interrupt before the start runs nothing', async () => {
    await expect(localTransport().exec('sh -s', Buffer.from('echo ran\n'), { ...limits, signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'interrupted' });
  });

  test('kills a command that passes its deadline', async () => {
    const result = await localTransport().exec('sh -s', Buffer.from('sleep 30\n'), { ...limits, deadlineMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
  });
});

describe('scanHost: a failing host is data', () => {
  const services = bundledServices();

  test.each([
    ['a deadline passed', 'sleep 30\n', { deadlineMs: 200 }, 'timeout'],
    ['output past the cap', 'while :; do echo x; done\n', { maxBytes: 4096 }, 'truncated'],
    ['a script that fails', 'echo "sh: 1: od: not found" >&2; exit 127\n', {}, 'exec'],
    ['output with no end marker', 'echo hello\n', {}, 'exec'],
  ] as const)('%s → %s', async (_what, script, limitChange, status) => {
    const scan = await scanHost(spec, misbehaving(script), { ...limits, ...limitChange }, services);
    expect(scan.status).toBe(status);
    expect(scan.error?.kind).toBe(status);
    expect(scan.sockets).toEqual([]);
    expect([scan.name, scan.groups]).toEqual(['here', ['g']]);
  });

  test('the stderr of a failed script is in the message', async () => {
    const scan = await scanHost(spec, misbehaving('echo "sh: 1: od: not found" >&2; exit 127\n'), limits, services);
    expect(scan.error?.message).toBe('the collection failed before its first section (exit status 127): sh: 1: od: not found');
  });
});
