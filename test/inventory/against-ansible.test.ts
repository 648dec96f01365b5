// Every fixture in fixtures/inventory/ against what Ansible itself made of it: SOURCE.ansible.json
// was written by fixtures/inventory/tools/ansible-truth.py with ansible-core 2.14.18 (Debian
// bookworm), using Ansible's own InventoryManager, VariableManager and ssh connection plugin. These
// tests only read those JSON files; ansible-live.test.ts runs Ansible itself.
import { readFileSync } from 'node:fs';
import { compareWithAnsible, FIXTURES, SOURCES, type Truth } from './ansible-truth.js';
import { loadInventory } from '../../src/inventory/load.js';
import type { HostSpec } from '../../src/model/index.js';

const truthOf = (source: string): Truth => JSON.parse(readFileSync(`${FIXTURES}${source}.ansible.json`, 'utf8')) as Truth;

describe.each(SOURCES)('%s, as ansible-core 2.14.18 reads it', (source, options) => {
  const truth = truthOf(source);

  test('the truth file is from the Ansible version the comments name, and Ansible read it', () => {
    expect([truth.ansible, truth.error]).toEqual(['2.14.18', undefined]);
  });

  test('hosts and their order, group_names, connection settings, the layer that won, and every --limit', () => {
    compareWithAnsible(source, truth, options);
  });
});

describe('exports read back as the inventory they came from', () => {
  const byName = (a: HostSpec, b: HostSpec): number => a.name.localeCompare(b.name);
  // where each file names a host differs between the two files, and only that
  const specs = (path: string) => loadInventory(`${FIXTURES}${path}`).hosts.sort(byName).map(({ definedAt: _place, ...spec }) => spec);

  test('exported.yml (`ansible-inventory -i datacenter.ini --list --yaml`) gives the hosts datacenter.ini gives', () => {
    expect(specs('exported.yml')).toEqual(specs('datacenter.ini'));
  });

  test('layered-list.json (`ansible-inventory -i layered/hosts.yml --list`): the same hosts, group_vars and host_vars included', () => {
    expect(specs('layered-list.json')).toEqual(specs('layered/hosts.yml'));
  });
});
