// Reads an inventory file. The only I/O of the inventory stage.
import { readFileSync } from 'node:fs';
import type { HostSpec } from '../model/index.js';
import { InventoryError, parseInventory } from './parse.js';

export function loadInventory(path: string): HostSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' :
      code === 'EACCES' ? 'permission denied' :
      code === 'EISDIR' ? 'is a directory, not an inventory file' :
      (err as Error).message;
    throw new InventoryError(path, 0, 0, `cannot read the inventory: ${why}`);
  }
  return parseInventory(text, path);
}
