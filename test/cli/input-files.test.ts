// Local input files that are not files: a FIFO (blocks forever), a device (/dev/zero never ends), a
// huge file. Every loader refuses them at once, with one line naming the file and what it is.
import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { refusedPort } from '../helpers/tarpit.js';
import { fleetstat, localInventory, scratch, stderrLines } from '../helpers/run-cli.js';

const { dir, file } = scratch('input-files');
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const sparse = join(dir, 'huge.yml');
writeFileSync(sparse, '');
truncateSync(sparse, 64 * 1024 * 1024 + 1); // sparse: costs no disk

// Before the fix a FIFO blocked the read forever: a short timeout makes that a failure, not a hang.
const quick = { timeoutMs: 15_000 };

describe('local input files are read with bounds', () => {
  test.each([
    ['a FIFO', fifo, 'is a FIFO (named pipe), not a regular file'],
    ['a character device', '/dev/zero', 'is a character device, not a regular file'],
    ['a file past the size cap', sparse, 'is larger than 64 MiB, the most fleetstat reads of an inventory'],
  ])('an inventory that is %s: exit 2, one line naming it', (_what, path, why) => {
    const run = fleetstat(['scan', path], quick);
    expect(run.signal).toBeNull();
    expect([run.status, stderrLines(run)]).toEqual([2, [`fleetstat: ${path}: cannot read the inventory: ${why}`]]);
    expect(run.stdout).toBe('');
  });

  test('a --limit @file that is a FIFO: exit 2', () => {
    const run = fleetstat(['scan', localInventory, '--limit', `@${fifo}`], quick);
    expect([run.status, stderrLines(run)]).toEqual([2, [`fleetstat: ${fifo}: cannot read the limit file: is a FIFO (named pipe), not a regular file`]]);
  });

  test('-F /dev/null is "no config", as for ssh: the scan runs', () => {
    const run = fleetstat(['scan', localInventory, '-F', '/dev/null', '-q', '-l', '--json']);
    expect(run.status).toBe(0);
    expect(stderrLines(run).filter((l) => l.includes('/dev/null'))).toEqual([]);
  });

  test('an ssh_config (-F) that is a device: exit 2', () => {
    const run = fleetstat(['scan', localInventory, '-F', '/dev/zero'], quick);
    expect([run.status, stderrLines(run)]).toEqual([2, ['fleetstat: /dev/zero: can\'t open user config file: is a character device, not a regular file']]);
  });

  test('a known_hosts file that is a FIFO: a warning naming it, and the host is not trusted', async () => {
    const port = await refusedPort();
    const inventory = file('kh.yml', `all:\n  hosts:\n    web01:\n      ansible_host: 127.0.0.1\n      ansible_port: ${port}\n`);
    const run = fleetstat(['scan', inventory, '-F', 'none', '--known-hosts', fifo, '--json'], quick);
    expect(run.signal).toBeNull();
    expect(stderrLines(run)).toContain(`fleetstat: warning: ${fifo}:0: cannot read: is a FIFO (named pipe), not a regular file`);
    expect(JSON.parse(run.stdout).hosts[0].status).toBe('unreachable');
  });

  test('a private key that is a device: a warning naming it', async () => {
    const port = await refusedPort();
    const inventory = file('key.yml', `all:\n  hosts:\n    web01:\n      ansible_host: 127.0.0.1\n      ansible_port: ${port}\n      ansible_ssh_private_key_file: /dev/zero\n`);
    const run = fleetstat(['scan', inventory, '-F', 'none', '--json'], quick);
    expect(run.signal).toBeNull();
    expect(stderrLines(run)).toContain('fleetstat: warning: identity file /dev/zero: is a character device, not a regular file');
  });
});
