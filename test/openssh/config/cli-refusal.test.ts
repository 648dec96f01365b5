// A configuration ssh refuses to run with stops the whole run, as ssh stops: one line naming the
// file and line, exit status 2, and no host contacted (a listener on loopback counts connections).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fleetstatAsync as runFleetstat } from '../../helpers/run-cli.js';

const fleetstat = runFleetstat;

describe('a configuration ssh refuses: exit 2 before any host is contacted', () => {
  let dir: string;
  let server: Server;
  let connections = 0;
  let inventory: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-refusal-'));
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    inventory = join(dir, 'hosts.yml');
    writeFileSync(inventory, `all:\n  hosts:\n    web01:\n      ansible_host: 127.0.0.1\n      ansible_port: ${port}\n    web02:\n      ansible_host: 127.0.0.1\n      ansible_port: ${port}\n`);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['scan', 'a misspelled keyword in -F', 'Host *\n  HostNmae 10.0.0.1\n', ':2: Bad configuration option: hostnmae'],
    ['scan', 'a bad value of a keyword fleetstat does not use', 'Compression maybe\n', ':1: keyword compression: unsupported option "maybe"'],
    ['inventory', 'the inventory command too', 'Port nope\n', ":1: bad port 'nope'"],
  ])('%s: %s', async (command, _why, text, message) => {
    const config = join(dir, 'config');
    writeFileSync(config, text);
    const run = await fleetstat(dir, [command, inventory, '-F', config]);
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr.trim().split('\n') }).toEqual({
      status: 2,
      stdout: '',
      stderr: [`fleetstat: ${config}${message}`],
    });
    expect(connections).toBe(0);
  });

  test('a bad ~/.ssh/config: ssh refuses to run at all, so does fleetstat', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh/config'), 'Host *\n  UseKeychain yes\n');
    chmodSync(join(home, '.ssh/config'), 0o600);
    const run = await fleetstat(home, ['scan', inventory]);
    expect([run.status, run.stderr.trim()]).toEqual([2, `fleetstat: ${join(home, '.ssh/config')}:2: Bad configuration option: usekeychain`]);
    expect(connections).toBe(0);
  });
});
