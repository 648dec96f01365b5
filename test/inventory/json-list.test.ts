// The JSON `ansible-inventory --list` prints, read as Ansible's script plugin reads an inventory
// script's output (the saved exports layered-list.json and site-export.json are compared with
// Ansible in against-ansible.test.ts). Checked with ansible-core 2.14.18 through a script that prints
// the same JSON; where Ansible reads something odd and fleetstat refuses it, the test says so.
import { parseInventory } from '../../src/inventory/parse.js';
import { inventoryErrorOf } from './inventory-error.js';

const hostsOf = (json: string) => parseInventory(json, 'list.json').map((h) => [h.name, h.groups, h.address, h.port ?? null, h.user ?? null]);

const errorOf = (json: string) => inventoryErrorOf(() => parseInventory(json, 'list.json'));

describe('told apart from a YAML inventory written as JSON, by content', () => {
  test.each([
    ['a top-level _meta', '{"_meta": {"hostvars": {}}, "web": {"hosts": ["w1"]}}'],
    ['a group whose hosts are a list', '{"web": {"hosts": ["w1"]}}'],
    ['a group that is a list of hosts', '{"web": ["w1"]}'],
    ['children as a list', '{"all": {"children": ["web"]}, "web": {"hosts": ["w1"]}}'],
  ])('%s: the --list shape', (_what, json) => {
    expect(hostsOf(json)).toEqual([['w1', ['web'], 'w1', null, null]]);
  });

  test('hosts as a mapping: a YAML inventory in JSON (Ansible\'s yaml plugin reads .json files), ranges expanded', () => {
    expect(hostsOf('{"web": {"hosts": {"w[1:2]": {"ansible_port": 2201}}}}')).toEqual([
      ['w1', ['web'], 'w1', 2201, null],
      ['w2', ['web'], 'w2', 2201, null],
    ]);
  });

  test('the --list shape written as YAML is not read as --list output (Ansible refuses it too)', () => {
    expect(errorOf('web:\n  hosts: [w1]\n').message).toBe('list.json:2:10: "web.hosts" must be a mapping (names as keys, e.g. "web01:"), not a list');
  });
});

describe('read as Ansible reads a script\'s output', () => {
  test('hostvars go to hosts some group lists; names taken as written; a mapping without hosts/vars/children is a host of its name', () => {
    const json = JSON.stringify({
      _meta: { hostvars: { w1: { ansible_port: 2201 }, ghost: { ansible_port: 1 }, db01: { ansible_user: 'hv' } } },
      all: { children: ['ungrouped', 'web', 'db01'] },
      web: ['w1', 'w[1:2]', 'a:22'],
      db01: { ansible_host: '127.0.0.2', ansible_user: 'gv' },
    });
    // ansible-inventory -i SCRIPT --list: the same four hosts; db01's hostvars beat its group's vars
    expect(hostsOf(json)).toEqual([
      ['w1', ['web'], 'w1', 2201, null],
      ['w[1:2]', ['web'], 'w[1:2]', null, null],
      ['a:22', ['web'], 'a:22', null, null],
      ['db01', ['db01'], '127.0.0.2', null, 'hv'],
    ]);
  });

  test('group vars and children (the --export shape), with group precedence as usual', () => {
    const json = JSON.stringify({
      _meta: { hostvars: {} },
      all: { children: ['prod'], vars: { ansible_user: 'all' } },
      prod: { children: ['web'], vars: { ansible_user: 'prod', ansible_port: 2000 } },
      web: { hosts: ['w1'], vars: { ansible_port: 2222 } },
    });
    expect(hostsOf(json)).toEqual([['w1', ['prod', 'web'], 'w1', 2222, 'prod']]);
  });

  test.each([
    ['hosts that are not a list (Ansible: "bad data for the host list")', '{"_meta": {}, "web": {"hosts": "a"}}', 'list.json:1:32: the hosts of group "web" must be a list of host names'],
    ['a group that is null', '{"_meta": {}, "web": null}', 'list.json:1:22: the hosts of group "web" must be a list of host names'],
    ['hostvars that are not a mapping', '{"_meta": {"hostvars": []}, "web": ["a"]}', 'list.json:1:24: "_meta.hostvars" must be a mapping of host names to their variables'],
    ['a host\'s vars that are not a mapping', '{"_meta": {"hostvars": {"a": [1]}}, "web": ["a"]}', 'list.json:1:30: the hostvars of "a" must be a mapping of variables'],
    ['group vars that are not a mapping', '{"_meta": {}, "web": {"hosts": ["a"], "vars": [1]}}', 'list.json:1:47: the vars of group "web" must be a mapping'],
    // Ansible iterates the string's letters into groups "d" and "b"; fleetstat refuses it
    ['children that are not a list', '{"_meta": {}, "web": {"hosts": ["a"], "children": "db"}}', 'list.json:1:51: the children of group "web" must be a list of group names'],
    ['a host name that is not a string', '{"_meta": {}, "web": [22]}', 'list.json:1:23: host name 22 must be a string (quote it)'],
  ])('%s: an error at file:line:col', (_what, json, message) => {
    const err = errorOf(json);
    expect([err.kind, err.message]).toEqual(['structure', message]);
  });
});
