// Host patterns as Ansible reads an inventory key: an optional `:port`, then `[x:y(:step)]` ranges.
// Follows ansible/ansible lib/ansible/parsing/utils/addresses.py (parse_address) and
// lib/ansible/plugins/inventory/__init__.py (_expand_hostpattern, expand_hostname_range), with two
// deliberate differences, both errors where Ansible is silent: a numeric range whose begin is above
// its end (`web[5:1]`: Ansible expands it to no host at all) and a step below 1.
// Pure: text in, names out; a bad pattern throws a RangeProblem that the caller turns into an
// InventoryError at the key's position.

/** More hosts than this from one pattern is a typo (`web[1:1000000]`), not a fleet. */
export const MAX_HOSTS_PER_PATTERN = 100_000;

export class RangeProblem extends Error {
  /** `offset`: index in the pattern of the range at fault (0 when the pattern as a whole is) */
  constructor(readonly kind: 'bad-range' | 'too-many-hosts', readonly offset: number, message: string) {
    super(message);
    this.name = 'RangeProblem';
  }
}

// The regular expressions of addresses.py, translated. `\w` there is Unicode-aware (Python 3 str).
const numericRange = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const hexadecimalRange = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const alphanumericRange = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const word = String.raw`[\p{L}\p{N}_]`;
const label = String.raw`(?:${word}|${alphanumericRange})(?:${word}|[_-]|${alphanumericRange})*(?<![_-])`;
const v6 = String.raw`(?:[0-9a-f]{1,4}|${hexadecimalRange})`;
const v4 = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${numericRange})`;
const ADDRESS_PATTERNS = {
  bracketedHostPort: /^\[(.+)\]:([0-9]+)$/u,
  hostPort: /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/u,
  ipv4: new RegExp(String.raw`^(?:${v4}\.){3}${v4}$`, 'iu'),
  ipv6: new RegExp(
    '^(?:' +
      [
        `(?:${v6}:){7}${v6}`,
        `(?:${v6}:){1,6}:`,
        `(?:${v6}:)(?::${v6}){1,6}`,
        `(?:${v6}:){2}(?::${v6}){1,5}`,
        `(?:${v6}:){3}(?::${v6}){1,4}`,
        `(?:${v6}:){4}(?::${v6}){1,3}`,
        `(?:${v6}:){5}(?::${v6}){1,2}`,
        `(?:${v6}:){6}(?::${v6})`,
        `:(?::${v6}){1,6}`,
        `${v6}?::`,
        String.raw`(?:0:){6}(?:${v6}\.){3}${v6}`,
        String.raw`::(?:ffff:)?(?:${v6}\.){3}${v6}`,
        String.raw`(?:0:){5}ffff:(?:${v6}\.){3}${v6}`,
      ].join('|') +
      ')$',
    'iu',
  ),
  hostname: new RegExp(String.raw`^${label}(?:\.${label})*$`, 'iu'),
};

/**
 * Ansible's parse_address(allow_ranges=True): splits `host:port`, `[v6]:port` and `[v6]`-less
 * addresses. Returns null when what is left is not a host name or address, in which case Ansible
 * takes the whole text, colon and all, as the host pattern.
 */
export function parseAddress(text: string): { host: string; port: number | null } | null {
  let address = text;
  let port: number | null = null;
  // both forms are tried in turn, as Ansible's loop does (`[h]:1` then, on what is left, `h:2`)
  for (const form of [ADDRESS_PATTERNS.bracketedHostPort, ADDRESS_PATTERNS.hostPort]) {
    const m = form.exec(address);
    if (m) {
      address = m[1]!;
      port = Number(m[2]);
    }
  }
  const valid = [ADDRESS_PATTERNS.ipv4, ADDRESS_PATTERNS.ipv6, ADDRESS_PATTERNS.hostname].some((re) => re.test(address));
  return valid ? { host: address, port } : null;
}

/** A host key of an inventory: the names it stands for, and the port it carries (`web01:2222`). */
export interface ExpandedPattern {
  names: string[];
  port: number | null;
}

/**
 * Ansible's _expand_hostpattern: `web[01:03].example.com:2222` → three names, port 2222.
 * Ranges: `[01:20]` keeps the zero padding (begin and end must then have the same width), `[a:c]`
 * (letters in Python's string.ascii_letters order, a–z then A–Z), a step `[1:10:2]`, several ranges
 * in one name (the first varies slowest).
 */
export function expandHostPattern(pattern: string): ExpandedPattern {
  const address = parseAddress(pattern);
  const hostPattern = address ? address.host : pattern;
  const port = address ? address.port : null;
  return { names: hostPattern.includes('[') ? expandRanges(hostPattern) : [hostPattern], port };
}

interface RangeSpec {
  values: string[];
}

const ASCII_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function expandRanges(pattern: string): string[] {
  // literal text and ranges, left to right
  const parts: Array<string | RangeSpec> = [];
  let rest = 0;
  let total = 1;
  while (rest < pattern.length) {
    const open = pattern.indexOf('[', rest);
    const close = pattern.indexOf(']', rest);
    if (open < 0 && close < 0) break;
    if (close < 0) throw new RangeProblem('bad-range', open, `"[" without "]" in host pattern "${pattern}"`);
    if (open < 0 || close < open) throw new RangeProblem('bad-range', close, `"]" without "[" in host pattern "${pattern}"`);
    parts.push(pattern.slice(rest, open));
    const range = readRange(pattern.slice(open + 1, close), open, pattern);
    total *= range.values.length;
    if (total > MAX_HOSTS_PER_PATTERN) {
      throw new RangeProblem('too-many-hosts', open, `host pattern "${pattern}" expands to more than ${MAX_HOSTS_PER_PATTERN} hosts`);
    }
    parts.push(range);
    rest = close + 1;
  }
  parts.push(pattern.slice(rest));

  let names = [''];
  for (const part of parts) {
    names = typeof part === 'string'
      ? names.map((name) => name + part)
      : names.flatMap((name) => part.values.map((value) => name + value));
  }
  return names;
}

function readRange(inside: string, offset: number, pattern: string): RangeSpec {
  const bad = (why: string): never => {
    throw new RangeProblem('bad-range', offset, `bad range "[${inside}]" in host pattern "${pattern}": ${why}`);
  };
  const bounds = inside.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) bad('a range is [begin:end] or [begin:end:step]');
  const begin = bounds[0] || '0'; // Ansible: `[:3]` starts at 0
  const end = bounds[1]!;
  if (end === '') bad('the end is missing');
  const stepText = bounds[2] ?? '1';
  if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) bad(`the step must be a whole number of at least 1, not "${stepText}"`);
  const step = Number(stepText);

  // letters: one each, in ascii_letters order (so `[x:B]` is x y z A B, as in Ansible)
  if (begin.length === 1 && end.length === 1 && ASCII_LETTERS.includes(begin) && ASCII_LETTERS.includes(end)) {
    const from = ASCII_LETTERS.indexOf(begin);
    const to = ASCII_LETTERS.indexOf(end);
    if (from > to) bad('the begin comes after the end');
    const values: string[] = [];
    for (let i = from; i <= to; i += step) values.push(ASCII_LETTERS[i]!);
    return { values };
  }
  if (!/^[0-9]+$/.test(begin) || !/^[0-9]+$/.test(end)) {
    bad('begin and end must both be numbers or both single letters');
  }
  // a leading zero asks for zero padding to the begin's width, which the end must have too
  const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0;
  if (width && end.length !== width) bad('a zero-padded range needs begin and end of the same width');
  const from = Number(begin);
  const to = Number(end);
  if (from > to) bad('the begin is greater than the end');
  const count = Math.floor((to - from) / step) + 1;
  if (count > MAX_HOSTS_PER_PATTERN) {
    throw new RangeProblem('too-many-hosts', offset, `host pattern "${pattern}" expands to more than ${MAX_HOSTS_PER_PATTERN} hosts`);
  }
  const values: string[] = [];
  for (let i = from; i <= to; i += step) values.push(width ? String(i).padStart(width, '0') : String(i));
  return { values };
}
