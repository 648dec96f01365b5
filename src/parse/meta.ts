// The host facts sections the collection script writes. Each returns at most one row and an issue,
// never a throw, on bad input.
import type { ByteOrder, ParseIssue, Parsed } from '../model/index.js';
import { excerpt, issueAt, parseDecimal, splitLines, FileIssues } from './lines.js';

/**
 * `printf '\001\000' | od -An -tu2`: the bytes 01 00 read as one native 16-bit integer.
 * 1 on a little-endian host, 256 on a big-endian one.
 */
export function parseByteOrder(text: string, file: string): Parsed<ByteOrder> {
  const value = text.trim();
  if (value === '1') return { rows: ['little'], issues: [] };
  if (value === '256') return { rows: ['big'], issues: [] };
  return {
    rows: [],
    issues: [issueAt(file, 1, { kind: 'bad-line', field: 'byteorder', message: `expected 1 or 256 from od: ${excerpt(text)}` })],
  };
}

export interface PortRange {
  low: number;
  high: number;
}

/** /proc/sys/net/ipv4/ip_local_port_range: `32768\t60999\n`. */
export function parsePortRange(text: string, file: string): Parsed<PortRange> {
  const fail = (kind: ParseIssue['kind'], field: string, why: string): Parsed<PortRange> => ({
    rows: [],
    issues: [issueAt(file, 1, { kind, field, message: `${why}: ${excerpt(text)}` })],
  });
  const words = text.trim() === '' ? [] : text.trim().split(/\s+/);
  if (words.length < 2) return fail('too-few-fields', words.length === 0 ? 'low' : 'high', 'expected two ports');
  if (words.length > 2) return fail('bad-line', 'high', 'expected two ports only');
  const [lowText = '', highText = ''] = words;
  const low = parseDecimal(lowText);
  if (low === null || low > 65535) return fail('bad-number', 'low', `bad port "${lowText}"`);
  const high = parseDecimal(highText);
  if (high === null || high > 65535) return fail('bad-number', 'high', `bad port "${highText}"`);
  if (low > high) return fail('bad-line', 'high', 'low port above high port');
  return { rows: [{ low, high }], issues: [] };
}

export interface NetnsName {
  /** the namespace's inode, as in /proc/PID/ns/net -> net:[INODE] */
  inode: number;
  name: string;
}

/**
 * `ls -1iL /run/netns`: `  4026532289 blue` — the inode, right-aligned, one space, the name verbatim.
 * No /run/netns gives no output, which is not an issue.
 */
export function parseNetnsNames(text: string, file: string): Parsed<NetnsName> {
  const rows: NetnsName[] = [];
  const issues = new FileIssues(file);
  for (const line of splitLines(text)) {
    const kind = (k: ParseIssue['kind']): ParseIssue['kind'] => (line.terminated ? k : 'truncated-line');
    const m = /^\s*(\S+) (.+)$/.exec(line.text);
    if (m === null) {
      issues.push(issueAt(file, line.number, { kind: kind('too-few-fields'), field: 'name', message: `expected "INODE NAME": ${excerpt(line.text)}` }));
      continue;
    }
    const inode = parseDecimal(m[1] ?? '');
    // ls prints `?` for the inode of a name it cannot stat (an unmounted namespace file)
    if (inode === null) {
      issues.push(issueAt(file, line.number, { kind: kind('bad-number'), field: 'inode', message: `bad inode: ${excerpt(line.text)}` }));
      continue;
    }
    rows.push({ inode, name: m[2] ?? '' });
  }
  return { rows, issues: issues.done() };
}
