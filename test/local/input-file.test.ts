import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { InputFileError, readBoundedFile, readInputText } from '../../src/local/input-file.js';
import { asLocalResourceError, LocalResourceError } from '../../src/local/resource-error.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetstat-input-file-'));

function thrown(read: () => unknown): unknown {
  try {
    read();
  } catch (err) {
    return err;
  }
  throw new Error('expected the read to throw');
}

describe('readInputText / readBoundedFile', () => {
  test('reads a regular file whole', () => {
    const path = join(dir, 'inv.yml');
    writeFileSync(path, 'all:\n  hosts:\n    h1:\n');
    expect(readInputText(path, 'inventory')).toBe('all:\n  hosts:\n    h1:\n');
  });

  test('reads a /proc file, whose st_size is 0, by what read(2) returns', () => {
    expect(readBoundedFile('/proc/self/status', 1024 * 1024, 'a test file').toString()).toMatch(/^Name:/);
  });

  test('refuses content past the cap even when st_size says 0', () => {
    const err = thrown(() => readBoundedFile('/proc/self/maps', 100, 'a test file'));
    expect(err).toBeInstanceOf(InputFileError);
    expect([(err as InputFileError).code, (err as Error).message]).toEqual(['too-large', 'is larger than 100 bytes, the most fleetstat reads of a test file']);
  });

  test.each([
    ['a FIFO', () => { const p = join(dir, 'fifo'); execFileSync('mkfifo', [p]); return p; }, 'is a FIFO (named pipe), not a regular file'],
    ['a character device', () => '/dev/zero', 'is a character device, not a regular file'],
  ])('refuses %s without opening it', (_what, make, message) => {
    const path = make();
    const err = thrown(() => readInputText(path, 'inventory'));
    expect([err instanceof InputFileError && err.code, (err as Error).message]).toEqual(['not-regular-file', message]);
  });

  test('reads the null device as empty, as ssh reads `-F /dev/null` or `UserKnownHostsFile /dev/null`', () => {
    expect(readInputText('/dev/null', 'ssh-config')).toBe('');
    expect(readInputText('/dev/null', 'known-hosts')).toBe('');
  });

  test('refuses a unix socket', async () => {
    const path = join(dir, 'sock');
    const server = createServer().listen(path);
    await once(server, 'listening');
    try {
      const err = thrown(() => readInputText(path, 'known-hosts'));
      expect([err instanceof InputFileError && err.code, (err as Error).message]).toEqual(['not-regular-file', 'is a socket, not a regular file']);
    } finally {
      server.close();
    }
  });

  test('keeps the system\'s code for what loaders already word themselves: ENOENT, EISDIR', () => {
    expect((thrown(() => readInputText(join(dir, 'missing'), 'inventory')) as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect((thrown(() => readInputText(dir, 'inventory')) as NodeJS.ErrnoException).code).toBe('EISDIR');
  });
});

describe('asLocalResourceError', () => {
  test('EMFILE and ENFILE are this machine running out, with what fleetstat was doing', () => {
    const emfile = asLocalResourceError(Object.assign(new Error('spawn EMFILE'), { code: 'EMFILE' }), 'starting sh');
    expect(emfile).toBeInstanceOf(LocalResourceError);
    expect(emfile?.message).toBe('this process has no file descriptors left (EMFILE) while starting sh: raise the limit (ulimit -n) or lower --concurrency');
    expect(asLocalResourceError(Object.assign(new Error('x'), { code: 'ENFILE' }), 'connecting')?.code).toBe('ENFILE');
  });

  test('anything else is not', () => {
    expect(asLocalResourceError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'connecting')).toBeNull();
    expect(asLocalResourceError(new Error('x'), 'connecting')).toBeNull();
    expect(asLocalResourceError(undefined, 'connecting')).toBeNull();
  });
});
