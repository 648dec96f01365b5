// From an inventory graph to HostSpecs: which group's variables win, and what the connection
// variables mean. Pure.
//
// Precedence, as ansible/ansible lib/ansible/vars/manager.py (VariableManager.get_vars) applies it
// for inventory variables (hash_behaviour=replace: a later layer replaces a key outright):
//   1. the `all` group's vars                        ("all_inventory")
//   2. every other group the host is in, ancestors included, sorted by
//      lib/ansible/inventory/helpers.py sort_groups: key (depth, priority, name), so a deeper group
//      beats a shallower one, and among groups of equal depth the higher ansible_group_priority
//      wins, then the name later in sort order                        ("groups_inventory")
//   3. the host's own vars                                             ("host vars")
// `depth` is the longest distance from `all`, not the relation between two groups: a group at depth
// 2 beats any group at depth 1, related or not.
import type { Connection, HostSpec } from '../model/index.js';
import { GraphProblem, type InventoryErrorKind } from './errors.js';
import type { HostNode, InventoryGraph, VarEntry, VarMap } from './graph.js';

export function resolveHosts(graph: InventoryGraph): HostSpec[] {
  const depth = graph.depths();
  return graph.hostOrder().map((host) => {
    // Ansible's group_names: sorted, every group but `all` (so `ungrouped` for a host in no group)
    const groupNames = graph.groupsOf(host).filter((g) => g !== 'all').sort(byCodePoint);
    return toHostSpec(host, groupNames, hostVars(graph, host, depth));
  });
}

/** One host's inventory variables after precedence, each with where it was set. */
export function hostVars(graph: InventoryGraph, host: HostNode, depth = graph.depths()): VarMap {
  const groups = graph.groupsOf(host)
    .filter((g) => g !== 'all')
    .map((name) => graph.groups.get(name)!)
    .sort((a, b) => (depth.get(a.name)! - depth.get(b.name)!) || (a.priority - b.priority) || byCodePoint(a.name, b.name));
  const vars: VarMap = new Map(graph.groups.get('all')!.vars);
  for (const group of groups) for (const [k, v] of group.vars) vars.set(k, v);
  for (const [k, v] of host.vars) vars.set(k, v);
  return vars;
}

/**
 * ansible_connection values fleetstat can honour. `smart` (Ansible's old default: ssh, or paramiko
 * on an old OpenSSH) and `paramiko`/`paramiko_ssh` all mean "SSH to the host", which is what our ssh
 * transport does; the FQCN spellings are the same plugins.
 */
const CONNECTIONS: Record<string, Connection> = {
  ssh: 'ssh',
  smart: 'ssh',
  paramiko: 'ssh',
  paramiko_ssh: 'ssh',
  'ansible.builtin.ssh': 'ssh',
  'ansible.builtin.paramiko_ssh': 'ssh',
  local: 'local',
  'ansible.builtin.local': 'local',
};

// lib/ansible/module_utils/parsing/convert_bool.py; become is a strict bool attribute
// (lib/ansible/playbook/base.py: boolean(value, strict=True)), so anything else is an error.
const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f']);

function toHostSpec(host: HostNode, groups: string[], vars: VarMap): HostSpec {
  const fail = (entry: VarEntry, detail: string, kind: InventoryErrorKind = 'bad-value'): never => {
    throw new GraphProblem(kind, entry.at, detail);
  };
  /**
   * The connection plugins list the new name, then the old one (`ansible_host`, `ansible_ssh_host`)
   * and lib/ansible/config/manager.py _loop_entries keeps the LAST one set ("last one wins"), as does
   * PlayContext's MAGIC_VARIABLE_MAPPING (`remote_addr=('ansible_ssh_host', 'ansible_host')`, first
   * wins). So when both are set, at any level, the old `ansible_ssh_*` name wins: checked with
   * ansible-core 2.14.18 (`ansible -m ping -vvv` connects to ansible_ssh_host's address).
   */
  const pick = (newName: string, oldName: string): [string, VarEntry] | undefined => {
    for (const key of [oldName, newName]) {
      const entry = vars.get(key);
      if (entry !== undefined && entry.value !== null && entry.value !== undefined) return [key, entry];
    }
    return undefined;
  };
  const text = (found: [string, VarEntry] | undefined): string | undefined => {
    if (!found) return undefined;
    const [key, entry] = found;
    if (typeof entry.value !== 'string' && typeof entry.value !== 'number') {
      fail(entry, `${key} of host "${host.name}" must be a string, not ${describe(entry.value)}`);
    }
    const value = String(entry.value);
    // Ansible would template this; fleetstat does not, and a literal `{{ … }}` is no address
    if (value.includes('{{') || value.includes('{%')) {
      fail(entry, `${key} of host "${host.name}" is a Jinja2 template ("${value}"); fleetstat does not evaluate templates`);
    }
    return value;
  };

  const address = text(pick('ansible_host', 'ansible_ssh_host')) ?? host.name;

  const portVar = pick('ansible_port', 'ansible_ssh_port');
  let port: number | undefined;
  if (portVar) {
    const [key, entry] = portVar;
    const v = entry.value;
    port = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[0-9]+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      fail(entry, `${key} of host "${host.name}" must be a port number (1-65535), not ${describe(v)}`, 'bad-port');
    }
  }

  const user = text(pick('ansible_user', 'ansible_ssh_user'));
  const identityFile = text(pick('ansible_private_key_file', 'ansible_ssh_private_key_file'));

  let connection: Connection = 'ssh';
  const connectionVar = vars.get('ansible_connection');
  if (connectionVar && connectionVar.value !== null) {
    const name = text(['ansible_connection', connectionVar])!;
    const known = CONNECTIONS[name];
    if (!known) {
      fail(connectionVar, `ansible_connection of host "${host.name}" must be ssh or local (or smart, paramiko), not "${name}"`, 'bad-connection');
    }
    connection = known!;
  }

  let become = false;
  const becomeVar = vars.get('ansible_become');
  if (becomeVar && becomeVar.value !== null) {
    const v = becomeVar.value;
    const word = typeof v === 'string' ? v.trim().toLowerCase() : typeof v === 'number' ? String(v) : null;
    if (typeof v === 'boolean') become = v;
    else if (word !== null && TRUE_WORDS.has(word)) become = true;
    else if (word !== null && FALSE_WORDS.has(word)) become = false;
    else fail(becomeVar, `ansible_become of host "${host.name}" must be a boolean (true/false, yes/no, on/off, 1/0), not ${describe(v)}`);
  }

  return {
    name: host.name,
    address,
    ...(port === undefined ? {} : { port }),
    ...(user === undefined ? {} : { user }),
    ...(identityFile === undefined ? {} : { identityFile }),
    groups,
    connection,
    become,
  };
}

/** Python's sort order for str: by code point. */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'a mapping';
}
