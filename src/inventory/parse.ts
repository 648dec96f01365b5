// An inventory file's text → the hosts to scan, read the way Ansible reads it. Three formats, told
// apart by content (detectInventoryFormat), not by file name:
//   - Ansible YAML (`all:`, `children:`, `hosts:`, `vars:`) and fleetstat's plain YAML list of
//     hosts (`- web01`, `- {name: web01, ansible_host: 127.0.0.2}`): yaml.ts
//   - Ansible INI (`[web]`, `[web:vars]`, `[web:children]`, `host key=value`): ini.ts
// Groups, membership and host order: graph.ts; variable precedence and the connection variables:
// vars.ts; host ranges `web[01:20]`: ranges.ts. Pure: text in, hosts out; every error is one
// InventoryError naming file:line:col and the key, host or group at fault.
import type { HostSpec } from '../model/index.js';
import { inFile } from './errors.js';
import type { InventoryGraph } from './graph.js';
import { readIniInventory } from './ini.js';
import { resolveHosts } from './vars.js';
import { readYamlInventory } from './yaml.js';

export { InventoryError, type InventoryErrorKind } from './errors.js';

export type InventoryFormat = 'yaml' | 'ini';

/**
 * YAML or INI, from the first line that is not blank or a comment:
 *   `[name]` / `[name:vars]` / `[name:children]`, or a line starting with `;` → INI;
 *   `---`, `%YAML`, `- …`, `{`, `key:` (a colon then a space or the end of the line) → YAML;
 *   anything else is an INI host line (`web01`, `web01:2222 ansible_user=deploy`) → INI.
 * A file with nothing but comments is YAML (and then "empty").
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

/** The inventory as Ansible would hold it: groups, hosts and the variables set on each. */
export function parseInventoryGraph(text: string, file: string): InventoryGraph {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // a byte-order mark from a Windows editor
  return inFile(file, () => (detectInventoryFormat(body) === 'ini' ? readIniInventory(body, file) : readYamlInventory(body, file)));
}

/**
 * The hosts of an inventory, in the order `ansible all --list-hosts` prints them, each with its
 * connection settings after Ansible's variable precedence and its group_names.
 */
export function parseInventory(text: string, file: string): HostSpec[] {
  const graph = parseInventoryGraph(text, file);
  return inFile(file, () => resolveHosts(graph));
}
