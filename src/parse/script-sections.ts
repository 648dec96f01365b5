// The sections the collection script composes itself rather than copying a file: lists of number
// pairs (meta.ancestry, netns.pids, fd.denied), single numbers (meta.self, meta.uid, netns.reader),
// and $SSH_CONNECTION (meta.ssh). Pure, like every parser.
import type { CollectorSession, ParseIssue } from '../model/index.js';
import { parseDecimal, splitLines } from './lines.js';

/** A decimal of at most 15 digits (pids, inodes, uids, ports), blanks around it allowed, else null. */
export function decimal(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  return t.length <= 15 ? parseDecimal(t) : null;
}

/**
 * `A B` lines of two decimals (meta.ancestry, netns.pids, fd.denied). A bad line is an issue naming
 * the section, its line and which number was bad; the others are kept.
 */
export function decodeNumberPairs(text: string, section: string, fields: [string, string], issues: ParseIssue[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (const { text: line, number } of splitLines(text)) {
    const words = line.trim().split(/\s+/);
    const a = decimal(words[0]);
    const b = decimal(words[1]);
    if (words.length === 2 && a !== null && b !== null) {
      pairs.push([a, b]);
      continue;
    }
    const field = a === null ? fields[0] : fields[1];
    issues.push({ kind: words.length < 2 ? 'too-few-fields' : 'bad-number', file: `(${section})`, line: number, field, message: `expected "${fields.join(' ')}": ${JSON.stringify(line.slice(0, 80))}` });
  }
  return pairs;
}

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;
const IPV6_CHARS = /^[0-9a-fA-F:.]{2,45}$/;

/**
 * An IP address in the form the socket tables' addresses are written in (IPv4 dotted, IPv6 RFC 5952),
 * with an IPv4-mapped address as plain IPv4 (sshd reports a v4 client of a `::` listener that way);
 * null when it is not an address. A zone (`fe80::1%eth0`) is dropped: the tables do not show it.
 */
export function canonicalAddress(text: string): string | null {
  const bare = text.replace(/%[A-Za-z0-9_.-]{1,32}$/, '');
  if (IPV4.test(bare)) return bare;
  if (!bare.includes(':') || !IPV6_CHARS.test(bare)) return null;
  let host: string;
  try {
    host = new URL(`http://[${bare}]/`).hostname;
  } catch {
    return null;
  }
  const v6 = host.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!mapped) return v6;
  const hi = parseInt(mapped[1] ?? '0', 16);
  const lo = parseInt(mapped[2] ?? '0', 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/**
 * meta.ssh: `client-ip client-port server-ip server-port`, as sshd sets $SSH_CONNECTION. Empty: the
 * collection did not run over SSH (or the host did not say). Anything else is an issue.
 */
export function decodeSshConnection(text: string | undefined, issues: ParseIssue[]): CollectorSession | null {
  const value = (text ?? '').trim();
  if (value === '') return null;
  const words = value.split(/\s+/);
  const [clientText = '', clientPortText, serverText = '', serverPortText] = words;
  const client = canonicalAddress(clientText);
  const server = canonicalAddress(serverText);
  const clientPort = decimal(clientPortText);
  const serverPort = decimal(serverPortText);
  const bad = (field: string) => {
    issues.push({ kind: words.length < 4 ? 'too-few-fields' : 'bad-line', file: '$SSH_CONNECTION', line: 1, field, message: `expected "client-ip client-port server-ip server-port": ${JSON.stringify(value.slice(0, 120))}` });
    return null;
  };
  if (words.length !== 4) return bad(['client-ip', 'client-port', 'server-ip', 'server-port'][Math.min(words.length, 3)] ?? 'client-ip');
  if (client === null) return bad('client-ip');
  if (clientPort === null || clientPort > 65535) return bad('client-port');
  if (server === null) return bad('server-ip');
  if (serverPort === null || serverPort > 65535) return bad('server-port');
  return { client: { address: client, port: clientPort }, server: { address: server, port: serverPort } };
}
