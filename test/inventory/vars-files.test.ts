// group_vars/ and host_vars/ beside the inventory, as Ansible's host_group_vars plugin finds them
// (fixtures/inventory/layered/ and site/ are the same against Ansible's own answers: against-ansible).
// What Ansible does was checked with ansible-core 2.14.18 (ansible-inventory --list / ansible-playbook);
// where it cannot be followed (a vault file, a directory loop) the test says what fleetstat does instead.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadInventory } from '../../src/inventory/load.js';
import { inventoryErrorOf } from './inventory-error.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetstat-vars-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const put = (name: string, text: string): string => {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
};
const INVENTORY = 'web:\n  hosts:\n    w1:\ndb:\n  hosts:\n    d1:\n';
const portsOf = (limit: string[] = []) => loadInventory(put('hosts.yml', INVENTORY), limit).hosts.map((h) => [h.name, h.port]);

const errorOf = inventoryErrorOf;

describe('which file is read for a name', () => {
  test.each([
    ['NAME without extension before NAME.yml', ['web', 'web.yml'], 'web'],
    ['NAME.yml before NAME.yaml', ['web.yaml', 'web.yml'], 'web.yml'],
    ['NAME.yaml before NAME.json', ['web.json', 'web.yaml'], 'web.yaml'],
    ['NAME.json alone', ['web.json'], 'web.json'],
  ])('%s: only the first that exists counts', (_what, files, winner) => {
    files.forEach((f, i) => put(`group_vars/${f}`, `{"ansible_port": ${2200 + i}, "note": "${f}"}`));
    expect(portsOf()).toEqual([['w1', 2200 + files.indexOf(winner)], ['d1', undefined]]);
  });

  test('a directory NAME/ beats NAME.yml; in it: sorted, recursive, hidden and backup names and other extensions skipped', () => {
    put('group_vars/web.yml', 'ansible_port: 1001\n');
    put('group_vars/web/a.yml', 'ansible_port: 1002\nansible_user: a\n');
    put('group_vars/web/b/c.yml', 'ansible_port: 1003\n');
    put('group_vars/web/b.d/x.yml', 'ansible_port: 1004\n'); // a directory with an extension: skipped
    put('group_vars/web/c.txt', 'ansible_port: 1005\n');
    put('group_vars/web/.d.yml', 'ansible_port: 1006\n');
    put('group_vars/web/e.yml~', 'ansible_port: 1007\n');
    put('group_vars/web/f', 'ansible_user: f\n'); // no extension: read, last
    const [w1] = loadInventory(put('hosts.yml', INVENTORY)).hosts;
    expect([w1!.port, w1!.user]).toEqual([1003, 'f']);
  });

  test('beside an INI inventory too, and host_vars over group_vars over the inventory file', () => {
    put('group_vars/all.yml', 'ansible_user: all\nansible_port: 2001\n');
    put('host_vars/w1.yaml', 'ansible_port: 2002\n');
    const hosts = loadInventory(put('hosts', '[web]\nw1 ansible_port=2000 ansible_user=inline\n[db]\nd1\n')).hosts;
    expect(hosts.map((h) => [h.name, h.port, h.user])).toEqual([['w1', 2002, 'inline'], ['d1', 2001, 'all']]);
  });

  test('a JSON vars file is read as JSON (as Ansible tries JSON first): 1e3 is a number, not YAML 1.1 text', () => {
    put('group_vars/web.json', '{"ansible_port": 1e3}');
    expect(portsOf()).toEqual([['w1', 1000], ['d1', undefined]]);
  });

  test('a host named like a path (Ansible\'s chroot names) has no host_vars', () => {
    put('host_vars/srv/chroot.yml', 'ansible_port: 2300\n');
    put('host_vars/rel/chroot.yml', 'ansible_port: 2301\n');
    const hosts = loadInventory(put('hosts.yml', 'all:\n  hosts:\n    /srv/chroot:\n    rel/chroot:\n')).hosts;
    expect(hosts.map((h) => [h.name, h.port])).toEqual([['/srv/chroot', undefined], ['rel/chroot', 2301]]);
  });
});

describe('a vars file is read only when a selected host needs it, as Ansible reads them', () => {
  test('a broken group_vars file: an error naming file:line:col when a host of that group is selected', () => {
    const broken = put('group_vars/db.yml', 'ansible_port: [\n');
    const err = errorOf(() => portsOf());
    expect([err.kind, err.message]).toEqual(['yaml-syntax', `${broken}:2:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`]);
  });

  test('… and no error when --limit leaves that group out (ansible-playbook -l w1 runs)', () => {
    put('group_vars/db.yml', 'ansible_port: [\n');
    expect(portsOf(['web'])).toEqual([['w1', undefined]]);
  });

  test('a group the inventory does not have: its file is never read', () => {
    put('group_vars/ghost.yml', '{{{\n');
    expect(portsOf()).toEqual([['w1', undefined], ['d1', undefined]]);
  });

  test('a vars file that is not a mapping: an error (Ansible: "failed to combine variables, expected dicts")', () => {
    const list = put('host_vars/d1.yml', '- ansible_port: 22\n');
    const err = errorOf(() => portsOf());
    expect([err.kind, err.message]).toEqual(['structure', `${list}:1:1: a vars file must be a mapping of variables (name: value)`]);
  });

  test('an empty vars file adds nothing', () => {
    put('group_vars/web.yml', '# nothing yet\n');
    expect(portsOf()).toEqual([['w1', undefined], ['d1', undefined]]);
  });
});

describe('what cannot be read is said, and the hosts are still scanned', () => {
  test('a file encrypted with Ansible Vault: skipped with a warning (fleetstat has no vault password)', () => {
    const vault = put('group_vars/all/vault.yml', '$ANSIBLE_VAULT;1.1;AES256\n6231336539\n');
    put('group_vars/all/main.yml', 'ansible_port: 2400\n');
    const loaded = loadInventory(put('hosts.yml', INVENTORY));
    expect(loaded.hosts.map((h) => h.port)).toEqual([2400, 2400]);
    expect(loaded.warnings).toEqual([`${vault}: encrypted with Ansible Vault, which fleetstat does not decrypt: not read (if it sets how to reach hosts, they are reached without it)`]);
  });

  test('group_vars that is a file, not a directory: skipped with a warning, as Ansible warns', () => {
    const file = put('group_vars', 'ansible_port: 2500\n');
    const loaded = loadInventory(put('hosts.yml', INVENTORY));
    expect([loaded.hosts.map((h) => h.port), loaded.warnings]).toEqual([[undefined, undefined], [`${file}: not a directory, skipped (as Ansible skips it)`]]);
  });

  test('a FIFO where a vars file would be: a warning, not a hang', () => {
    mkdirSync(join(dir, 'group_vars'));
    execFileSync('mkfifo', [join(dir, 'group_vars/web')]);
    const loaded = loadInventory(put('hosts.yml', INVENTORY));
    expect(loaded.warnings).toEqual([`${join(dir, 'group_vars/web')}: not a regular file (a FIFO, socket or device), not read`]);
  });

  test('a symlink loop inside group_vars/NAME/: a warning, not a hang', () => {
    put('group_vars/web/a.yml', 'ansible_port: 2600\n');
    symlinkSync(join(dir, 'group_vars/web'), join(dir, 'group_vars/web/again'));
    const loaded = loadInventory(put('hosts.yml', INVENTORY));
    expect(loaded.hosts[0]!.port).toBe(2600);
    expect(loaded.warnings).toEqual([`${join(dir, 'group_vars/web/again')}: a directory loop (or more than 32 levels), not read`]);
  });
});
