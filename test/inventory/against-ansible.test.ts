// Every fixture in fixtures/inventory/ against what Ansible itself made of it: FILE.ansible.json was
// written by fixtures/inventory/tools/ansible-truth.py with ansible-core 2.14.18 (Debian bookworm),
// using Ansible's own InventoryManager and VariableManager. These tests only read those JSON files;
// they never run Ansible.
import { readFileSync } from 'node:fs';
import { parseInventory, parseInventoryGraph } from '../../src/inventory/parse.js';
import { selectHosts } from '../../src/inventory/limit.js';
import { hostVars } from '../../src/inventory/vars.js';
import type { HostSpec } from '../../src/model/index.js';

const dir = new URL('../../fixtures/inventory/', import.meta.url);

interface Truth {
  ansible: string;
  hosts: Array<{ name: string; groups: string[]; vars: Record<string, unknown> }>;
  limits: Record<string, { hosts: string[] | { error: string }; warned: string[] }>;
}

const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const truthOf = (name: string): Truth => JSON.parse(read(`${name}.ansible.json`)) as Truth;

/**
 * What the connection plugins make of Ansible's merged vars: the old `ansible_ssh_*` name wins over
 * the new one when both are set (config/manager.py _loop_entries: last listed wins), the name is the
 * address when neither is set, become goes through Ansible's boolean().
 */
function expectedSpec(host: Truth['hosts'][number]): HostSpec {
  const v = host.vars;
  const either = (newName: string, oldName: string): unknown => v[oldName] ?? v[newName];
  const port = either('ansible_port', 'ansible_ssh_port');
  const user = either('ansible_user', 'ansible_ssh_user');
  const key = either('ansible_private_key_file', 'ansible_ssh_private_key_file');
  const connection = v.ansible_connection === 'local' ? 'local' : 'ssh';
  const become = v.ansible_become;
  return {
    name: host.name,
    address: String(either('ansible_host', 'ansible_ssh_host') ?? host.name),
    ...(port === undefined ? {} : { port: Number(port) }),
    ...(user === undefined ? {} : { user: String(user) }),
    ...(key === undefined ? {} : { identityFile: String(key) }),
    groups: host.groups,
    connection,
    become: become === true || (typeof become === 'string' && ['yes', 'true', 'on', '1', 'y', 't'].includes(become.toLowerCase())),
  };
}

describe.each(['prod.yml', 'datacenter.ini', 'precedence.yml', 'exported.yml', 'name-clash.ini'])('%s, as ansible-core 2.14.18 reads it', (file) => {
  const truth = truthOf(file);
  const text = read(file);
  const hosts = parseInventory(text, file);

  test('the truth file is from the Ansible version the comments name', () => {
    expect(truth.ansible).toBe('2.14.18');
  });

  test('the same hosts, in the order `ansible all --list-hosts` prints them', () => {
    expect(hosts.map((h) => h.name)).toEqual(truth.hosts.map((h) => h.name));
  });

  test('each host: group_names and connection settings after Ansible\'s precedence', () => {
    expect(hosts).toEqual(truth.hosts.map(expectedSpec));
  });

  test('each host: the free variables that show which layer won (winner, role, tier, site, note)', () => {
    const graph = parseInventoryGraph(text, file);
    for (const host of truth.hosts) {
      const merged = hostVars(graph, graph.hosts.get(host.name)!);
      for (const key of ['winner', 'role', 'tier', 'site', 'note']) {
        expect([host.name, key, merged.get(key)?.value]).toEqual([host.name, key, host.vars[key]]);
      }
    }
  });

  const limits = Object.entries(truth.limits);
  if (limits.length > 0) {
    test.each(limits)('--limit %s selects what Ansible selects', (pattern, expected) => {
      const selection = selectHosts(hosts, pattern);
      if (Array.isArray(expected.hosts)) {
        expect(selection.hosts.map((h) => h.name)).toEqual(expected.hosts);
        // Ansible warns with the pattern less its `!`/`&`; we give it back as written
        expect(selection.unmatched.map((p) => p.replace(/^[!&]/, ''))).toEqual(expected.warned);
      } else {
        // Ansible stops on an index past the end ("No hosts matched the subscripted pattern"); we report it unmatched
        expect(selection).toEqual({ hosts: [], unmatched: [pattern] });
      }
    });
  }
});

test('exported.yml (written by `ansible-inventory -i datacenter.ini --list --yaml`) gives the hosts datacenter.ini gives', () => {
  const fromIni = parseInventory(read('datacenter.ini'), 'datacenter.ini');
  const fromExport = parseInventory(read('exported.yml'), 'exported.yml');
  const byName = (a: HostSpec, b: HostSpec): number => a.name.localeCompare(b.name);
  expect([...fromExport].sort(byName)).toEqual([...fromIni].sort(byName));
});
