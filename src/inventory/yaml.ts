// YAML inventories, two shapes (and the JSON `ansible-inventory --list` prints: json-list.ts):
//
// 1. Ansible's YAML inventory (lib/ansible/plugins/inventory/yaml.py): a mapping of groups, each
//    with `hosts`, `children` and `vars`; host keys are host patterns (`web[01:03]:2222`), their
//    values the host's vars. A section may be a single name (`hosts: web01`), as Ansible allows.
//    Stricter than Ansible on purpose, because Ansible only warns and drops what it cannot read:
//    an unknown key in a group, a group that is not a mapping, and a duplicate key (in the
//    inventory's structure; PyYAML keeps the last) are errors.
//
// 2. fleetstat's plain list of hosts: a YAML sequence whose items are
//      - web01                                  a host pattern (ranges and `:port` allowed)
//      - name: db[01:02].example.com            a mapping: `name` (a host pattern),
//        groups: [db, prod]                     optional `groups` (a name or a list of names),
//        ansible_host: 127.0.0.2                and any other key is a host variable
//    Every host is in `all`; hosts without `groups` are in `ungrouped`.
//
// Also the vars files of group_vars/ and host_vars/ (readVarsFile): a mapping of variables.
// Each file is read as Ansible's DataLoader reads it (yaml-document.ts). Pure: text in, added to a
// graph.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { InventoryGraph, VarMap } from './graph.js';
import { isListOutput, readListOutput } from './json-list.js';
import { expandHostPattern, RangeProblem } from './ranges.js';
import { parseAnsibleYaml, YamlDocument } from './yaml-document.js';

/**
 * Adds a YAML (or JSON) inventory file's groups, hosts and variables to the graph: Ansible's group
 * mapping, the JSON `ansible-inventory --list` prints, or fleetstat's plain list of hosts.
 * An empty document adds nothing.
 */
export function readYamlInventory(text: string, file: string, graph: InventoryGraph): void {
  const { doc, lines, json } = parseAnsibleYaml(text, file);
  const reader = new YamlInventoryReader(doc, lines, file, graph);
  const root = reader.deref(doc.contents);
  if (reader.isEmpty(root)) return;
  if (isMap(root)) {
    if (json && isListOutput(reader, root)) readListOutput(reader, root);
    else reader.groups(root);
    return;
  }
  if (isSeq(root)) return reader.plainList(root.items as Node[]);
  reader.fail(root, 'the inventory must be a mapping of groups (e.g. `all:`) or a list of hosts');
}

/**
 * A group_vars/ or host_vars/ file: a mapping of variables (empty: none). Anything else is an error,
 * as in Ansible ("failed to combine variables, expected dicts"). Keys that are not strings cannot be
 * connection variables and are passed over.
 */
export function readVarsFile(text: string, file: string): VarMap {
  const { doc, lines } = parseAnsibleYaml(text, file);
  const reader = new YamlDocument(doc, lines, file, null);
  const root = reader.deref(doc.contents);
  const vars: VarMap = new Map();
  if (reader.isEmpty(root)) return vars;
  if (!isMap(root)) return reader.fail(root, 'a vars file must be a mapping of variables (name: value)');
  for (const { key, value } of reader.entries(root)) {
    if (!isScalar(key) || typeof key.value !== 'string') continue;
    vars.set(key.value, reader.entry(value ?? key, value));
  }
  return vars;
}

/** Ansible's group mapping and fleetstat's plain list. */
class YamlInventoryReader extends YamlDocument {
  // ---- Ansible's group mapping ----------------------------------------------------------------

  groups(root: YAMLMap): void {
    const top = this.entries(root);
    const plugin = top.find((e) => isScalar(e.key) && e.key.value === 'plugin');
    if (plugin) {
      this.fail(plugin.key, `this is an inventory plugin's configuration (plugin: ${String(this.value(plugin.value))}), not an inventory; ` +
        'write one with `ansible-inventory -i FILE --list --yaml > hosts.yml` and scan that');
    }
    for (const { key, value } of top) this.group(this.name(key, 'group'), key, value);
  }

