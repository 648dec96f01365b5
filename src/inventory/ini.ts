// Ansible's INI inventory, as lib/ansible/plugins/inventory/ini.py reads it:
//   host lines before any section are in `ungrouped`; `[g]` lists hosts, `[g:vars]` key=value lines,
//   `[g:children]` group names; whole-line comments start with `#` or `;`.
//   A host line is split like a shell line (shlex.ts: Python shlex, POSIX, `#` starts a comment):
//   the host pattern (ranges, `:port`), then `key=value` tokens; quotes group and are removed.
//   Every value goes through Python's ast.literal_eval (python-literal.ts): `2222` is a number,
//   `"deploy"` is deploy, `True` a boolean; what is no literal stays text (`yes`, `10.0.0.1`).
//   In a `[g:vars]` line the value is everything after the first `=`, trimmed (no shlex there).
//   A group named only in `[g:children]` or `[g:vars]` must be declared by a `[g]` or `[g:children]`
//   section somewhere in the file (or by a file read before it), as in Ansible.
// Pure: text in, added to the graph; every error names file:line:col.
import { InventoryError, type InventoryErrorKind } from './errors.js';
import type { InventoryGraph, SourcePos } from './graph.js';
import { pythonLiteralOrText } from './python-literal.js';
import { expandHostPattern, RangeProblem } from './ranges.js';
import { shlexSplit, ShlexProblem, type ShellWord } from './shlex.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;

interface Pending {
  line: number;
  col: number;
  state: 'vars' | 'children';
  /** for `children`: the groups waiting to take this one as a child */
  parents: string[];
}

/** Adds an INI file's groups, hosts and variables to the graph (reconcile() comes after every file). */
export function readIniInventory(text: string, file: string, graph: InventoryGraph): void {
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' = 'hosts';

  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    const fail = (detail: string, col = indent + 1, kind: InventoryErrorKind = 'ini-syntax'): never => {
      throw new InventoryError(file, lineNo, col, detail, kind);
    };
    const at = (col = indent + 1): SourcePos => ({ line: lineNo, col });
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;

    const section = SECTION.exec(line);
    if (section) {
      group = section[1]!;
      const kind = section[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'children' && kind !== 'vars') {
        fail(`section [${group}:${kind}] has an unknown type "${kind}" (expected [${group}], [${group}:vars] or [${group}:children])`);
      }
      state = kind as typeof state;
      if (!graph.groups.has(group)) {
        // [g:vars] alone does not declare g: remember it, and check at the end
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineNo, col: indent + 1, state: 'vars', parents: [] });
        graph.addGroup(group, at());
      }
      const waiting = pending.get(group);
      if (waiting && state !== 'vars') {
        if (waiting.state === 'children') addPendingChildren(graph, group, pending);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(`invalid section "${line}": a section is [group], [group:vars] or [group:children], without spaces`);
    }

    if (state === 'hosts') {
      const tokens = hostLineWords(line, indent, fail);
      if (tokens.length === 0) return; // only a comment after all
      const [first, ...rest] = tokens as [Token, ...Token[]];
      const pattern = first.text;
      let expanded;
      try {
        expanded = expandHostPattern(pattern);
      } catch (err) {
        if (!(err instanceof RangeProblem)) throw err;
        return fail(err.message, first.col + (first.plain ? err.offset : 0), err.kind);
      }
      if (pattern.endsWith(':') && expanded.port === null) {
        fail(`host "${pattern}" ends in ":" without a port`, first.col);
      }
      if (pattern === '---') fail('a host named "---": this looks like a YAML file, not INI', first.col);
      const vars = rest.map((token) => {
        const eq = token.text.indexOf('=');
        if (eq < 0) fail(`expected key=value after the host name, got "${token.text}"`, token.col);
        const key = token.text.slice(0, eq);
        return { key, value: pythonLiteralOrText(token.text.slice(eq + 1)), file, at: at(token.col + (token.plain ? eq + 1 : 0)) };
      });
      for (const name of expanded.names) {
        const isNew = !graph.hosts.has(name);
        graph.addHost(name, group, at(first.col));
        // Host(name, port): a `:port` in the pattern sets ansible_port when the host is first seen
        if (isNew && expanded.port !== null) graph.setHostVar(name, 'ansible_port', { value: expanded.port, file, at: at(first.col) });
        for (const v of vars) graph.setHostVar(name, v.key, { value: v.value, file: v.file, at: v.at });
      }
      return;
    }

    if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`expected key=value in [${group}:vars], got "${line}"`);
      const key = line.slice(0, eq).trim();
      const valueText = line.slice(eq + 1);
      const value = valueText.trim();
      const valueCol = indent + eq + 2 + (valueText.length - valueText.trimStart().length);
      graph.setGroupVar(group, key, { value: pythonLiteralOrText(value), file, at: at(valueCol) });
      return;
    }

    // [g:children]: one group name a line; it may be declared further down
    const m = GROUP_NAME.exec(line);
    if (!m) fail(`expected a group name in [${group}:children], got "${line}"`);
    const child = m![1]!;
    if (!graph.groups.has(child)) {
      const waiting = pending.get(child);
      if (waiting) waiting.parents.push(group);
      else pending.set(child, { line: lineNo, col: indent + 1, state: 'children', parents: [group] });
    } else {
      graph.addChild(group, child, at());
    }
  });

  // a name still pending was never declared
  for (const [name, decl] of pending) {
    const detail = decl.state === 'vars'
      ? `[${name}:vars] is for a group that is never declared (no [${name}] or [${name}:children] section)`
      : `[${decl.parents[decl.parents.length - 1]}:children] names group "${name}", which is never declared (no [${name}] or [${name}:children] section)`;
    throw new InventoryError(file, decl.line, decl.col, detail, 'undeclared-group');
  }
}

function addPendingChildren(graph: InventoryGraph, group: string, pending: Map<string, Pending>): void {
  const decl = pending.get(group)!;
  for (const parent of decl.parents) {
    graph.addChild(parent, group, { line: decl.line, col: decl.col });
    if (pending.get(parent)?.state === 'children') addPendingChildren(graph, parent, pending);
  }
  pending.delete(group);
}

interface Token {
  text: string;
  /** 1-based column where the token starts */
  col: number;
  /** written without quotes or escapes, so offsets in the text are offsets in the line */
  plain: boolean;
}

/** Python's shlex.split(line, comments=True), as ini.py splits a host line. */
function hostLineWords(line: string, indent: number, fail: (detail: string, col?: number) => never): Token[] {
  let words: ShellWord[];
  try {
    words = shlexSplit(line, { comments: true });
  } catch (err) {
    if (!(err instanceof ShlexProblem)) throw err;
    return fail(`${err.message} in host line`, indent + err.offset + 1);
  }
  return words.map((w) => ({ text: w.text, col: indent + w.offset + 1, plain: w.plain }));
}
