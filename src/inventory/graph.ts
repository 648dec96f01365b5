// The inventory as Ansible holds it once its files are read: groups (a DAG under `all`), hosts, and
// the variables set on each. Every format (YAML, INI, JSON, plain list) adds to one of these (the
// files of an inventory directory all to the same one); vars.ts turns it into HostSpecs. Mirrors ansible/ansible lib/ansible/inventory/data.py (InventoryData), group.py
// and host.py, so that membership, depth and host order come out as Ansible's do.
import { GraphProblem, type SourcePos } from './errors.js';

export type { SourcePos };

export interface VarEntry {
  value: unknown;
  /** the file it was set in (an inventory file, or a group_vars/host_vars file) */
  file: string;
  at: SourcePos;
}

export type VarMap = Map<string, VarEntry>;

export interface GroupNode {
  name: string;
  /** hosts listed directly in this group, in the order they were added */
  hosts: string[];
  /** the same names, for membership tests on big groups */
  hostSet: Set<string>;
  /** child groups, in the order they were added (Ansible's child_groups) */
  children: string[];
  parents: string[];
  vars: VarMap;
  /** ansible_group_priority (default 1); orders sibling groups of equal depth */
  priority: number;
  at: SourcePos;
}

export interface HostNode {
  name: string;
  /** groups the host was put in directly (without their ancestors) */
  groups: string[];
  vars: VarMap;
  at: SourcePos;
  /** the file that first names the host (with `at`: where check anchors findings about it) */
  file: string | null;
}

const START: SourcePos = { line: 1, col: 1 };

export class InventoryGraph {
  readonly groups = new Map<string, GroupNode>();
  readonly hosts = new Map<string, HostNode>();
  /** the file being read (readInventoryText sets it), recorded on the hosts it adds */
  currentFile: string | null = null;

  constructor() {
    // Ansible always has `all` and `ungrouped`, the latter a child of the former
    this.addGroup('all', START);
    this.addGroup('ungrouped', START);
    this.addChild('all', 'ungrouped', START);
  }

  addGroup(name: string, at: SourcePos): GroupNode {
    if (name === '') throw new GraphProblem('structure', at, 'a group name is empty');
    let group = this.groups.get(name);
    if (!group) {
      group = { name, hosts: [], hostSet: new Set(), children: [], parents: [], vars: new Map(), priority: 1, at };
      this.groups.set(name, group);
    }
    return group;
  }

  /** Adds the host if new, and puts it in `group` (which must exist). */
  addHost(name: string, group: string | null, at: SourcePos): HostNode {
    if (name === '') throw new GraphProblem('structure', at, 'a host name is empty');
    let host = this.hosts.get(name);
    if (!host) {
      host = { name, groups: [], vars: new Map(), at, file: this.currentFile };
      this.hosts.set(name, host);
    }
    if (group !== null) {
      const node = this.mustGroup(group, at);
      if (!node.hostSet.has(name)) {
        node.hosts.push(name);
        node.hostSet.add(name);
        host.groups.push(group);
      }
    }
    return host;
  }

  /** Makes `child` a child group of `parent`; refuses a loop, as Group.add_child_group does. */
  addChild(parent: string, child: string, at: SourcePos): void {
    const parentNode = this.mustGroup(parent, at);
    const childNode = this.mustGroup(child, at);
    if (parentNode.children.includes(child)) return;
    if (parent === child) throw new GraphProblem('group-loop', at, `group "${child}" contains itself`);
    const loop = this.pathDown(child, parent);
    if (loop) throw new GraphProblem('group-loop', at, `group "${parent}" contains itself (${[parent, ...loop].join(' → ')})`);
    parentNode.children.push(child);
    childNode.parents.push(parent);
  }

  setGroupVar(group: string, key: string, entry: VarEntry): void {
    const node = this.mustGroup(group, entry.at);
    // Group.set_variable: the priority is an attribute of the group, not a variable
    if (key === 'ansible_group_priority') {
      node.priority = groupPriority(entry, group);
      return;
    }
    node.vars.set(key, entry);
  }

  setHostVar(host: string, key: string, entry: VarEntry): void {
    const node = this.hosts.get(host);
    if (!node) throw new GraphProblem('structure', entry.at, `no host "${host}"`);
    node.vars.set(key, entry);
  }

