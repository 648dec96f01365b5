// Reads an inventory (a file, or a directory of them), its group_vars/host_vars, and `--limit @file`.
// The I/O of the inventory stage (with vars-files.ts); parsing is parse.ts's.
//
// An inventory directory is read as Ansible's InventoryManager.parse_source reads one: every entry
// in sorted order, subdirectories recursively, all into one inventory; skipped are names starting
// with `.`, `group_vars`, `host_vars`, `vars_plugins`, and names ending in one of
// INVENTORY_IGNORE_EXTS (lib/ansible/config/base.yml; REJECT_EXTS + .orig .ini .cfg .retry) — so an
// `.ini` file in an inventory directory is skipped, as Ansible skips it. Ansible's defaults only:
// ansible.cfg and ANSIBLE_* variables are not read. An executable file starting with `#!` is an
// inventory script, which Ansible would run: fleetstat never runs one (an error saying how to export
// its output). A file Ansible would only warn about and skip (it parses as no format) is an error.
import { accessSync, constants, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readFailureReason, readInputText } from '../local/input-file.js';
import { LocalResourceError } from '../local/resource-error.js';
import type { HostSpec } from '../model/index.js';
import { InventoryError } from './errors.js';
import { InventoryGraph } from './graph.js';
import { selectHostsByPatterns, splitHostPattern } from './limit.js';
import { finishGraph, inventoryHosts, isBlank, readInventoryText, resolveHosts, withPlaces } from './parse.js';
import { byCodePoint } from './vars.js';
import { kindOf, VarsFileLoader } from './vars-files.js';

const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
const MAX_DEPTH = 32;

export interface LoadedInventory {
  /** the selected hosts, in inventory order */
  hosts: HostSpec[];
  /** --limit patterns that matched no host, as written */
  unmatched: string[];
  /** worth telling the user (a vars file that could not be read) */
  warnings: string[];
}

/**
 * Reads the inventory at `path` (Ansible YAML, INI, the JSON of `ansible-inventory --list`, or a
 * plain host list, told apart by content; or a directory of them), selects the hosts `--limit`'s
 * patterns name (all without), and resolves each selected host's variables with its group_vars and
 * host_vars. Bad files are an InventoryError; a host that cannot be reached as written is not.
 */
export function loadInventory(path: string, limit: string[] = []): LoadedInventory {
  const { graph, varsFiles } = readInventory(path);
  const selection = selectHostsByPatterns(inventoryHosts(graph), limit, graph.groups.keys());
  const hosts = withPlaces(resolveHosts(graph, selection.hosts, varsFiles), selection.hosts);
  return { hosts, unmatched: selection.unmatched, warnings: varsFiles.warnings };
}

/** The inventory's files read into one graph, and its group_vars/host_vars, read as hosts need them. */
export function readInventory(path: string): { graph: InventoryGraph; varsFiles: VarsFileLoader } {
  const directory = kindOf(path) === 'directory';
  const graph = new InventoryGraph();
  if (directory) {
    for (const file of directoryFiles(path, new Set([realpathSync(path)]), 0)) readInventoryText(readSource(file), file, graph);
    finishGraph(graph, { directory: path });
  } else {
    const text = readSource(path);
    readInventoryText(text, path, graph);
    finishGraph(graph, { file: path, blank: isBlank(text) });
  }
  return { graph, varsFiles: new VarsFileLoader(directory ? path : dirname(path), (file) => readText(file, 'the vars file')) };
}

/**
 * A --limit value split into patterns, with Ansible's `@file` parts (InventoryManager.subset)
 * replaced by the file's lines, one pattern a line; feed the result to loadInventory.
 */
export function readLimit(pattern: string): string[] {
  return splitHostPattern(pattern).flatMap((part) =>
    part.startsWith('@') ? readText(part.slice(1), 'the limit file').split('\n').map((l) => l.trim()) : [part],
  );
}

/** The inventory files of a directory, in the order Ansible parses them. */
function directoryFiles(dir: string, seen: Set<string>, depth: number): string[] {
  const files: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    throw new InventoryError(dir, 0, 0, `cannot read the inventory directory: ${(err as Error).message}`, 'unreadable');
  }
  for (const entry of entries.sort(byCodePoint)) {
    if (IGNORED_NAMES.test(entry) || IGNORED_EXTS.some((ext) => entry.endsWith(ext))) continue;
    const path = join(dir, entry);
    const kind = kindOf(path);
    if (kind === 'other') throw new InventoryError(path, 0, 0, 'not a regular file (a FIFO, socket or device) in the inventory directory', 'unreadable');
    if (kind !== 'directory') {
      files.push(path);
      continue;
    }
    const real = realpathSync(path);
    if (depth >= MAX_DEPTH || seen.has(real)) {
      throw new InventoryError(path, 0, 0, `a directory loop in the inventory (or more than ${MAX_DEPTH} levels)`, 'unreadable');
    }
    files.push(...directoryFiles(path, new Set([...seen, real]), depth + 1));
  }
  return files;
}

/** An inventory file's text; an inventory script (executable, `#!`) is refused, never run. */
function readSource(path: string): string {
  const text = readText(path, 'the inventory');
  if (text.startsWith('#!') && isExecutable(path)) {
    throw new InventoryError(path, 1, 1,
      'an inventory script (executable, starting with #!), which Ansible would run and fleetstat never runs: ' +
      'save its output with `ansible-inventory -i FILE --list > hosts.json` and scan that', 'script');
  }
  return text;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readText(path: string, what: string): string {
  try {
    // group_vars/host_vars files are bounded as inventories are
    return readInputText(path, what === 'the limit file' ? 'limit-file' : 'inventory');
  } catch (err) {
    if (err instanceof LocalResourceError) throw err;
    const why = (err as NodeJS.ErrnoException).code === 'EISDIR'
      ? `is a directory, not ${what === 'the inventory' ? 'an inventory file' : 'a limit file'}`
      : readFailureReason(err);
    throw new InventoryError(path, 0, 0, `cannot read ${what}: ${why}`, 'unreadable');
  }
}
