// --sort: one host's sockets in another order (never the fleet's: hosts keep the inventory's order).
// Stable: sockets that tie keep the order the tables gave them. Sockets that lack the key (a unix
// socket has no port, no remote; a socket no process is known to hold) come after those that have it.
// Strings compare by code unit, never by locale: the same order on every machine.
import type { InetEndpoint, Socket } from '../model/index.js';

export const SORT_KEYS = ['port', 'process', 'user', 'state', 'local', 'remote', 'proto'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** A key: a list compared item by item; null (no such value) after every list. */
type Key = ReadonlyArray<number | string> | null;

/** The order the tables are read in (src/parse/tables.ts), then the other families. */
const PROTO_ORDER = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6', 'unix', 'packet', 'other'];
const protoRank = (proto: string) => {
  const rank = PROTO_ORDER.indexOf(proto);
  return rank === -1 ? PROTO_ORDER.length : rank;
};

/** IPv4 before IPv6, each by its numeric value (10.0.0.2 before 9.0.0.1 would be a string order); an address of neither form last, by its text. */
function addressKey(address: string): Array<number | string> {
  const v4 = ipv4Bytes(address);
  if (v4 !== null) return [4, ...v4];
  const v6 = ipv6Groups(address);
  if (v6 !== null) return [6, ...v6];
  return [9, address];
}

function ipv4Bytes(address: string): number[] | null {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** The eight 16-bit groups of an RFC 5952 address (`::`, an IPv4 tail as in `::ffff:127.0.0.1`). */
function ipv6Groups(address: string): number[] | null {
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (text: string): number[] | null => {
    if (text === '') return [];
    const out: number[] = [];
    const words = text.split(':');
    for (const [i, word] of words.entries()) {
      if (i === words.length - 1 && word.includes('.')) {
        const v4 = ipv4Bytes(word);
        if (v4 === null) return null;
        out.push(v4[0]! * 256 + v4[1]!, v4[2]! * 256 + v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(word)) {
        out.push(parseInt(word, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function inetKey(endpoint: InetEndpoint): Array<number | string> {
  return [0, ...addressKey(endpoint.address), endpoint.port];
}

/** Local Address: inet (by address, then port), then unix paths (unbound last), then packet sockets. */
function localKey(s: Socket): Key {
  const local = s.local;
  if (local === null) return null;
  if ('address' in local) return inetKey(local);
  if ('path' in local) return local.path === null ? [2] : [1, local.path];
  return [3, local.ethertype, local.ifindex];
}

/** The User column's value: the socket owner's name (else its uid), for unix sockets their holders'. */
function userKey(s: Socket): Key {
  if (s.uid !== null) {
    const named = s.processes.find((p) => p.uid === s.uid && p.user !== null);
    return [s.user ?? named?.user ?? String(s.uid)];
  }
  const holder = s.processes.find((p) => p.user !== null || p.uid !== null);
  return holder === undefined ? null : [holder.user ?? String(holder.uid)];
}

const KEYS: Record<SortKey, (s: Socket) => Key> = {
  // local port, then proto; sockets without one (unix, packet, other) last
  port: (s) => (s.local !== null && 'address' in s.local ? [s.local.port, protoRank(s.proto)] : null),
  // the first holder, as PID/Program name starts: its name, then its pid
  process: (s) => (s.processes.length === 0 ? null : [s.processes[0]!.name, s.processes[0]!.pid]),
  user: userKey,
  state: (s) => [s.state],
  local: localKey,
  remote: (s) => (s.remote === null ? null : inetKey(s.remote)),
  proto: (s) => [protoRank(s.proto), s.proto],
};

function compareKeys(a: Key, b: Key): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    // a number before a string where kinds differ (never within one key's position as built above)
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** The sockets in `key`'s order; ties (and sockets without the key) keep their order. */
export function orderSockets(sockets: readonly Socket[], key: SortKey): Socket[] {
  const keyOf = KEYS[key];
  return sockets
    .map((socket, index) => ({ socket, index, key: keyOf(socket) }))
    .sort((a, b) => compareKeys(a.key, b.key) || a.index - b.index)
    .map((entry) => entry.socket);
}
