// group_vars/ and host_vars/ beside the inventory, found and merged as Ansible's host_group_vars vars
// plugin does (lib/ansible/plugins/vars/host_group_vars.py, DataLoader.find_vars_files, 2.14):
//   - the directory is the inventory's own when the inventory is a directory, else the inventory
//     file's directory (never a subdirectory's, never the current directory: there is no playbook);
//   - for a name, the first of `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json` that exists is used, and
//     only that one: a directory `NAME/` is read whole, every file in it in sorted order and every
//     subdirectory without an extension recursively; names starting with `.` or ending in `~` are
//     skipped, and files whose extension is not .yml/.yaml/.json (a file without one is read);
//   - later files replace earlier files' keys; an empty file adds nothing;
//   - a host whose name starts with `/` has no host_vars (Ansible: "chroot" names).
// A file is only read when a selected host needs it, as Ansible reads them only for the hosts a play
// runs on: a broken group_vars/db.yml stops the scan (Ansible: "ERROR!") only when a db host is
// selected. A file encrypted whole with Ansible Vault cannot be read without its password: it is
// skipped with a warning (the hosts are still scanned). This is a loader: it reads files.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { VarMap } from './graph.js';
import type { VarsFiles } from './vars.js';
import { byCodePoint } from './vars.js';
import { readVarsFile } from './yaml.js';

const EXTENSIONS = ['.yml', '.yaml', '.json']; // YAML_FILENAME_EXTENSIONS
const MAX_DEPTH = 32; // directories within NAME/, against a symlink loop

export class VarsFileLoader implements VarsFiles {
  readonly warnings: string[] = [];
  private readonly merged = new Map<string, VarMap>();

  constructor(
    private readonly baseDir: string,
    private readonly readText: (path: string) => string,
  ) {}

  group(name: string): VarMap {
    return this.load('group_vars', name);
  }

  host(name: string): VarMap {
    return this.load('host_vars', name);
  }

  private load(subdir: 'group_vars' | 'host_vars', name: string): VarMap {
    const key = `${subdir}/${name}`;
    let vars = this.merged.get(key);
    if (vars) return vars;
    vars = new Map();
    if (!name.startsWith('/')) {
      for (const file of this.find(join(this.baseDir, subdir), name)) {
        const text = this.readText(file);
        if (text.startsWith('$ANSIBLE_VAULT')) {
          this.warnings.push(`${file}: encrypted with Ansible Vault, which fleetstat does not decrypt: not read (if it sets how to reach hosts, they are reached without it)`);
          continue;
        }
        for (const [k, v] of readVarsFile(text, file)) vars.set(k, v);
      }
    }
    this.merged.set(key, vars);
    return vars;
  }

  /** DataLoader.find_vars_files(dir, name): the files for `name`, in the order they are merged. */
  private find(dir: string, name: string): string[] {
    const kind = kindOf(dir);
    if (kind === null) return [];
    if (kind !== 'directory') {
      this.warnOnce(`${dir}: not a directory, skipped (as Ansible skips it)`);
      return [];
    }
    for (const candidate of ['', ...EXTENSIONS].map((ext) => join(dir, name + ext))) {
      const found = kindOf(candidate);
      if (found === 'directory') return this.directoryFiles(candidate, new Set([realpathSync(candidate)]), 0);
      if (found === 'file') return [candidate];
      if (found === 'other') {
        this.warnOnce(`${candidate}: not a regular file (a FIFO, socket or device), not read`);
        return [];
      }
    }
    return [];
  }

  /** DataLoader._get_dir_vars_files: sorted, hidden and backup names skipped, subdirectories recursed. */
  private directoryFiles(dir: string, seen: Set<string>, depth: number): string[] {
    const found: string[] = [];
    for (const entry of readdirSync(dir).sort(byCodePoint)) {
      if (entry.startsWith('.') || entry.endsWith('~')) continue;
      const ext = extensionOf(entry);
      const path = join(dir, entry);
      const kind = kindOf(path);
      if (kind === 'directory' && ext === '') {
        const real = realpathSync(path);
        if (depth >= MAX_DEPTH || seen.has(real)) {
          this.warnOnce(`${path}: a directory loop (or more than ${MAX_DEPTH} levels), not read`);
          continue;
        }
        found.push(...this.directoryFiles(path, new Set([...seen, real]), depth + 1));
      } else if (kind === 'file' && (ext === '' || EXTENSIONS.includes(ext))) {
        found.push(path);
      }
    }
    return found;
  }

  private warnOnce(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }
}

/** What is at a path, following symlinks (os.path.exists / isdir / isfile); null: nothing (or a broken link). */
export function kindOf(path: string): 'directory' | 'file' | 'other' | null {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other';
  } catch {
    return null;
  }
}

/** Python's os.path.splitext(name)[1] for a name that does not start with a dot. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}
