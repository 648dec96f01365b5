// Ansible's YAML inventory, the subset the local scan needs: `all`, `hosts`, `children`, `vars`,
// group membership and variable precedence (host vars win over group vars, a child group's over its
// parent's). Pure: text in, hosts out; every error names file:line:col and the key.
import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { Connection, HostSpec } from '../model/index.js';

export class InventoryError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    // line 0: the file as a whole (missing, unreadable)
    super(line > 0 ? `${file}:${line}:${col}: ${detail}` : `${file}: ${detail}`);
    this.name = 'InventoryError';
  }
}

type Vars = Map<string, { value: unknown; node: Node | null }>;

interface HostEntry {
  name: string;
  groups: string[];
  /** group vars in order of increasing precedence, then the host's own */
  layers: Vars[];
  node: Node;
}

export function parseInventory(text: string, file: string): HostSpec[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | null | undefined): [number, number] => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return [pos.line, pos.col];
  };
  const fail = (node: Node | null | undefined, detail: string): never => {
    throw new InventoryError(file, ...at(node), detail);
  };

  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lines.linePos(syntax.pos[0]);
    throw new InventoryError(file, pos.line, pos.col, `YAML syntax error: ${syntax.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root === null) fail(null, 'the inventory is empty');
  if (!isMap(root)) return fail(root, 'the inventory must be a mapping of groups (e.g. `all:`)');

  const hosts = new Map<string, HostEntry>();
  const walkGroup = (groupName: string, groupNode: Node | null, inherited: Vars[], path: string[]): void => {
    if (path.includes(groupName)) fail(groupNode, `group "${groupName}" contains itself`);
    if (groupNode === null || (isScalar(groupNode) && groupNode.value === null)) return; // `web:` with nothing under it
    if (!isMap(groupNode)) return fail(groupNode, `group "${groupName}" must be a mapping with hosts, children or vars`);
    const vars = readVars(groupNode.get('vars', true) as Node | undefined, `${groupName}.vars`, fail);
    const layers = vars ? [...inherited, vars] : inherited;
    for (const pair of groupNode.items) {
      const key = keyOf(pair.key as Node, fail);
      if (key !== 'hosts' && key !== 'children' && key !== 'vars') {
        fail(pair.key as Node, `unknown key "${key}" in group "${groupName}" (expected hosts, children or vars)`);
      }
    }
    const hostsNode = groupNode.get('hosts', true) as Node | undefined;
    if (hostsNode && !(isScalar(hostsNode) && hostsNode.value === null)) {
      if (!isMap(hostsNode)) fail(hostsNode, `"${groupName}.hosts" must be a mapping of host names`);
      for (const pair of (hostsNode as YAMLMap).items) {
        const name = keyOf(pair.key as Node, fail);
        const own = readVars(pair.value as Node | null, `host "${name}"`, fail) ?? new Map();
        const entry = hosts.get(name) ?? { name, groups: [], layers: [], node: pair.key as Node };
        // Ansible's group_names: the group and every group above it, but not `all`
        for (const group of [...path, groupName]) {
          if (group !== 'all' && !entry.groups.includes(group)) entry.groups.push(group);
        }
        // a host listed in several groups takes vars from all of them; its own vars always win
        entry.layers.push(...layers, own);
        hosts.set(name, entry);
      }
    }
    const children = groupNode.get('children', true) as Node | undefined;
    if (children && !(isScalar(children) && children.value === null)) {
      if (!isMap(children)) fail(children, `"${groupName}.children" must be a mapping of groups`);
      for (const pair of (children as YAMLMap).items) {
        walkGroup(keyOf(pair.key as Node, fail), pair.value as Node | null, layers, [...path, groupName]);
      }
    }
  };
  for (const pair of root.items) walkGroup(keyOf(pair.key as Node, fail), pair.value as Node | null, [], []);
  if (hosts.size === 0) fail(root, 'the inventory lists no hosts');

  return [...hosts.values()].map((entry) => toHostSpec(entry, fail));
}

function toHostSpec(entry: HostEntry, fail: (node: Node | null | undefined, detail: string) => never): HostSpec {
  const vars: Vars = new Map();
  for (const layer of entry.layers) for (const [k, v] of layer) vars.set(k, v);
  const str = (key: string): string | undefined => {
    const v = vars.get(key);
    if (v === undefined || v.value === null) return undefined;
    if (typeof v.value !== 'string' && typeof v.value !== 'number') fail(v.node, `${key} of host "${entry.name}" must be a string`);
    return String(v.value);
  };
  const connection = str('ansible_connection') ?? str('connection') ?? 'ssh';
  if (connection !== 'ssh' && connection !== 'local') {
    fail((vars.get('ansible_connection') ?? vars.get('connection'))?.node, `connection of host "${entry.name}" must be ssh or local, not "${connection}"`);
  }
  const portText = str('ansible_port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    fail(vars.get('ansible_port')?.node, `ansible_port of host "${entry.name}" must be a port number (1-65535), not "${portText}"`);
  }
  const identityFile = str('ansible_ssh_private_key_file');
  const become = vars.get('ansible_become')?.value;
  const user = str('ansible_user');
  return {
    name: entry.name,
    address: str('ansible_host') ?? entry.name,
    ...(port === undefined ? {} : { port }),
    ...(user === undefined ? {} : { user }),
    ...(identityFile === undefined ? {} : { identityFile }),
    groups: entry.groups,
    connection: connection as Connection,
    become: become === true || become === 'true' || become === 'yes',
  };
}

function readVars(node: Node | null | undefined, where: string, fail: (node: Node | null | undefined, detail: string) => never): Vars | undefined {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return undefined;
  if (!isMap(node)) return fail(node, `${where} must be a mapping of variables`);
  const vars: Vars = new Map();
  for (const pair of node.items) {
    const value = pair.value as Node | null;
    vars.set(keyOf(pair.key as Node, fail), { value: isScalar(value) ? value.value : value?.toJSON(), node: value ?? (pair.key as Node) });
  }
  return vars;
}

function keyOf(node: Node, fail: (node: Node | null | undefined, detail: string) => never): string {
  if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) return fail(node, 'keys must be plain names');
  return String(node.value);
}
