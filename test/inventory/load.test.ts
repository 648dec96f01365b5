// loadInventory and readLimit: the file I/O, dispatching on content, and errors that name the real path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInventory, readLimit } from '../../src/inventory/load.js';
import { InventoryError, type InventoryErrorKind } from '../../src/inventory/parse.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/inventory/${name}`, import.meta.url));

function errorOf(run: () => unknown): InventoryError {
  try {
    run();
  } catch (err) {
    if (err instanceof InventoryError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('loadInventory', () => {
  test.each([
    ['prod.yml', 18],
    ['datacenter.ini', 10],
    ['fleet-list.yml', 7],
    ['exported.yml', 10],
  ])('%s: read and parsed whatever its format (%d hosts)', (name, count) => {
    expect(loadInventory(fixture(name))).toHaveLength(count);
  });

  test.each<[string, InventoryErrorKind, string]>([
    ['errors/range-typo.ini', 'bad-range', ':3:4: bad range "[01:1O]"'],
    ['errors/group-loop.yml', 'group-loop', ':12:9: group "paris" contains itself (paris → europe → paris)'],
    ['errors/undeclared-child.ini', 'undeclared-group', ':11:1: [prod:children] names group "dbs", which is never declared'],
    ['errors/bad-port.yml', 'bad-port', ':7:23: ansible_port of host "db01.example.com" must be a port number (1-65535), not "ssh"'],
  ])('%s: %s at the real path', (name, kind, where) => {
    const err = errorOf(() => loadInventory(fixture(name)));
    expect(err.kind).toBe(kind);
    expect(err.message.startsWith(fixture(name) + where)).toBe(true);
  });

  test.each<[string, string, RegExp]>([
    ['a missing file', '/nonexistent/fleetstat/hosts.yml', /^\/nonexistent\/fleetstat\/hosts\.yml: cannot read the inventory: no such file$/],
    ['a directory', fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url)), /: cannot read the inventory: is a directory, not an inventory file$/],
  ])('%s: kind unreadable, the path named', (_what, path, message) => {
    const err = errorOf(() => loadInventory(path));
    expect(err.kind).toBe('unreadable');
    expect(err.message).toMatch(message);
  });
});

describe('readLimit', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-limit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('without @, the pattern split as Ansible splits it', () => {
    expect(readLimit('web:&prod:!db')).toEqual(['web', '&prod', '!db']);
  });

  test('@file: one pattern a line (a retry file), beside other patterns', () => {
    const file = join(dir, 'site.retry');
    writeFileSync(file, 'web01.example.com\n db02.example.com \n\n');
    expect(readLimit(`@${file},!db02.example.com`)).toEqual(['web01.example.com', 'db02.example.com', '', '', '!db02.example.com']);
  });

  test('@file that does not exist: unreadable, the path named', () => {
    const err = errorOf(() => readLimit(`@${join(dir, 'missing.retry')}`));
    expect(err.kind).toBe('unreadable');
    expect(err.message).toMatch(/missing\.retry: cannot read the limit file: no such file$/);
  });
});
