// The JSON that `ansible-inventory --list` prints (with or without --export), which is also what an
// inventory script prints: read as Ansible's script inventory plugin reads a script's output
// (lib/ansible/plugins/inventory/script.py), since Ansible itself reads such a file only through a
// script that prints it.
//   {"_meta": {"hostvars": {"web01": {...}}},
//    "all": {"children": ["ungrouped", "web"]},
//    "web": {"hosts": ["web01"], "vars": {...}, "children": [...]},
//    "db": ["db01", "db02"],                     a list: the group's hosts
//    "db01": {"ansible_host": "..."}}            a mapping without hosts/vars/children: a host of
//                                                that name in a group of that name, with those vars
// Host names are taken as written (no ranges, no `:port`); only hosts some group lists get the
// vars of `_meta.hostvars`. Told apart from a YAML inventory written as JSON by content: a top-level
// `_meta`, or a group whose value, `hosts` or `children` is a list. Pure.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { YamlDocument } from './yaml-document.js';

const SECTIONS = ['hosts', 'vars', 'children'];

/** The JSON is the shape `ansible-inventory --list` prints, rather than a YAML inventory. */
export function isListOutput(reader: YamlDocument, root: YAMLMap): boolean {
  return reader.entries(root).some(({ key, value }) => {
    if (isScalar(key) && key.value === '_meta') return true;
    if (isSeq(value)) return true;
    return isMap(value) && reader.entries(value).some((e) => isScalar(e.key) && (e.key.value === 'hosts' || e.key.value === 'children') && isSeq(e.value));
  });
}

export function readListOutput(reader: YamlDocument, root: YAMLMap): void {
  let hostvars: Node | null = null;
  const listed: Array<{ name: string; at: Node }> = [];
  for (const { key, value } of reader.entries(root)) {
    const group = reader.name(key, 'group');
    if (group === '_meta') {
      if (!isMap(value)) reader.fail(value ?? key, '"_meta" must be a mapping (with "hostvars")');
      hostvars = reader.entries(value).find((e) => isScalar(e.key) && e.key.value === 'hostvars')?.value ?? null;
      continue;
    }
    readGroup(reader, group, key, value, listed);
  }
  if (hostvars !== null && !isMap(hostvars)) reader.fail(hostvars, '"_meta.hostvars" must be a mapping of host names to their variables');
  const varsOf = new Map<string, { key: Node; value: Node | null }>();
  if (hostvars) for (const e of reader.entries(hostvars)) if (isScalar(e.key)) varsOf.set(String(e.key.value), e);
  const done = new Set<string>();
  for (const { name } of listed) {
    if (done.has(name)) continue;
    done.add(name);
    const entry = varsOf.get(name);
    if (!entry || reader.isEmpty(entry.value)) continue;
    if (!isMap(entry.value)) reader.fail(entry.value!, `the hostvars of "${name}" must be a mapping of variables`);
    for (const v of reader.entries(entry.value)) {
      reader.graph.setHostVar(name, reader.name(v.key, 'variable'), reader.entry(v.value ?? v.key, v.value));
    }
  }
}

/** script.py _parse_group: hosts, then vars, then children. */
function readGroup(reader: YamlDocument, group: string, keyNode: Node, node: Node | null, listed: Array<{ name: string; at: Node }>): void {
  const graph = reader.graph;
  graph.addGroup(group, reader.pos(keyNode));
  let hosts: Node | null = null;
  let vars: Node | null = null;
  let children: Node | null = null;
  let simplified = false;
  if (!isMap(node)) {
    hosts = node;
  } else {
    const entries = reader.entries(node);
    const section = (name: string) => entries.find((e) => isScalar(e.key) && e.key.value === name);
    if (!SECTIONS.some((s) => section(s))) {
      // "simplified syntax": the mapping is the vars of a host named like the group
      simplified = true;
      vars = node;
    } else {
      const h = section('hosts');
      if (h) hosts = h.value ?? h.key;
      vars = section('vars')?.value ?? null;
      children = section('children')?.value ?? null;
    }
  }
  if (simplified) {
    graph.addHost(group, group, reader.pos(keyNode));
    listed.push({ name: group, at: keyNode });
  } else if (hosts !== null || !isMap(node)) {
    if (!isSeq(hosts)) reader.fail(hosts ?? keyNode, `the hosts of group "${group}" must be a list of host names`);
    for (const item of hosts.items as Node[]) {
      const name = reader.name(item, 'host');
      graph.addHost(name, group, reader.pos(item));
      listed.push({ name, at: item });
    }
  }
  if (vars !== null && !reader.isEmpty(vars)) {
    if (!isMap(vars)) reader.fail(vars, `the vars of group "${group}" must be a mapping`);
    for (const v of reader.entries(vars)) graph.setGroupVar(group, reader.name(v.key, 'variable'), reader.entry(v.value ?? v.key, v.value));
  }
  if (children !== null && !reader.isEmpty(children)) {
    if (!isSeq(children)) reader.fail(children, `the children of group "${group}" must be a list of group names`);
    for (const item of children.items as Node[]) {
      const child = reader.name(item, 'group');
      graph.addGroup(child, reader.pos(item));
      graph.addChild(group, child, reader.pos(item));
    }
  }
}
