// loadInventory and readLimit: the file I/O (files, inventory directories, scripts refused), dispatching
// on content, and errors that name the real path.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInventory, readLimit } from '../../src/inventory/load.js';
import type { InventoryErrorKind } from '../../src/inventory/parse.js';
import { inventoryErrorOf } from './inventory-error.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/inventory/${name}`, import.meta.url));

const errorOf = inventoryErrorOf;

describe('loadInventory', () => {
  test.each([
    ['prod.yml', 18],
    ['datacenter.ini', 10],
    ['fleet-list.yml', 7],
    ['exported.yml', 10],
    ['layered-list.json', 5],
    ['site', 5],
  ])('%s: read and parsed whatever its format (%d hosts)', (name, count) => {
    expect(loadInventory(fixture(name)).hosts).toHaveLength(count);
  });

  test('with --limit patterns: only the selected hosts, and the patterns that matched none', () => {
    const loaded = loadInventory(fixture('layered/hosts.yml'), ['db', 'nosuch', '!web03']);
    expect([loaded.hosts.map((h) => h.name), loaded.unmatched]).toEqual([['db01'], ['nosuch']]);
  });

  test.each<[string, InventoryErrorKind, string]>([
    ['errors/range-typo.ini', 'bad-range', ':3:4: bad range "[01:1O]"'],
    ['errors/group-loop.yml', 'group-loop', ':12:9: group "paris" contains itself (paris → europe → paris)'],
    ['errors/undeclared-child.ini', 'undeclared-group', ':11:1: [prod:children] names group "dbs", which is never declared'],
  ])('%s: %s at the real path', (name, kind, where) => {
    const err = errorOf(() => loadInventory(fixture(name)));
    expect(err.kind).toBe(kind);
    expect(err.message.startsWith(fixture(name) + where)).toBe(true);
  });

  test('a missing file: kind unreadable, the path named', () => {
    const err = errorOf(() => loadInventory('/nonexistent/fleetstat/hosts.yml'));
    expect(err.kind).toBe('unreadable');
    expect(err.message).toBe('/nonexistent/fleetstat/hosts.yml: cannot read the inventory: no such file');
  });
});

describe('an inventory directory, read as Ansible reads one', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-invdir-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const put = (name: string, text: string, mode = 0o644): string => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { mode });
    return path;
  };
  const names = () => loadInventory(dir).hosts.map((h) => h.name);

  test('every file in sorted order into one inventory; subdirectories too; a group declared by an earlier file', () => {
    put('b.yml', 'web:\n  hosts:\n    w1:\n');
    put('a', '[db]\nd1\n');
    put('c/d', '[prod:children]\nweb\ndb\n');
    const hosts = loadInventory(dir).hosts;
    // `ansible all -i DIR --list-hosts` (2.14.18) prints w1, d1: prod's children in its order
    expect(hosts.map((h) => [h.name, h.groups])).toEqual([['w1', ['prod', 'web']], ['d1', ['db', 'prod']]]);
  });

  test.each([
    ['hidden', '.hidden.yml'], ['INI (INVENTORY_IGNORE_EXTS)', 'hosts.ini'], ['markdown', 'README.md'], ['a backup', 'hosts.yml~'],
    ['a .bak', 'hosts.bak'], ['a .retry', 'site.retry'], ['a .cfg', 'ansible.cfg'], ['a .txt', 'notes.txt'], ['an .orig', 'hosts.orig'],
    ['a .swp', '.hosts.swp'], ['a .rst', 'doc.rst'], ['group_vars', 'group_vars/x'], ['host_vars', 'host_vars/x'], ['vars_plugins', 'vars_plugins/x'],
  ])('%s is skipped (%s)', (_what, name) => {
    put('hosts.yml', 'all:\n  hosts:\n    kept:\n');
    put(name, '[skipped]\nnever\n');
    expect(names()).toEqual(['kept']);
  });

  test('a file that parses as no format is an error naming it (Ansible warns and skips it)', () => {
    put('a.yml', 'all:\n  hosts:\n    h1:\n');
    const notes = put('notes', 'hello\nworld: x y\n');
    const err = errorOf(() => loadInventory(dir));
    expect([err.kind, err.message]).toEqual(['ini-syntax', `${notes}:2:1: host "world:" ends in ":" without a port`]);
  });

  test('no host in any file: kind empty, the directory named', () => {
    put('a.yml', 'web:\n  vars:\n    x: 1\n');
    const err = errorOf(() => loadInventory(dir));
    expect([err.kind, err.message]).toEqual(['empty', `${dir}: no file of the inventory directory lists a host`]);
  });

  test('a FIFO in the directory is an error, not a hang', () => {
    put('a.yml', 'all:\n  hosts:\n    h1:\n');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const err = errorOf(() => loadInventory(dir));
    expect([err.kind, err.message]).toEqual(['unreadable', `${join(dir, 'pipe')}: not a regular file (a FIFO, socket or device) in the inventory directory`]);
  });

  test('a directory loop (a symlink to a parent) is an error, not a hang', () => {
    put('a.yml', 'all:\n  hosts:\n    h1:\n');
    symlinkSync(dir, join(dir, 'loop'));
    const err = errorOf(() => loadInventory(dir));
    expect([err.kind, err.message]).toEqual(['unreadable', `${join(dir, 'loop')}: a directory loop in the inventory (or more than 32 levels)`]);
  });
});

describe('inventory scripts are never run', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-script-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['a script as the inventory', ''],
    ['a script inside an inventory directory', 'inv'],
  ])('%s: kind script, and it did not run', (_what, sub) => {
    const base = join(dir, sub || 'single');
    mkdirSync(base, { recursive: true });
    const marker = join(base, 'ran');
    const script = join(base, 'ec2.py');
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\necho '{}'\n`, { mode: 0o755 });
    const err = errorOf(() => loadInventory(sub ? base : script));
    expect(err.kind).toBe('script');
    expect(err.message).toMatch(new RegExp(`^${script.replace(/[.]/g, '\\.')}:1:1: an inventory script .*ansible-inventory -i FILE --list > hosts\\.json`));
    expect(existsSync(marker)).toBe(false);
  });

  test('a file starting with #! that is not executable is read by its content (an INI comment)', () => {
    const path = join(dir, 'hosts');
    writeFileSync(path, '#!/bin/false\n[web]\nw1\n', { mode: 0o644 });
    expect(loadInventory(path).hosts.map((h) => h.name)).toEqual(['w1']);
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

test('each host carries the file, line and column that first names it (where check anchors its findings)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetstat-places-'));
  writeFileSync(join(dir, 'a.ini'), '[web]\nweb1 ansible_host=127.0.0.1\n\n[db]\ndb1\nweb1\n');
  writeFileSync(join(dir, 'b.yml'), 'all:\n  hosts:\n    web1:\n    cache1:\n      ansible_host: 127.0.0.2\n');
  const places = (file: string) => Object.fromEntries(loadInventory(join(dir, file)).hosts.map((h) => [h.name, h.definedAt]));
  expect(places('a.ini')).toEqual({ web1: { file: join(dir, 'a.ini'), line: 2, column: 1 }, db1: { file: join(dir, 'a.ini'), line: 5, column: 1 } });
  expect(places('b.yml')).toEqual({ web1: { file: join(dir, 'b.yml'), line: 3, column: 5 }, cache1: { file: join(dir, 'b.yml'), line: 4, column: 5 } });
  rmSync(dir, { recursive: true });
});