  /**
   * InventoryData.reconcile_inventory: every group without a parent becomes a child of `all` (in the
   * order the groups were created); a host in no group but `all` goes to `ungrouped`; a host put in
   * `ungrouped` (INI lines before any section) and in another group leaves `ungrouped`.
   */
  reconcile(): void {
    for (const group of this.groups.values()) {
      if (group.name !== 'all' && group.parents.length === 0) this.addChild('all', group.name, group.at);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    const leaving = new Set<string>();
    for (const host of this.hosts.values()) {
      const others = host.groups.filter((g) => g !== 'all' && g !== 'ungrouped');
      if (host.groups.includes('ungrouped')) {
        if (others.length > 0) {
          host.groups = host.groups.filter((g) => g !== 'ungrouped');
          leaving.add(host.name);
        }
      } else if (others.length === 0) {
        host.groups.push('ungrouped');
        ungrouped.hosts.push(host.name);
        ungrouped.hostSet.add(host.name);
      }
    }
    if (leaving.size > 0) {
      ungrouped.hosts = ungrouped.hosts.filter((h) => !leaving.has(h));
      for (const h of leaving) ungrouped.hostSet.delete(h);
    }
  }

  /** The host's groups and all their ancestors, `all` included (Host.get_groups). */
  groupsOf(host: HostNode): string[] {
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const parent of this.groups.get(name)?.parents ?? []) visit(parent);
    };
    for (const group of host.groups) visit(group);
    return [...seen];
  }

  /**
   * A group's depth: its longest distance from `all` (all = 0, a top-level group = 1). Ansible keeps
   * this up to date as edges are added (Group.add_child_group, _check_children_depth); after
   * reconcile() it is the longest path from `all`.
   */
  depths(): Map<string, number> {
    const depth = new Map<string, number>();
    const order = this.topologicalOrder();
    for (const name of order) {
      const group = this.groups.get(name)!;
      const d = group.parents.length === 0 ? 0 : Math.max(...group.parents.map((p) => (depth.get(p) ?? 0) + 1));
      depth.set(name, d);
    }
    return depth;
  }

  /**
   * Hosts in the order `ansible all --list-hosts` prints them: Group.get_hosts() on `all` walks the
   * groups breadth first from `all` (its own hosts, then its children in the order they were added,
   * then theirs) and lists each group's hosts in the order they were added. Ansible walks the levels
   * below the top one through a Python set, in no stable order; here each level keeps the order of
   * the level above.
   */
  hostOrder(): HostNode[] {
    const ordered: string[] = ['all'];
    const seenGroups = new Set(ordered);
    let level = ['all'];
    while (level.length > 0) {
      const next: string[] = [];
      for (const name of level) {
        for (const child of this.groups.get(name)!.children) {
          if (!seenGroups.has(child)) {
            seenGroups.add(child);
            ordered.push(child);
            next.push(child);
          }
        }
      }
      level = next;
    }
    const seenHosts = new Set<string>();
    const hosts: HostNode[] = [];
    for (const group of ordered) {
      for (const name of this.groups.get(group)!.hosts) {
        if (!seenHosts.has(name)) {
          seenHosts.add(name);
          hosts.push(this.hosts.get(name)!);
        }
      }
    }
    return hosts;
  }

  private mustGroup(name: string, at: SourcePos): GroupNode {
    const group = this.groups.get(name);
    if (!group) throw new GraphProblem('structure', at, `no group "${name}"`);
    return group;
  }

  /** A path of child edges from `from` down to `to` (inclusive), or null. */
  private pathDown(from: string, to: string): string[] | null {
    const seen = new Set<string>();
    const walk = (name: string): string[] | null => {
      if (name === to) return [name];
      if (seen.has(name)) return null;
      seen.add(name);
      for (const child of this.groups.get(name)?.children ?? []) {
        const rest = walk(child);
        if (rest) return [name, ...rest];
      }
      return null;
    };
    return walk(from);
  }

  private topologicalOrder(): string[] {
    const order: string[] = [];
    const done = new Set<string>();
    const visit = (name: string): void => {
      if (done.has(name)) return;
      done.add(name);
      for (const parent of this.groups.get(name)!.parents) visit(parent);
      order.push(name);
    };
    for (const name of this.groups.keys()) visit(name);
    return order;
  }
}

/** Group.set_priority: Python's int() of the value; anything else is an error, as in Ansible. */
function groupPriority(entry: VarEntry, group: string): number {
  const { value } = entry;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*[-+]?[0-9]+\s*$/.test(value)) return Number(value);
  throw new GraphProblem('bad-value', entry.at, `ansible_group_priority of group "${group}" must be a whole number, not ${JSON.stringify(value)}`);
}
