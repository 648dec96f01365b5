// Reading a capture by the format's names (format.ts), and decoding the few sections the script
// composes itself (lists of numbers, $SSH_CONNECTION). Files' raw bytes are parse/'s business.
import type { CaptureSection, CollectorSession, ParseIssue } from '../model/index.js';
import { netTableSection, SECTION, type NetTable } from './format.js';

/** Sections by name and argument, with the "missing" and "unreadable" cases turned into issues. */
export class CaptureSections {
  private readonly byKey = new Map<string, CaptureSection>();
  private readonly byName = new Map<string, CaptureSection[]>();

  constructor(
    sections: readonly CaptureSection[],
    private readonly issues: ParseIssue[],
  ) {
    for (const s of sections) {
      const key = `${s.name} ${s.arg}`;
      if (!this.byKey.has(key)) this.byKey.set(key, s);
      const named = this.byName.get(s.name);
      if (named) named.push(s);
      else this.byName.set(s.name, [s]);
    }
  }

  find(name: string, arg = ''): CaptureSection | undefined {
    return this.byKey.get(`${name} ${arg}`);
  }

  all(name: string): CaptureSection[] {
    return this.byName.get(name) ?? [];
  }

  /** The text of an `ok` section, else undefined. */
  text(name: string, arg = ''): string | undefined {
    const s = this.find(name, arg);
    return s?.status === 'ok' ? s.text : undefined;
  }

  /** Like text(), but a missing or unreadable section is an issue: the script always writes it. */
  required(name: string, file: string): string | undefined {
    const s = this.find(name);
    if (!s) this.issues.push({ kind: 'missing-section', file, line: 0, message: `the capture has no "${name}" section` });
    else if (s.status !== 'ok') this.issues.push({ kind: 'unreadable', file, line: 0, message: `${file} could not be read` });
    return s?.status === 'ok' ? s.text : undefined;
  }

  /**
   * A /proc/net table of one namespace: absent is a fact (IPv6 off, no such protocol), so is gone (its
   * reader exited while the namespace was read: the namespace's sockets went, or will be read next
   * time); unreadable is an issue.
   */
  table(table: NetTable, netns: string, file: string): string | undefined {
    const name = netTableSection(table);
    const s = this.find(name, netns);
    if (!s) {
      this.issues.push({ kind: 'missing-section', file, line: 0, message: `the capture has no "${name}" section for netns ${netns}` });
      return undefined;
    }
    if (s.status === 'error') this.issues.push({ kind: 'unreadable', file, line: 0, message: `${file} could not be read` });
    return s.status === 'ok' ? s.text : undefined;
  }
}

const DECIMAL = /^[0-9]{1,15}$/;

/** A decimal that fits a JS number exactly, else null. */
export function decimal(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  return DECIMAL.test(t) ? Number(t) : null;
}

/**
 * `A B` lines of two decimals (meta.ancestry, netns.pids, fd.denied). A bad line is an issue naming
 * the section, its line and which number was bad; the others are kept.
 */
export function decodeNumberPairs(text: string, section: string, fields: [string, string], issues: ParseIssue[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const words = line.trim().split(/\s+/);
    const a = decimal(words[0]);
    const b = decimal(words[1]);
    if (words.length === 2 && a !== null && b !== null) {
      pairs.push([a, b]);
      return;
    }
    const field = a === null ? fields[0] : fields[1];
    issues.push({ kind: words.length < 2 ? 'too-few-fields' : 'bad-number', file: `(${section})`, line: i + 1, field, message: `expected "${fields.join(' ')}": ${JSON.stringify(line.slice(0, 80))}` });
  });
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

/** The script's own pid (meta.self). */
export function collectorPid(sections: CaptureSections): number | null {
  return decimal(sections.text(SECTION.self));
}
