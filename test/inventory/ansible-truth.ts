// What fleetstat must make of an inventory, given what Ansible made of it (a truth file written by
// fixtures/inventory/tools/ansible-truth.py, saved or run live). Shared by against-ansible.test.ts
// (saved truth files) and ansible-live.test.ts (Ansible run now).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { selectHostsByPatterns, splitHostPattern } from '../../src/inventory/limit.js';
import { readInventory } from '../../src/inventory/load.js';
import { inventoryHosts, resolveHosts } from '../../src/inventory/parse.js';
import { hostVars } from '../../src/inventory/vars.js';
import type { HostSpec, SshArgumentList } from '../../src/model/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url));
export const TRUTH_TOOL = `${FIXTURES}tools/ansible-truth.py`;

export interface TruthHost {
  name: string;
  groups: string[];
  vars: Record<string, unknown>;
  ssh_args_split?: Record<string, string[] | { error: string }>;
  ssh_argv?: string[] | { error: string };
}

export interface Truth {
  ansible: string;
  error?: string;
  file: string;
  hosts: TruthHost[];
  limits: Record<string, { hosts: string[] | { error: string }; warned: string[] }>;
}

/** Runs the truth tool now (Debian's python3, which has Ansible's modules) on `source`, relative to `cwd`. */
export function ansibleTruth(source: string, limits: string[], cwd = FIXTURES): Promise<Truth> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', [TRUTH_TOOL, source, ...limits], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ansible-truth.py ${source} failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as Truth);
    });
  });
}

/** Every source with a saved truth file, and whether every host's spec is comparable (not-contacted.yml's are not). */
export const SOURCES: Array<[string, { fullSpecs: boolean }]> = [
  ['prod.yml', { fullSpecs: true }],
  ['datacenter.ini', { fullSpecs: true }],
  ['precedence.yml', { fullSpecs: true }],
  ['exported.yml', { fullSpecs: true }],
  ['name-clash.ini', { fullSpecs: true }],
  ['layered/hosts.yml', { fullSpecs: true }],
  ['site', { fullSpecs: true }],
  ['layered-list.json', { fullSpecs: true }],
  ['site-export.json', { fullSpecs: true }],
  ['ssh-args.yml', { fullSpecs: true }],
  ['not-contacted.yml', { fullSpecs: false }],
];

const FREE_VARS = ['winner', 'role', 'tier', 'site', 'note', 'layer'];

/**
 * What the connection plugins make of Ansible's merged vars: the old `ansible_ssh_*` name wins over
 * the new one when both are set (config/manager.py _loop_entries: last listed wins), the name is the
 * address when neither is set, become goes through Ansible's boolean(), and the ssh arguments are the
 * words Ansible's own _split_ssh_args gave, in the order its ssh plugin passes them.
 */
export function expectedSpec(host: TruthHost): HostSpec {
  const v = host.vars;
  const either = (newName: string, oldName: string): unknown => v[oldName] ?? v[newName];
  const port = either('ansible_port', 'ansible_ssh_port');
  const user = either('ansible_user', 'ansible_ssh_user');
  const key = either('ansible_private_key_file', 'ansible_ssh_private_key_file');
  const connection = v.ansible_connection === 'local' ? 'local' : 'ssh';
  const become = v.ansible_become;
  const words = (name: string): SshArgumentList[] => {
    const split = host.ssh_args_split?.[name];
    return Array.isArray(split) && split.length > 0 ? [{ source: name, words: split }] : [];
  };
  const checking = either('ansible_host_key_checking', 'ansible_ssh_host_key_checking');
  const before = [
    ...words('ansible_ssh_args'),
    ...(checking === false ? [{ source: 'ansible_host_key_checking', words: ['-o', 'StrictHostKeyChecking=no'] }] : []),
  ];
  const after = [
    ...(v.ansible_ssh_timeout !== undefined ? [{ source: 'ansible_ssh_timeout', words: ['-o', `ConnectTimeout=${String(v.ansible_ssh_timeout)}`] }] : []),
    ...words('ansible_ssh_common_args'),
    ...words('ansible_ssh_extra_args'),
  ];
  return {
    name: host.name,
    address: String(either('ansible_host', 'ansible_ssh_host') ?? host.name),
    ...(port === undefined ? {} : { port: Number(port) }),
    ...(user === undefined ? {} : { user: String(user) }),
    ...(key === undefined ? {} : { identityFile: String(key) }),
    groups: host.groups,
    connection,
    become: become === true || (typeof become === 'string' && ['yes', 'true', 'on', '1', 'y', 't'].includes(become.toLowerCase())),
    ...(before.length + after.length > 0 && connection === 'ssh' ? { sshArguments: { before, after } } : {}),
  };
}

