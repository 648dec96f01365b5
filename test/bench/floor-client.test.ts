// The fleet bench's bare-connection floor (bench/floor-client.mjs) against ssh2 servers here: it runs
// `true` on every host, and fails when a host's key is not the listed one or its command fails.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientKey, fakeHost, hostKey, otherHostKey, publicBlob, type FakeHost } from '../helpers/fake-ssh.js';
import { repo, scratch } from '../helpers/run-cli.js';

const { dir, file } = scratch('floor-client');
const identityFile = file('id_ed25519', clientKey.private);
const hosts: FakeHost[] = [];
let execs = 0;
afterAll(() => Promise.all(hosts.map((h) => h.stop())));

async function host(exitStatus: number, key = hostKey.private): Promise<FakeHost> {
  const h = await fakeHost((stream) => {
    execs++;
    stream.exit(exitStatus);
    stream.end();
  }, { key });
  hosts.push(h);
  return h;
}

/** Runs the client (async: the servers live in this process) on `list`; its exit status and stderr. */
function floor(list: FakeHost[], name: string): Promise<{ status: number | null; stderr: string }> {
  const blob = publicBlob(hostKey.public).toString('base64');
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(list.map((h, i) => ({
    name: `h${i + 1}`, address: '127.0.0.1', port: h.port, user: 'root', identityFile, hostKeys: [{ type: 'ssh-ed25519', blob }],
  }))));
  const child = spawn(process.execPath, [`${repo}bench/floor-client.mjs`, path, '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
}

test('every host runs its command once, at most CONCURRENCY at a time; exit 0, nothing said', async () => {
  const list = await Promise.all([host(0), host(0), host(0)]);
  execs = 0;
  expect(await floor(list, 'ok')).toEqual({ status: 0, stderr: '' });
  expect(execs).toBe(3);
  expect(list.map((h) => h.logins)).toEqual([1, 1, 1]);
});

test('a host whose key is not the listed one is never logged into, and fails the run', async () => {
  const [good, impostor] = [await host(0), await host(0, otherHostKey.private)];
  const run = await floor([good, impostor], 'hostkey');
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(new RegExp(`^floor: h2 \\(127\\.0\\.0\\.1:${impostor.port}\\): .+\\n$`));
  expect(impostor.logins).toBe(0);
  expect(good.logins).toBe(1);
});

test('a host whose command exits non-zero fails the run', async () => {
  const failing = await host(1);
  const run = await floor([failing], 'exit');
  expect(run).toEqual({ status: 1, stderr: `floor: h1 (127.0.0.1:${failing.port}): exit 1\n` });
});
