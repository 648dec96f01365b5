import { InventoryError, parseInventory } from '../../src/inventory/parse.js';

function errorOf(text: string): InventoryError {
  try {
    parseInventory(text, 'inv.yml');
  } catch (err) {
    if (err instanceof InventoryError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('parseInventory (YAML)', () => {
  test('the shipped local inventory: one local host', () => {
    expect(parseInventory('all:\n  hosts:\n    localhost:\n      ansible_connection: local\n', 'local.yml')).toEqual([
      { name: 'localhost', address: 'localhost', groups: [], connection: 'local', become: false },
    ]);
  });

  test('groups, children, and vars precedence: host over child group over parent group', () => {
    const text = `
all:
  vars:
    ansible_user: deploy
    ansible_port: 2222
  children:
    web:
      vars:
        ansible_port: 2200
      hosts:
        web01:
          ansible_host: 127.0.0.11
        web02:
          ansible_port: 22
    db:
      hosts:
        db01:
          ansible_become: true
`;
    const hosts = parseInventory(text, 'inv.yml');
    expect(hosts.map((h) => [h.name, h.address, h.port, h.user, h.groups, h.become])).toEqual([
      ['web01', '127.0.0.11', 2200, 'deploy', ['web'], false],
      ['web02', 'web02', 22, 'deploy', ['web'], false],
      ['db01', 'db01', 2222, 'deploy', ['db'], true],
    ]);
  });

  test('a host in two groups is one host in both', () => {
    const hosts = parseInventory('a:\n  hosts:\n    h1:\nb:\n  hosts:\n    h1:\n', 'inv.yml');
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.groups).toEqual(['a', 'b']);
  });

  test.each([
    ['a YAML syntax error', 'all:\n  hosts:\n    h1: [\n', /^inv\.yml:4:1: YAML syntax error/],
    ['a bad port', 'all:\n  hosts:\n    h1:\n      ansible_port: http\n', /^inv\.yml:4:21: ansible_port of host "h1" must be a port number/],
    ['an unknown connection', 'all:\n  hosts:\n    h1:\n      ansible_connection: winrm\n', /^inv\.yml:4:27: connection of host "h1" must be ssh or local/],
    ['an unknown group key', 'all:\n  host:\n    h1:\n', /^inv\.yml:2:3: unknown key "host" in group "all"/],
    ['no hosts at all', 'all:\n  vars:\n    x: 1\n', /^inv\.yml:1:1: the inventory lists no hosts/],
    ['an empty file', '', /^inv\.yml:1:1: the inventory is empty/],
    ['a list at the top', '- h1\n- h2\n', /^inv\.yml:1:1: the inventory must be a mapping/],
  ])('%s names file:line:col', (_what, text, message) => {
    const err = errorOf(text);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });
});