/** A spec with its ssh arguments' sources cut to the variable name (the truth knows no positions). */
export function withVariableSources(spec: HostSpec): HostSpec {
  if (!spec.sshArguments) return spec;
  const cut = (l: SshArgumentList): SshArgumentList => ({ source: l.source.replace(/^.*: /, '').replace('ansible_ssh_host_key_checking', 'ansible_host_key_checking'), words: l.words });
  return { ...spec, sshArguments: { before: spec.sshArguments.before.map(cut), after: spec.sshArguments.after.map(cut) } };
}

/**
 * Runs every comparison of fleetstat's reading of `source` (relative to `cwd`, the fixtures by
 * default) with `truth`. `exactOrder: false` compares hosts as sets: below the groups of the first
 * level Ansible walks a Python set, so its own order may change from one run to the next (the
 * fixtures are written so that it does not).
 */
export function compareWithAnsible(source: string, truth: Truth, options: { cwd?: string; fullSpecs?: boolean; exactOrder?: boolean } = {}): void {
  const path = `${options.cwd ?? FIXTURES}/${source}`;
  const { graph, varsFiles } = readInventory(path);
  const order = <T extends { name: string }>(xs: T[]): T[] => (options.exactOrder === false ? [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : xs);
  const all = order(inventoryHosts(graph));
  const hosts = resolveHosts(graph, all, varsFiles);
  const truthHosts = order(truth.hosts);

  // the same hosts, in the order `ansible all --list-hosts` prints them, with the same group_names
  expect(hosts.map((h) => [h.name, h.groups])).toEqual(truthHosts.map((h) => [h.name, h.groups]));

  // connection settings after Ansible's precedence (hosts fleetstat will not contact: not-contacted.test.ts)
  if (options.fullSpecs !== false) expect(hosts.map(withVariableSources)).toEqual(truthHosts.map(expectedSpec));

  // the free variables that show which layer won
  const depth = graph.depths();
  for (const [i, host] of truthHosts.entries()) {
    const merged = hostVars(graph, all[i]!.node, depth, varsFiles);
    for (const key of FREE_VARS) expect([host.name, key, merged.get(key)?.value]).toEqual([host.name, key, host.vars[key]]);
  }

  // --limit selects what Ansible selects
  for (const [pattern, expected] of Object.entries(truth.limits)) {
    const selection = selectHostsByPatterns(hosts, splitHostPattern(pattern), graph.groups.keys());
    if (Array.isArray(expected.hosts)) {
      const names = (xs: string[]) => (options.exactOrder === false ? [...xs].sort() : xs);
      expect([pattern, names(selection.hosts.map((h) => h.name))]).toEqual([pattern, names(expected.hosts)]);
      // Ansible warns with the pattern less its `!`/`&`; we give it back as written
      expect([pattern, selection.unmatched.map((p) => p.replace(/^[!&]/, ''))]).toEqual([pattern, expected.warned]);
    } else {
      // Ansible stops on an index past the end ("No hosts matched the subscripted pattern"); we report it unmatched
      expect([pattern, selection]).toEqual([pattern, { hosts: [], unmatched: [pattern] }]);
    }
  }
}