  private group(name: string, keyNode: Node, node: Node | null): string {
    this.graph.addGroup(name, this.pos(keyNode));
    if (this.isEmpty(node)) return name; // `web:` with nothing under it
    if (!isMap(node)) return this.fail(node, `group "${name}" must be a mapping with hosts, children or vars`);
    for (const { key, value } of this.entries(node)) {
      const section = isScalar(key) ? key.value : undefined;
      if (section !== 'hosts' && section !== 'children' && section !== 'vars') {
        this.fail(key, `unknown key "${String(section)}" in group "${name}" (expected hosts, children or vars)`);
      }
      if (this.isEmpty(value)) continue;
      for (const item of this.sectionItems(value!, `${name}.${section}`)) {
        if (section === 'vars') {
          const varName = this.name(item.key, 'variable');
          this.graph.setGroupVar(name, varName, this.entry(item.value ?? item.key, item.value));
        } else if (section === 'children') {
          const child = this.group(this.name(item.key, 'group'), item.key, item.value);
          this.graph.addChild(name, child, this.pos(item.key));
        } else {
          this.hostEntry(item.key, item.value, name);
        }
      }
    }
    return name;
  }

  /** A section's entries; a bare name stands for `{name: null}`, as in Ansible. */
  private sectionItems(node: Node, where: string): Array<{ key: Node; value: Node | null }> {
    if (isScalar(node) && typeof node.value === 'string') return [{ key: node, value: null }];
    if (isSeq(node)) return this.fail(node, `"${where}" must be a mapping (names as keys, e.g. "web01:"), not a list`);
    if (!isMap(node)) return this.fail(node, `"${where}" must be a mapping`);
    return this.entries(node);
  }

  private hostEntry(keyNode: Node, valueNode: Node | null, group: string | null): void {
    const pattern = this.name(keyNode, 'host');
    const names = this.expand(pattern, keyNode);
    if (!this.isEmpty(valueNode) && !isMap(valueNode)) {
      this.fail(valueNode, `host "${pattern}" must be a mapping of variables`);
    }
    const vars = this.isEmpty(valueNode) ? [] : this.entries(valueNode as YAMLMap);
    for (const name of names.names) this.addHost(name, names.port, keyNode, group, [], vars, new Set());
  }

  private addHost(
    name: string, port: number | null, keyNode: Node, group: string | null, groups: string[],
    vars: Array<{ key: Node; value: Node | null }>, skip: Set<string>,
  ): void {
    const isNew = !this.graph.hosts.has(name);
    this.graph.addHost(name, group, this.pos(keyNode));
    for (const g of groups) this.graph.addHost(name, g, this.pos(keyNode));
    // Host(name, port): a `:port` in the pattern sets ansible_port when the host is first seen
    if (isNew && port !== null) this.graph.setHostVar(name, 'ansible_port', { value: port, file: this.file, at: this.pos(keyNode) });
    for (const { key, value } of vars) {
      const varName = this.name(key, 'variable');
      if (skip.has(varName)) continue;
      this.graph.setHostVar(name, varName, this.entry(value ?? key, value));
    }
  }

  private expand(pattern: string, keyNode: Node): { names: string[]; port: number | null } {
    try {
      return expandHostPattern(pattern);
    } catch (err) {
      if (!(err instanceof RangeProblem)) throw err;
      // point into the key when it is written plainly (the text is the value)
      const plain = isScalar(keyNode) && keyNode.source === pattern && keyNode.type === 'PLAIN';
      return this.fail(keyNode, err.message, err.kind, plain ? err.offset : 0);
    }
  }

  // ---- fleetstat's plain list -----------------------------------------------------------------

  plainList(items: Node[]): void {
    for (const raw of items) {
      const item = this.deref(raw);
      if (isScalar(item) && typeof item.value === 'string') {
        this.hostEntry(item, null, null);
        continue;
      }
      if (!isMap(item)) {
        this.fail(item ?? raw, 'each item of a host list is a host name or a mapping with `name`');
      }
      const entries = this.entries(item);
      const nameEntry = entries.find((e) => isScalar(e.key) && e.key.value === 'name');
      if (!nameEntry || nameEntry.value === null) return this.fail(item, 'a host in a host list needs a `name`');
      const pattern = this.name(nameEntry.value, 'host');
      const groups = this.listGroups(entries.find((e) => isScalar(e.key) && e.key.value === 'groups')?.value ?? null);
      const expanded = this.expand(pattern, nameEntry.value);
      for (const name of expanded.names) {
        this.addHost(name, expanded.port, nameEntry.value, null, groups, entries, new Set(['name', 'groups']));
      }
    }
  }

  private listGroups(node: Node | null): string[] {
    if (this.isEmpty(node)) return [];
    const names = isSeq(node) ? (node.items as Node[]).map((n) => this.deref(n)) : [node];
    return names.map((n) => {
      if (n === null) return this.fail(node, '`groups` lists an empty group name');
      const group = this.name(n, 'group');
      if (group === 'all') this.fail(n, 'every host is in `all` already; list other groups');
      this.graph.addGroup(group, this.pos(n));
      return group;
    });
  }
}
