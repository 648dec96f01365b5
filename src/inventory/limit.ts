// `--limit PATTERN` as Ansible reads it (ansible/ansible lib/ansible/inventory/manager.py):
//   split_host_pattern   `a,b` (commas win); else `a:b` unless the whole is one host[:port]/range/IPv6
//   order_patterns       plain patterns first (their union), then `&x` (intersections), then `!x`
//                        (exclusions); only `&`/`!` patterns: they apply to `all`
//   _match_one_pattern   `all` or `*` every host; a group name: every host in it or its children;
//                        a glob (`web*`, `*.example.com`, `db[0-9]`), fnmatch over group and host
//                        names; `~regex`, Python re.match (anchored at the start only) over both;
//                        a subscript `web[0]`, `web[-1]`, `web[1:]`, `web[0:2]` (inclusive) picks
//                        from a group's matches
//   a plain pattern that is exactly a host's name is that host, even if a group has the name too;
//   after `&`/`!` a group of that name wins.
// The selected hosts keep the inventory's order: Ansible applies --limit as a subset of the play's
// host list (`all` for a scan), which is in inventory order.
// Patterns that match no host are returned in `unmatched` (Ansible warns "Could not match supplied
// host pattern, ignoring: …", only when no group matched either: a group without hosts matches
// nothing, quietly). Different: `localhost` is not made up when absent.
// `@file` (patterns read from a file) is I/O: load.ts's readLimit expands it before this runs.
import { InventoryError } from './errors.js';
import { parseAddress } from './ranges.js';

/** What a pattern is matched against: the inventory name and Ansible's group_names. */
export interface Selectable {
  name: string;
  groups: string[];
}

export interface Selection<T extends Selectable> {
  hosts: T[];
  /** parts of the pattern that matched no host, as written (`nosuch`, `!typo`, `~^db9`) */
  unmatched: string[];
}

export function selectHosts<T extends Selectable>(hosts: T[], pattern: string): Selection<T> {
  return selectHostsByPatterns(hosts, splitHostPattern(pattern));
}

/**
 * selectHosts over patterns already split (e.g. the lines of an `@file`). An empty list selects every
 * host. `groups`: every group of the inventory, so that one without hosts is known.
 */
export function selectHostsByPatterns<T extends Selectable>(hosts: T[], patterns: string[], groups: Iterable<string> = []): Selection<T> {
  const list = patterns.map((p) => p.trim()).filter((p) => p !== '');
  if (list.length === 0) return { hosts: [...hosts], unmatched: [] };
  const index = new InventoryIndex(hosts, groups);
  const unmatched: string[] = [];
  const plain = list.filter((p) => !p.startsWith('&') && !p.startsWith('!'));
  // only `&`/`!` patterns: they narrow `all` (order_patterns); that `all` is not the user's, never "unmatched"
  const selected = new Set<T>(plain.length === 0 ? hosts : []);
  const ordered = [...plain, ...list.filter((p) => p.startsWith('&')), ...list.filter((p) => p.startsWith('!'))];
  for (const p of ordered) {
    const exact = !p.startsWith('&') && !p.startsWith('!') ? index.host(p) : undefined;
    const { hosts: matched, groupMatched } = exact ? { hosts: [exact], groupMatched: false } : index.match(p.startsWith('&') || p.startsWith('!') ? p.slice(1) : p);
    if (matched.length === 0 && !groupMatched) unmatched.push(p);
    if (p.startsWith('!')) {
      for (const h of matched) selected.delete(h);
    } else if (p.startsWith('&')) {
      const keep = new Set(matched);
      for (const h of selected) if (!keep.has(h)) selected.delete(h);
    } else {
      for (const h of matched) selected.add(h);
    }
  }
  return { hosts: hosts.filter((h) => selected.has(h)), unmatched };
}

/**
 * split_host_pattern: `a,b , c` → [a, b, c]; without commas, one pattern if it parses as an address
 * (`web[01:10]`, `::1`, `db01:22`), else split on `:` outside `[...]` (`web:&prod:!db`).
 */
export function splitHostPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern) !== null) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

class InventoryIndex<T extends Selectable> {
  private readonly byName = new Map<string, T>();
  /** every group with its hosts in inventory order; `all` holds every host */
  private readonly groups = new Map<string, T[]>();

