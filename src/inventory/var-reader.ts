// Reading one host's variables as the connection plugins read them: which of two names wins, what
// counts as text, and the problems that keep the host from being contacted. Pure.
import { oneLine } from './errors.js';
import type { VarEntry, VarMap } from './graph.js';
import { UnsafeText, VaultValue } from './yaml-document.js';

// lib/ansible/module_utils/parsing/convert_bool.py; become is a strict bool attribute
// (lib/ansible/playbook/base.py: boolean(value, strict=True)), so anything else is an error.
const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** Ansible's boolean(value, strict): null when strict and the value is no boolean word. */
export function ansibleBoolean(value: unknown, strict: boolean): boolean | null {
  if (typeof value === 'boolean') return value;
  const word = typeof value === 'string' ? value.trim().toLowerCase() : typeof value === 'number' ? String(value) : null;
  if (word !== null && TRUE_WORDS.has(word)) return true;
  if ((word !== null && FALSE_WORDS.has(word)) || !strict) return false;
  return null;
}

/** Reads variables as text for one host, collecting why it cannot be contacted. */
export class HostVarReader {
  readonly problems: string[] = [];

  constructor(readonly host: string, readonly vars: VarMap) {}

  where(entry: VarEntry): string {
    return `${entry.file}:${entry.at.line}:${entry.at.col}`;
  }

  problem(entry: VarEntry, detail: string): undefined {
    this.problems.push(`${this.where(entry)}: ${oneLine(detail)}`);
    return undefined;
  }

  /** A variable that is set (not null), with its name. */
  get(name: string): [string, VarEntry] | undefined {
    const entry = this.vars.get(name);
    return entry === undefined || entry.value === null || entry.value === undefined ? undefined : [name, entry];
  }

  /**
   * The connection plugins list the new name, then the old one (`ansible_host`, `ansible_ssh_host`)
   * and lib/ansible/config/manager.py _loop_entries keeps the LAST one set ("last one wins"), as does
   * PlayContext's MAGIC_VARIABLE_MAPPING (`remote_addr=('ansible_ssh_host', 'ansible_host')`, first
   * wins). So when both are set, at any level, the old `ansible_ssh_*` name wins: checked with
   * ansible-core 2.14.18 (`ansible -m ping -vvv` connects to ansible_ssh_host's address).
   */
  pick(newName: string, oldName: string): [string, VarEntry] | undefined {
    return this.get(oldName) ?? this.get(newName);
  }

  /** A value used as text: a string or a number; a template or a vault value is a problem. */
  text(found: [string, VarEntry] | undefined): string | undefined {
    if (!found) return undefined;
    const [key, entry] = found;
    const { value } = entry;
    if (value instanceof UnsafeText) return value.text; // never templated: `{{` is text
    if (value instanceof VaultValue) {
      return this.problem(entry, `${key} of host "${this.host}" is encrypted with Ansible Vault (!vault); fleetstat does not decrypt it`);
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      return this.problem(entry, `${key} of host "${this.host}" must be a string, not ${describe(value)}`);
    }
    const text = String(value);
    // Ansible would template this (jinja2's {{ }}, {% %}, {# #}); fleetstat does not
    if (/\{\{|\{%|\{#/.test(text)) {
      return this.problem(entry, `${key} of host "${this.host}" is a Jinja2 template ("${text}"); fleetstat does not evaluate templates`);
    }
    return text;
  }
}

/** A value text() reads (a string, or one of Ansible's tagged strings). */
export function isTextual(value: unknown): boolean {
  return typeof value === 'string' || value instanceof UnsafeText || value instanceof VaultValue;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value instanceof UnsafeText) return `"${value.text}"`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'a mapping';
}
