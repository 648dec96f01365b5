// An inventory file's text → the hosts to scan, read the way Ansible reads it. The formats, told
// apart by content (detectInventoryFormat), not by file name:
//   - Ansible YAML (`all:`, `children:`, `hosts:`, `vars:`), the same written as JSON, the JSON
//     `ansible-inventory --list` prints (json-list.ts), and fleetstat's plain YAML list of hosts
//     (`- web01`, `- {name: web01, ansible_host: 127.0.0.2}`): yaml.ts
//   - Ansible INI (`[web]`, `[web:vars]`, `[web:children]`, `host key=value`): ini.ts
// Groups, membership and host order: graph.ts; variable precedence: vars.ts; what the connection
// variables mean: host-spec.ts; host ranges `web[01:20]`: ranges.ts. Pure: text in, hosts out
// (load.ts reads the files, directories and group_vars/host_vars); every error is one
// InventoryError naming file:line:col and the key, host or group at fault.
import type { HostSpec } from '../model/index.js';
import { inFile, InventoryError } from './errors.js';
import { InventoryGraph, type HostNode } from './graph.js';
import { toHostSpec } from './host-spec.js';
import { readIniInventory } from './ini.js';
import { groupNames, hostVars, NO_VARS_FILES, type VarsFiles } from './vars.js';
import { readYamlInventory } from './yaml.js';

export { InventoryError, type InventoryErrorKind } from './errors.js';

export type InventoryFormat = 'yaml' | 'ini';

/**
 * YAML or INI, from the first line that is not blank or a comment:
 *   `[name]` / `[name:vars]` / `[name:children]`, or a line starting with `;` → INI;
 *   `---`, `%YAML`, `- …`, `{`, `key:` (a colon then a space or the end of the line) → YAML;
 *   anything else is an INI host line (`web01`, `web01:2222 ansible_user=deploy`) → INI.
 * A file with nothing but comments is YAML (and then "empty"). JSON is YAML here.
 */
export function detectInventoryFormat(text: string): InventoryFormat {
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith(';')) return 'ini';
    if (/^\[[^:\]\s]+(?::\w+)?\]\s*(?:#.*)?$/u.test(line)) return 'ini';
    if (/^(?:---|\.\.\.|%YAML|%TAG)/.test(line) || /^-(?:\s|$)/.test(line) || line.startsWith('{')) return 'yaml';
    // a mapping key: plain (`all:`), quoted (`"web 1":`), followed by a space or the end of the line
    if (/^(?:"[^"]*"|'[^']*'|[^\s:#'"][^\s:]*(?::[^\s:]+)*)\s*:(?:\s|$)/.test(line)) return 'yaml';
    return 'ini';
  }
  return 'yaml';
}

/** Adds one inventory file's groups, hosts and variables to the graph (several files may share one). */
export function readInventoryText(text: string, file: string, graph: InventoryGraph): void {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // a byte-order mark from a Windows editor
  graph.currentFile = file;
  inFile(file, () => (detectInventoryFormat(body) === 'ini' ? readIniInventory(body, file, graph) : readYamlInventory(body, file, graph)));
  graph.currentFile = null;
}

/**
 * Once every file is read: InventoryData.reconcile_inventory, and an inventory without a host is an
 * error (`where` names the file, or the directory as a whole).
 */
export function finishGraph(graph: InventoryGraph, where: { file: string; blank: boolean } | { directory: string }): InventoryGraph {
  inFile('file' in where ? where.file : where.directory, () => graph.reconcile());
  if (graph.hosts.size > 0) return graph;
  if ('directory' in where) throw new InventoryError(where.directory, 0, 0, 'no file of the inventory directory lists a host', 'empty');
  throw new InventoryError(where.file, 1, 1, where.blank ? 'the inventory is empty' : 'the inventory lists no hosts', 'empty');
}

/** The inventory as Ansible would hold it: groups, hosts and the variables set on each. */
export function parseInventoryGraph(text: string, file: string): InventoryGraph {
  const graph = new InventoryGraph();
  readInventoryText(text, file, graph);
  return finishGraph(graph, { file, blank: isBlank(text) });
}

/** A host of the graph with its group_names: what --limit selects from. */
export interface InventoryHost {
  name: string;
  groups: string[];
  node: HostNode;
}

/** Every host, in the order `ansible all --list-hosts` prints them, with Ansible's group_names. */
export function inventoryHosts(graph: InventoryGraph): InventoryHost[] {
  return graph.hostOrder().map((node) => ({ name: node.name, groups: groupNames(graph, node), node }));
}

/** The hosts' connection settings after Ansible's variable precedence. */
export function resolveHosts(graph: InventoryGraph, hosts = inventoryHosts(graph), files: VarsFiles = NO_VARS_FILES): HostSpec[] {
  const depth = graph.depths();
  return hosts.map((h) => toHostSpec(h.name, h.groups, hostVars(graph, h.node, depth, files)));
}

/** The same hosts, each with where its inventory first names it (what `check` anchors findings on). */
export function withPlaces(specs: HostSpec[], hosts: readonly InventoryHost[]): HostSpec[] {
  return specs.map((spec, i) => {
    const node = hosts[i]?.node;
    return node?.file != null ? { ...spec, definedAt: { file: node.file, line: node.at.line, column: node.at.col } } : spec;
  });
}

/**
 * The hosts of one inventory file's text (no group_vars/host_vars), in the order `ansible all
 * --list-hosts` prints them, each with its connection settings and its group_names.
 */
export function parseInventory(text: string, file: string): HostSpec[] {
  return resolveHosts(parseInventoryGraph(text, file));
}

/** Nothing but blank lines and comments. */
export function isBlank(text: string): boolean {
  return text.split(/\r\n|\r|\n/).every((l) => {
    const line = l.trim();
    return line === '' || line.startsWith('#') || line.startsWith(';') || line === '\uFEFF';
  });
}
