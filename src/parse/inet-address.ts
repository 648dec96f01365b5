// Addresses and ports as /proc/net/{tcp,udp,raw}[6] write them.
//
// The kernel prints an IPv4 address as ONE 32-bit word with %08X, and an IPv6 address as FOUR
// 32-bit words with %08X each. A word is the address bytes read as a native integer, so the hex
// digits depend on the byte order of the host that wrote the file — which is an input here
// (house rule 2), never this machine's. Ports are converted with ntohs first: always big-endian.
import type { ByteOrder } from '../model/index.js';

const HEX_WORD = /^[0-9A-Fa-f]{8}$/;
const HEX_PORT = /^[0-9A-Fa-f]{4}$/;

/**
 * Decodes the address half of `local_address` / `rem_address`.
 * 8 hex chars → IPv4 dotted; 32 hex chars → IPv6 in RFC 5952 form (IPv4-mapped as `::ffff:a.b.c.d`).
 * null when the length or the characters are wrong.
 */
export function decodeInetAddress(hex: string, byteOrder: ByteOrder): string | null {
  if (hex.length !== 8 && hex.length !== 32) return null;
  const bytes: number[] = [];
  for (let at = 0; at < hex.length; at += 8) {
    const word = hex.slice(at, at + 8);
    if (!HEX_WORD.test(word)) return null;
    bytes.push(...wordBytes(word, byteOrder));
  }
  return bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes);
}

/** Decodes the port half of an address column: 4 hex digits, big-endian on every host. */
export function decodePort(hex: string): number | null {
  return HEX_PORT.test(hex) ? parseInt(hex, 16) : null;
}

/** The four address bytes, in network order, that one printed 32-bit word stands for. */
function wordBytes(word: string, byteOrder: ByteOrder): number[] {
  const printed = [0, 2, 4, 6].map((i) => parseInt(word.slice(i, i + 2), 16));
  // A little-endian host's integer has the first address byte as its least significant byte.
  return byteOrder === 'little' ? printed.reverse() : printed;
}

/** RFC 5952: lowercase, no leading zeros, the longest run (≥2) of zero groups as `::`, first on a tie. */
export function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));

  // IPv4-mapped ::ffff:a.b.c.d (RFC 5952 section 5 recommends the mixed notation for it).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12, 16).join('.')}`;
  }

  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    // strictly longer: on a tie the first run wins
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }

  const hex = groups.map((g) => g.toString(16));
  // a single zero group is never shortened to `::` (RFC 5952 section 4.2.2)
  if (bestLength < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}