  constructor(hosts: T[], groups: Iterable<string>) {
    this.groups.set('all', [...hosts]);
    for (const g of groups) if (!this.groups.has(g)) this.groups.set(g, []);
    for (const host of hosts) {
      this.byName.set(host.name, host);
      // a host in no group is in `ungrouped`, whether or not its groups say so
      const groups = host.groups.length === 0 ? ['ungrouped'] : host.groups;
      for (const g of groups) {
        const members = this.groups.get(g) ?? [];
        members.push(host);
        this.groups.set(g, members);
      }
    }
  }

  host(name: string): T | undefined {
    return this.byName.get(name);
  }

  /**
   * _match_one_pattern without the `&`/`!`: groups first, then hosts (for globs and regexes, or when
   * no group matched); and whether a group matched (_enumerate_matches warns only when none did).
   */
  match(pattern: string): { hosts: T[]; groupMatched: boolean } {
    const { expr, subscript } = splitSubscript(pattern);
    const test = matcher(expr);
    const results = new Set<T>();
    const groupNames = [...this.groups.keys()].filter((g) => test(g));
    for (const g of groupNames) for (const h of this.groups.get(g)!) results.add(h);
    if (groupNames.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) {
      for (const [name, host] of this.byName) if (test(name)) results.add(host);
    }
    // a subscript past the end: Ansible stops ("No hosts matched the subscripted pattern"); unmatched here
    return { hosts: applySubscript([...results], subscript), groupMatched: groupNames.length > 0 && subscript === null };
  }
}

/** (start, end) as Ansible keeps it: `[i]` → (i, null), `[i:]` → (i, -1), `[i:j]` → (i, j). */
interface Subscript {
  start: number;
  end: number | null;
}

// PATTERN_WITH_SUBSCRIPT: `pattern[3]`, `pattern[-1]`, `pattern[1:]`, `pattern[1:3]`; not on a regex
const WITH_SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;

function splitSubscript(pattern: string): { expr: string; subscript: Subscript | null } {
  if (pattern.startsWith('~')) return { expr: pattern, subscript: null };
  const m = WITH_SUBSCRIPT.exec(pattern);
  if (!m) return { expr: pattern, subscript: null };
  if (m[2] !== undefined) return { expr: m[1]!, subscript: { start: Number(m[2]), end: null } };
  return { expr: m[1]!, subscript: { start: Number(m[3]), end: m[5] ? Number(m[5]) : -1 } };
}

/**
 * _apply_subscript, Python semantics: with a (truthy) end, the inclusive slice start..end (-1: to the
 * last); otherwise the single host at start (negative counts from the end). Ansible stops with "No
 * hosts matched the subscripted pattern" on an index past the end; here it matches nothing.
 */
function applySubscript<T>(hosts: T[], subscript: Subscript | null): T[] {
  if (!subscript || hosts.length === 0) return hosts;
  const { start, end } = subscript;
  if (end) return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
  const host = hosts[start < 0 ? hosts.length + start : start];
  return host ? [host] : [];
}

/** fnmatch for plain and glob patterns (case-sensitive, whole name); Python re.match for `~regex`. */
function matcher(pattern: string): (name: string) => boolean {
  let re: RegExp;
  try {
    re = pattern.startsWith('~') ? pythonRegex(pattern.slice(1)) : new RegExp(`^(?:${fnmatchToRegex(pattern)})$`, 's');
  } catch (err) {
    throw new InventoryError('--limit', 0, 0, `invalid host pattern "${pattern}": ${(err as Error).message}`, 'bad-limit');
  }
  return (name) => re.test(name);
}

/** Python's re.match: anchored at the start, not the end. `(?P<n>…)` and a leading `(?i)` are translated. */
function pythonRegex(source: string): RegExp {
  let flags = 'u';
  let body = source;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline) {
    if (inline[1]!.includes('i')) flags += 'i';
    if (inline[1]!.includes('s')) flags += 's';
    if (inline[1]!.includes('m')) flags += 'm';
    body = body.slice(inline[0].length);
  }
  body = body.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  return new RegExp(`^(?:${body})`, flags);
}

/** Python's fnmatch.translate: `*` any run, `?` one character, `[seq]`, `[!seq]`; an unclosed `[` is literal. */
function fnmatchToRegex(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i++]!;
    if (c === '*') {
      out += '.*';
      while (pattern[i] === '*') i++;
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\[';
        continue;
      }
      let stuff = pattern.slice(i, j);
      i = j + 1;
      const negate = stuff.startsWith('!');
      if (negate) stuff = stuff.slice(1);
      if (stuff === '') out += negate ? '.' : '(?!)'; // `[!]` is any one character
      else out += `[${negate ? '^' : ''}${stuff.replace(/[\\\][^]/g, '\\$&')}]`;
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return out;
}
