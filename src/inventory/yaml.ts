// YAML inventories, two shapes:
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
// Read as YAML 1.1 with merge keys (`<<: *defaults`), as Ansible's PyYAML does: `yes`/`no`/`on`/`off`
// are booleans and `0755` octal. Pure: text in, graph out.
import {
  isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument,
  type Document, type Node, type Pair, type Scalar, type ScalarTag, type YAMLMap,
} from 'yaml';
import { InventoryError, type InventoryErrorKind } from './errors.js';
import { InventoryGraph, type SourcePos } from './graph.js';
import { expandHostPattern, RangeProblem } from './ranges.js';

// PyYAML's YAML 1.1 booleans (the `yaml` package also takes y/n, which PyYAML leaves strings)
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

export function readYamlInventory(text: string, file: string): InventoryGraph {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: false, // checked in entries(), to point at the second key
    version: '1.1',
    merge: true,
    customTags: (tags) =>
      (tags as ScalarTag[]).map((tag) => {
        if (tag.tag !== 'tag:yaml.org,2002:bool' || !tag.test) return tag;
        const isTrue = tag.test.test('true');
        return { ...tag, test: isTrue ? PYYAML_TRUE : PYYAML_FALSE };
      }),
  });
  const reader = new YamlReader(doc, lines, file);
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lines.linePos(syntax.pos[0]);
    throw new InventoryError(file, pos.line, pos.col, `YAML syntax error: ${syntax.message.split('\n')[0]}`, 'yaml-syntax');
  }
  const root = reader.deref(doc.contents);
  if (root === null || (isScalar(root) && root.value === null)) reader.fail(null, 'the inventory is empty', 'empty');
  if (isMap(root)) return reader.groups(root);
  if (isSeq(root)) return reader.plainList(root.items as Node[]);
  return reader.fail(root, 'the inventory must be a mapping of groups (e.g. `all:`) or a list of hosts');
}

class YamlReader {
  readonly graph = new InventoryGraph();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  pos(node: Node | null | undefined, offset = 0): SourcePos {
    const p = this.lines.linePos(node?.range?.[0] ?? 0);
    return { line: p.line, col: p.col + offset };
  }

  fail(node: Node | null | undefined, detail: string, kind: InventoryErrorKind = 'structure', offset = 0): never {
    const p = this.pos(node, offset);
    throw new InventoryError(this.file, p.line, p.col, detail, kind);
  }

  deref(node: unknown): Node | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node as Node;
  }

  isEmpty(node: Node | null): boolean {
    return node === null || (isScalar(node) && node.value === null);
  }

  /** A mapping's entries, merge keys (`<<`) resolved: merged keys first, the map's own keys win. */
  entries(map: YAMLMap): Array<{ key: Node; value: Node | null }> {
    const own: Array<{ key: Node; value: Node | null }> = [];
    const merged: Array<{ key: Node; value: Node | null }> = [];
    for (const pair of map.items as Pair[]) {
      const key = pair.key as Node;
      if (isScalar(key) && typeof key.value === 'symbol') {
        // `<<: *a` or `<<: [*a, *b]` (earlier sources win over later ones)
        const source = this.deref(pair.value);
        const sources = isSeq(source) ? (source.items as Node[]).map((n) => this.deref(n)) : [source];
        for (const s of sources) {
          if (!isMap(s)) this.fail(s ?? key, 'a merge key (<<) must refer to a mapping');
          for (const e of this.entries(s)) {
            if (!merged.some((m) => sameKey(m.key, e.key))) merged.push(e);
          }
        }
        continue;
      }
      const twin = own.find((o) => sameKey(o.key, key));
      if (twin) {
        const first = this.pos(twin.key);
        this.fail(key, `duplicate key "${String((key as Scalar).value)}" (first at line ${first.line}; Ansible would keep only this one)`);
      }
      own.push({ key, value: this.deref(pair.value) });
    }
    return [...merged.filter((m) => !own.some((o) => sameKey(o.key, m.key))), ...own];
  }

  name(node: Node, what: 'group' | 'host' | 'variable'): string {
    if (!isScalar(node) || typeof node.value !== 'string') {
      const shown = isScalar(node) ? String(node.value) : 'a collection';
      this.fail(node, `${what} name ${shown} must be a string (quote it)`);
    }
    if ((node as Scalar<string>).value === '') this.fail(node, `a ${what} name is empty`);
    return (node as Scalar<string>).value;
  }

  value(node: Node | null): unknown {
    if (node === null) return null;
    return isScalar(node) ? node.value : node.toJS(this.doc);
  }

  // ---- Ansible's group mapping ----------------------------------------------------------------

  groups(root: YAMLMap): InventoryGraph {
    const top = this.entries(root);
    const plugin = top.find((e) => isScalar(e.key) && e.key.value === 'plugin');
    if (plugin) {
      this.fail(plugin.key, `this is an inventory plugin's configuration (plugin: ${String(this.value(plugin.value))}), not an inventory; ` +
        'write one with `ansible-inventory -i FILE --list --yaml > hosts.yml` and scan that');
    }
    for (const { key, value } of top) this.group(this.name(key, 'group'), key, value);
    this.reconcile();
    return this.graph;
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
          this.graph.setGroupVar(name, varName, { value: this.value(item.value), at: this.pos(item.value ?? item.key) });
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
    if (isNew && port !== null) this.graph.setHostVar(name, 'ansible_port', { value: port, at: this.pos(keyNode) });
    for (const { key, value } of vars) {
      const varName = this.name(key, 'variable');
      if (skip.has(varName)) continue;
      this.graph.setHostVar(name, varName, { value: this.value(value), at: this.pos(value ?? key) });
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

  private reconcile(): void {
    this.graph.reconcile();
    if (this.graph.hosts.size === 0) this.fail(this.doc.contents as Node, 'the inventory lists no hosts', 'empty');
  }

  // ---- fleetstat's plain list -----------------------------------------------------------------

  plainList(items: Node[]): InventoryGraph {
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
    this.reconcile();
    return this.graph;
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

function sameKey(a: Node, b: Node): boolean {
  return isScalar(a) && isScalar(b) && a.value === b.value;
}
