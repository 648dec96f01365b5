// Which value of a variable a host gets: Ansible's precedence over the inventory's groups and hosts
// and the group_vars/ and host_vars/ files beside it. Pure (the files come in through VarsFiles).
//
// As ansible/ansible lib/ansible/vars/manager.py (VariableManager.get_vars) layers them, with the
// default VARIABLE_PRECEDENCE and hash_behaviour=replace (a later layer replaces a key outright):
//   1. the `all` group's vars in the inventory                     all_inventory
//   2. every other group the host is in, ancestors included, in
//      lib/ansible/inventory/helpers.py sort_groups order: key (depth, priority, name), so a deeper
//      group beats a shallower one, and among groups of equal depth the higher
//      ansible_group_priority wins, then the name later in sort order      groups_inventory
//   3. group_vars/all                                              all_plugins_inventory
//   4. group_vars/GROUP for the same groups, in the same order     groups_plugins_inventory
//   5. the host's own vars in the inventory                        host.get_vars()
//   6. host_vars/HOST                                              _plugins_inventory([host])
// So group_vars/all beats a group's vars written in the inventory file. `depth` is the longest
// distance from `all`, not the relation between two groups: a group at depth 2 beats any group at
// depth 1, related or not. The play-adjacent layers (a playbook's own group_vars) do not exist
// for fleetstat, which runs no playbook.
import type { HostNode, InventoryGraph, VarMap } from './graph.js';

/** The group_vars/ and host_vars/ files of the inventory, merged per name (empty: none). */
export interface VarsFiles {
  group(name: string): VarMap;
  host(name: string): VarMap;
}

export const NO_VARS_FILES: VarsFiles = { group: () => new Map(), host: () => new Map() };

/** One host's variables after precedence, each with where it was set. */
export function hostVars(graph: InventoryGraph, host: HostNode, depth = graph.depths(), files: VarsFiles = NO_VARS_FILES): VarMap {
  const groups = graph.groupsOf(host)
    .filter((g) => g !== 'all')
    .map((name) => graph.groups.get(name)!)
    .sort((a, b) => (depth.get(a.name)! - depth.get(b.name)!) || (a.priority - b.priority) || byCodePoint(a.name, b.name));
  const vars: VarMap = new Map(graph.groups.get('all')!.vars);
  const layer = (more: VarMap): void => {
    for (const [k, v] of more) vars.set(k, v);
  };
  for (const group of groups) layer(group.vars);
  layer(files.group('all'));
  for (const group of groups) layer(files.group(group.name));
  layer(host.vars);
  layer(files.host(host.name));
  return vars;
}

/** Ansible's group_names: sorted, every group but `all` (so `ungrouped` for a host in no group). */
export function groupNames(graph: InventoryGraph, host: HostNode): string[] {
  return graph.groupsOf(host).filter((g) => g !== 'all').sort(byCodePoint);
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
