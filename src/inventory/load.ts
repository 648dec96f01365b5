// Reads an inventory file (and `--limit @file`). The only I/O of the inventory stage.
import { readInputText } from '../local/input-file.js';
import { LocalResourceError } from '../local/resource-error.js';
import type { HostSpec } from '../model/index.js';
import { InventoryError, parseInventory } from './parse.js';
import { splitHostPattern } from './limit.js';

/** Reads the file and parses it as Ansible YAML, Ansible INI or a plain host list (told apart by content). */
export function loadInventory(path: string): HostSpec[] {
  return parseInventory(readText(path, 'the inventory'), path);
}

/**
 * A --limit value split into patterns, with Ansible's `@file` parts (InventoryManager.subset)
 * replaced by the file's lines, one pattern a line; feed the result to selectHostsByPatterns.
 */
export function readLimit(pattern: string): string[] {
  return splitHostPattern(pattern).flatMap((part) =>
    part.startsWith('@') ? readText(part.slice(1), 'the limit file').split('\n').map((l) => l.trim()) : [part],
  );
}

function readText(path: string, what: string): string {
  try {
    return readInputText(path, what === 'the inventory' ? 'inventory' : 'limit-file');
  } catch (err) {
    if (err instanceof LocalResourceError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' :
      code === 'EACCES' ? 'permission denied' :
      code === 'EISDIR' ? `is a directory, not ${what === 'the inventory' ? 'an inventory file' : 'a limit file'}` :
      (err as Error).message;
    throw new InventoryError(path, 0, 0, `cannot read ${what}: ${why}`, 'unreadable');
  }
}
