// parseInventory: Ansible YAML, the plain host list, format detection, the connection variables,
// and every error kind with its file:line:col. Ansible behaviour noted here was checked with
// ansible-core 2.14.18; where fleetstat is stricter, a comment says so.
import { readFileSync } from 'node:fs';
import { detectInventoryFormat, parseInventory, type InventoryErrorKind } from '../../src/inventory/parse.js';
import { inventoryErrorOf } from './inventory-error.js';

const errorOf = (text: string, file = 'inv.yml') => inventoryErrorOf(() => parseInventory(text, file));

const one = (text: string) => {
  const hosts = parseInventory(text, 'inv.yml');
  expect(hosts).toHaveLength(1);
  return hosts[0]!;
};

describe('parseInventory (Ansible YAML)', () => {
  test('the shipped local inventory: one local host, in `ungrouped` as Ansible\'s group_names says', () => {
    expect(parseInventory(readFileSync(new URL('../../inventory/local.yml', import.meta.url), 'utf8'), 'local.yml')).toEqual([
      { name: 'localhost', address: 'localhost', groups: ['ungrouped'], connection: 'local', become: false },
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

  test('a host in two groups is one host in both (group_names sorted, parents included)', () => {
    const hosts = parseInventory('b:\n  hosts:\n    h1:\na:\n  children:\n    a2:\n      hosts:\n        h1:\n', 'inv.yml');
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.groups).toEqual(['a', 'a2', 'b']);
  });

  test('a section may be one name instead of a mapping (`hosts: web01`, `children: web`)', () => {
    expect(parseInventory('all:\n  children: web\nweb:\n  hosts: web[1:2]\n', 'inv.yml').map((h) => [h.name, h.groups])).toEqual([
      ['web1', ['web']],
      ['web2', ['web']],
    ]);
  });

  test('YAML 1.1 as PyYAML reads it: on/off are booleans, y stays a name; merge keys apply', () => {
    const text = 'all:\n  vars:\n    base: &base\n      x: 1\n  hosts:\n    y:\n      ansible_become: on\n      <<: {ansible_port: 2201, ansible_user: merged}\n      ansible_user: own\n';
    expect(one(text)).toEqual({ name: 'y', address: 'y', port: 2201, user: 'own', groups: ['ungrouped'], connection: 'ssh', become: true });
  });

  test('a top-level group, a group under all, and hosts directly under all', () => {
    const hosts = parseInventory('web:\n  hosts:\n    w1:\nall:\n  hosts:\n    h0:\n  children:\n    db:\n      hosts:\n        d1:\n', 'inv.yml');
    // `ansible all --list-hosts` order: all's own hosts, then groups in the order they joined `all`
    // (db while the file is read; web, which no group claims, at the end)
    expect(hosts.map((h) => [h.name, h.groups])).toEqual([['h0', ['ungrouped']], ['d1', ['db']], ['w1', ['web']]]);
  });
});

describe('fleetstat\'s plain YAML list of hosts', () => {
  test('fixtures/inventory/fleet-list.yml: names, patterns, mappings with groups and vars', () => {
    const text = readFileSync(new URL('../../fixtures/inventory/fleet-list.yml', import.meta.url), 'utf8');
    expect(parseInventory(text, 'fleet-list.yml')).toEqual([
      { name: 'web01.example.com', address: 'web01.example.com', groups: ['ungrouped'], connection: 'ssh', become: false },
      { name: 'web02.example.com', address: 'web02.example.com', port: 2222, groups: ['ungrouped'], connection: 'ssh', become: false },
      { name: 'web03.example.com', address: 'web03.example.com', port: 2222, groups: ['ungrouped'], connection: 'ssh', become: false },
      { name: 'localhost', address: 'localhost', groups: ['ungrouped'], connection: 'local', become: false },
      { name: 'db01.example.com', address: '127.0.0.2', user: 'postgres', groups: ['db', 'prod'], connection: 'ssh', become: false },
      { name: 'cachea.example.com', address: 'cachea.example.com', groups: ['prod'], connection: 'ssh', become: true },
      { name: 'cacheb.example.com', address: 'cacheb.example.com', groups: ['prod'], connection: 'ssh', become: true },
    ]);
  });

  test('a flow mapping item: `- {name: web01, ansible_host: 127.0.0.2}`', () => {
    expect(parseInventory('- {name: web01, ansible_host: 127.0.0.2}\n', 'list.yml')).toEqual([
      { name: 'web01', address: '127.0.0.2', groups: ['ungrouped'], connection: 'ssh', become: false },
    ]);
  });
});

describe('detectInventoryFormat (by content, not by name)', () => {
  test.each([
    ['all:\n  hosts:\n', 'yaml'],
    ['# comment\n\n---\nall:\n', 'yaml'],
    ['- web01\n', 'yaml'],
    ['{"all": {"hosts": {"h": null}}}', 'yaml'],
    ['"my group":\n  hosts:\n', 'yaml'],
    ['[web]\nweb01\n', 'ini'],
    ['# comment\n[web:vars]\nx=1\n', 'ini'],
    ['; comment\nweb01\n', 'ini'],
    ['web01 ansible_host=127.0.0.2\n', 'ini'],
    ['web01:2222\n', 'ini'],
    ['localhost\n', 'ini'],
    ['::1\n', 'ini'],
  ])('%j → %s', (text, format) => {
    expect(detectInventoryFormat(text)).toBe(format);
  });

  test('an INI file named .yml is read as INI', () => {
    expect(parseInventory('[web]\nw1\n', 'hosts.yml').map((h) => h.groups)).toEqual([['web']]);
  });
});

describe('connection variables', () => {
  const host = (vars: string) => one(`all:\n  hosts:\n    h1:\n${vars.split('\n').map((l) => `      ${l}`).join('\n')}\n`);

  test.each([
    ['ssh', 'ssh'], ['local', 'local'], ['smart', 'ssh'], ['paramiko', 'ssh'], ['paramiko_ssh', 'ssh'],
    ['ansible.builtin.ssh', 'ssh'], ['ansible.builtin.local', 'local'],
  ])('ansible_connection: %s → %s', (value, connection) => {
    expect(host(`ansible_connection: ${value}`).connection).toBe(connection);
  });

  test.each([
    ['true', true], ['false', false], ['yes', true], ['no', false], ['on', true], ['off', false],
    ['"yes"', true], ['"True"', true], ['"false"', false], ['"y"', true], ['"n"', false], ['"t"', true], ['"f"', false],
    ['1', true], ['0', false], ['"1"', true], ['"0"', false], ['~', false],
  ])('ansible_become: %s → %s (Ansible\'s boolean())', (value, become) => {
    expect(host(`ansible_become: ${value}`).become).toBe(become);
  });

  test('ansible_ssh_host/_port/_user and ansible_ssh_private_key_file: alone, they are used', () => {
    expect(host('ansible_ssh_host: 127.0.0.3\nansible_ssh_port: "2202"\nansible_ssh_user: old\nansible_ssh_private_key_file: /k/old')).toEqual({
      name: 'h1', address: '127.0.0.3', port: 2202, user: 'old', identityFile: '/k/old', groups: ['ungrouped'], connection: 'ssh', become: false,
    });
  });

  test('with both names set the old ansible_ssh_* name wins, at any level (as ansible -vvv showed with 2.14.18)', () => {
    const text = `all:
  vars:
    ansible_ssh_host: 127.0.0.8
    ansible_ssh_user: old
  hosts:
    h1:
      ansible_host: 127.0.0.7
      ansible_user: new
      ansible_port: 2201
      ansible_ssh_port: 2202
      ansible_private_key_file: /k/new
      ansible_ssh_private_key_file: /k/old
`;
    expect(one(text)).toMatchObject({ address: '127.0.0.8', port: 2202, user: 'old', identityFile: '/k/old' });
  });

  test('ansible_private_key_file (the newer name) alone is the identity file', () => {
    expect(host('ansible_private_key_file: ~/.ssh/id_fleet').identityFile).toBe('~/.ssh/id_fleet');
  });

  test('an empty value is no value (Ansible skips None)', () => {
    expect(host('ansible_port:\nansible_user:\nansible_host:')).toEqual({ name: 'h1', address: 'h1', groups: ['ungrouped'], connection: 'ssh', become: false });
  });
});

describe('errors: one line, file:line:col, and their kind', () => {
  test.each<[string, string, string, InventoryErrorKind, RegExp]>([
    // YAML
    ['a YAML syntax error', 'inv.yml', 'all:\n  hosts:\n    h1: [\n', 'yaml-syntax', /^inv\.yml:4:1: YAML syntax error/],
    ['a duplicate key (Ansible keeps the last, with a warning)', 'inv.yml', 'all:\n  hosts:\n    h1:\n    h1:\n', 'structure', /^inv\.yml:4:5: duplicate key "h1"/],
    ['an empty file', 'inv.yml', '', 'empty', /^inv\.yml:1:1: the inventory is empty/],
    ['only comments', 'inv.yml', '# nothing yet\n', 'empty', /^inv\.yml:1:1: the inventory is empty/],
    ['no hosts at all', 'inv.yml', 'all:\n  vars:\n    x: 1\n', 'empty', /^inv\.yml:1:1: the inventory lists no hosts/],
    ['a scalar at the top', 'inv.yml', '--- just text\n', 'structure', /^inv\.yml:1:5: the inventory must be a mapping of groups/],
    ['an unknown group key (Ansible warns and skips it)', 'inv.yml', 'all:\n  host:\n    h1:\n', 'structure', /^inv\.yml:2:3: unknown key "host" in group "all"/],
    ['a group that is a list', 'inv.yml', 'web:\n  - h1\n', 'structure', /^inv\.yml:2:3: group "web" must be a mapping/],
    ['hosts as a list', 'inv.yml', 'web:\n  hosts:\n    - h1\n', 'structure', /^inv\.yml:3:5: "web\.hosts" must be a mapping/],
    ['a host whose value is not a mapping', 'inv.yml', 'web:\n  hosts:\n    h1: 2222\n', 'structure', /^inv\.yml:3:9: host "h1" must be a mapping of variables/],
    ['a number as a host name', 'inv.yml', 'web:\n  hosts:\n    1234:\n', 'structure', /^inv\.yml:3:5: host name 1234 must be a string \(quote it\)/],
    ['a plugin configuration', 'inv.yml', 'plugin: aws_ec2\nregions: [eu-west-1]\n', 'structure', /^inv\.yml:1:1: this is an inventory plugin's configuration \(plugin: aws_ec2\)/],
    ['a list item that is neither name nor mapping', 'inv.yml', '- [h1]\n', 'structure', /^inv\.yml:1:3: each item of a host list is a host name or a mapping/],
    ['a list mapping without name', 'inv.yml', '- ansible_host: 127.0.0.2\n', 'structure', /^inv\.yml:1:3: a host in a host list needs a `name`/],
    // ranges, pointing at the bracket
    ['a range whose begin is past its end (Ansible: no host, silently)', 'inv.yml', 'web:\n  hosts:\n    web[5:1]:\n', 'bad-range', /^inv\.yml:3:8: bad range "\[5:1\]" in host pattern "web\[5:1\]"/],
    ['a range with a letter in a number', 'inv.yml', 'web:\n  hosts:\n    web[01:3a].example.com:\n', 'bad-range', /^inv\.yml:3:8: bad range "\[01:3a\]"/],
    ['a quoted key: the key is named', 'inv.yml', 'web:\n  hosts:\n    "web[01:3a]":\n', 'bad-range', /^inv\.yml:3:5: bad range/],
    ['a range of more than 100000 hosts', 'inv.yml', 'web:\n  hosts:\n    web[1:100001]:\n', 'too-many-hosts', /^inv\.yml:3:8: host pattern "web\[1:100001\]" expands to more than 100000 hosts/],
    // groups
    ['a group that contains itself', 'inv.yml', 'web:\n  children:\n    web:\n', 'group-loop', /^inv\.yml:3:5: group "web" contains itself/],
    ['a loop through two groups', 'inv.yml', 'a:\n  children:\n    b:\nb:\n  children:\n    a:\n      hosts:\n        h1:\n', 'group-loop', /^inv\.yml:6:5: group "b" contains itself \(b → a → b\)/],
    // a variable of a group (a host's bad variable only keeps that host from being contacted: below)
    ['a group priority that is no number', 'inv.yml', 'web:\n  vars:\n    ansible_group_priority: high\n  hosts:\n    h1:\n', 'bad-value', /^inv\.yml:3:29: ansible_group_priority of group "web" must be a whole number/],
    // INI
    ['an INI section of unknown type', 'hosts', '[web:child]\nw1\n', 'ini-syntax', /^hosts:1:1: section \[web:child\] has an unknown type "child"/],
    ['an INI section with a space', 'hosts', 'w0\n[web servers]\n', 'ini-syntax', /^hosts:2:1: invalid section "\[web servers\]"/],
    ['an INI host var without =', 'hosts', '[web]\nw1 ansible_port=22 become\n', 'ini-syntax', /^hosts:2:20: expected key=value after the host name, got "become"/],
    ['an INI quote never closed', 'hosts', '[web]\n  w1 ansible_user="deploy\n', 'ini-syntax', /^hosts:2:19: no closing quotation/],
    ['an INI [g:vars] line without =', 'hosts', '[web]\nw1\n[web:vars]\nansible_user deploy\n', 'ini-syntax', /^hosts:4:1: expected key=value in \[web:vars\]/],
    ['an INI children line that is no group name', 'hosts', '[web]\nw1\n[prod:children]\nweb db\n', 'ini-syntax', /^hosts:4:1: expected a group name in \[prod:children\], got "web db"/],
    ['an INI host ending in a colon', 'hosts', '[web]\nw1:\n', 'ini-syntax', /^hosts:2:1: host "w1:" ends in ":" without a port/],
    ['an INI range error points at the bracket', 'hosts', '[web]\n  web[5:1].example.com\n', 'bad-range', /^hosts:2:6: bad range "\[5:1\]"/],
    ['an INI children group never declared', 'hosts', '[web]\nw1\n[prod:children]\nweb\ndb\n', 'undeclared-group', /^hosts:5:1: \[prod:children\] names group "db", which is never declared/],
    ['an INI [g:vars] for a group never declared', 'hosts', '[web]\nw1\n[db:vars]\nx=1\n', 'undeclared-group', /^hosts:3:1: \[db:vars\] is for a group that is never declared/],
    ['an INI group that contains itself', 'hosts', '[a:children]\na\n[a]\nh\n', 'group-loop', /^hosts:2:1: group "a" contains itself/],
    ['an INI loop through two groups', 'hosts', '[a:children]\nb\n[b:children]\na\n[b]\nh\n', 'group-loop', /^hosts:4:1: group "b" contains itself \(b → a → b\)/],
    ['an INI file with sections but no host', 'hosts', '[web]\n[web:vars]\nx=1\n', 'empty', /^hosts:1:1: the inventory lists no hosts/],
  ])('%s', (_what, file, text, kind, message) => {
    const err = errorOf(text, file);
    expect(err.kind).toBe(kind);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });

  test('control characters from the file are escaped, so the message stays one line', () => {
    const err = errorOf('all:\n  hosts:\n    "a\tb":\n    "a\tb":\n');
    expect(err.message).toMatch(/^inv\.yml:4:5: duplicate key "a\\tb"/);
  });
});

describe('a host that cannot be reached as written: not an error, that host is not contacted', () => {
  // Ansible reads the whole inventory and fails only the tasks of the host with the bad value
  // (ansible-playbook, 2.14.18: "fatal: [h1]: FAILED! => the field 'port' has an invalid value"), the
  // other hosts run. So here: the host gets notContactedBecause, the others are untouched.
  test.each<[string, string, string, RegExp]>([
    ['a bad port', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_port: http\n    h2:\n', /^inv\.yml:4:21: ansible_port of host "h1" must be a port number \(1-65535\), not "http"$/],
    ['a port out of range', 'inv.yml', 'web:\n  vars:\n    ansible_ssh_port: 70000\n  hosts:\n    h1:\nall:\n  hosts:\n    h2:\n', /^inv\.yml:3:23: ansible_ssh_port of host "h1" must be a port number \(1-65535\), not 70000$/],
    ['a port in a group, named for the host that gets it', 'inv.yml', 'web:\n  vars:\n    ansible_port: 0\n  hosts:\n    h1:\nx:\n  hosts:\n    h2:\n', /^inv\.yml:3:19: ansible_port of host "h1"/],
    ['an unknown connection', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_connection: winrm\n    h2:\n', /^inv\.yml:4:27: ansible_connection of host "h1" is "winrm": fleetstat reaches hosts only over ssh .* or local$/],
    ['become that is no boolean', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_become: maybe\n    h2:\n', /^inv\.yml:4:23: ansible_become of host "h1" must be a boolean/],
    ['a templated address', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_host: "{{ inventory_hostname }}.corp"\n    h2:\n', /^inv\.yml:4:21: ansible_host of host "h1" is a Jinja2 template \("\{\{ inventory_hostname \}\}\.corp"\); fleetstat does not evaluate templates$/],
    ['a templated port ({% %})', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_port: "{% if x %}22{% endif %}"\n    h2:\n', /^inv\.yml:4:21: ansible_port of host "h1" is a Jinja2 template/],
    ['a templated become ({# #})', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_become: "{# x #}yes"\n    h2:\n', /^inv\.yml:4:23: ansible_become of host "h1" is a Jinja2 template/],
    ['a user that is a mapping', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_user: {name: x}\n    h2:\n', /^inv\.yml:4:21: ansible_user of host "h1" must be a string, not a mapping$/],
    ['a user encrypted with Ansible Vault', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_user: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6231\n    h2:\n', /^inv\.yml:4:28: ansible_user of host "h1" is encrypted with Ansible Vault \(!vault\); fleetstat does not decrypt it$/],
    ['a become method other than sudo', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_become: yes\n      ansible_become_method: doas\n    h2:\n', /^inv\.yml:5:30: ansible_become_method of host "h1" is "doas": fleetstat becomes root only with sudo -n$/],
    ['an ssh wrapper', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_ssh_executable: tsh\n    h2:\n', /^inv\.yml:4:31: ansible_ssh_executable of host "h1" is "tsh": fleetstat speaks SSH itself/],
    ['ssh args that shlex cannot split', 'inv.yml', "all:\n  hosts:\n    h1:\n      ansible_ssh_extra_args: '-o \"User=x'\n    h2:\n", /^inv\.yml:4:31: ansible_ssh_extra_args of host "h1" cannot be split into words as Ansible splits it: no closing quotation/],
    ['an INI bad port, at the value', 'hosts', '[web]\nw1 ansible_port=ssh\nh2\n', /^hosts:2:17: ansible_port of host "w1" must be a port number \(1-65535\), not "ssh"$/],
    ['two problems, both said', 'inv.yml', 'all:\n  hosts:\n    h1:\n      ansible_port: x\n      ansible_connection: docker\n    h2:\n', /^inv\.yml:4:21: ansible_port .*; inv\.yml:5:27: ansible_connection of host "h1" is "docker"/],
  ])('%s', (_what, file, text, reason) => {
    const hosts = parseInventory(text, file);
    expect(hosts.find((h) => h.name !== 'h2')!.notContactedBecause).toMatch(reason);
    expect(hosts.find((h) => h.name === 'h2')!.notContactedBecause).toBeUndefined();
  });

  test('control characters in the value are escaped, so the reason stays one line', () => {
    const [host] = parseInventory('[web]\nw1 ansible_port="a\tb"\n', 'hosts');
    expect(host!.notContactedBecause).toBe('hosts:2:4: ansible_port of host "w1" must be a port number (1-65535), not "a\\tb"');
  });

  test('ssh arguments of a local host are not read (the local connection runs no ssh)', () => {
    const [host] = parseInventory("all:\n  hosts:\n    here:\n      ansible_connection: local\n      ansible_ssh_common_args: '-o \"broken'\n", 'inv.yml');
    expect(host).toEqual({ name: 'here', address: 'here', groups: ['ungrouped'], connection: 'local', become: false });
  });

  test('!unsafe text is never a template: its braces are text (and ssh_config refuses them as a name later)', () => {
    const [host] = parseInventory('all:\n  hosts:\n    h1:\n      ansible_host: !unsafe "a{{b}}"\n', 'inv.yml');
    expect([host!.address, host!.notContactedBecause]).toEqual(['a{{b}}', undefined]);
  });
});
