// The fast reader of the inet tables (net-inet-fast.ts) against the careful one: on every inet table in
// fixtures/ (real captures of kernels 2.6.18 to 6.x, both byte orders, hand-made edge cases) and on
// thousands of lines mutated from them (a character dropped, doubled, replaced; a tab, a CR, a sign;
// cut short), both give exactly the same rows and the same issues, in the same order. The fast one
// only declines lines; it never reads one differently.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ByteOrder } from '../../src/model/index.js';
import { parseInetTable, parseInetTableCarefully, type InetTableSpec } from '../../src/parse/net-inet.js';
import { TCP_STATES } from '../../src/parse/net-tcp.js';
import { DATAGRAM_STATES } from '../../src/parse/net-udp.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const TABLE = /^(tcp|udp|udplite|raw|icmp)(6?)$/;

function specFor(name: string): InetTableSpec | null {
  const m = TABLE.exec(name);
  if (!m) return null;
  const v6 = m[2] === '6';
  return { proto: name as InetTableSpec['proto'], v6, states: m[1] === 'tcp' ? TCP_STATES : DATAGRAM_STATES, hasDrops: m[1] !== 'tcp' };
}

function tables(dir: string): Array<{ path: string; spec: InetTableSpec }> {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return tables(path);
    const spec = specFor(entry);
    return spec ? [{ path, spec }] : [];
  });
}

const found = tables(FIXTURES);
const both = (text: string, spec: InetTableSpec, byteOrder: ByteOrder) => {
  const ctx = { file: '/proc/net/x', byteOrder, netns: 'default' };
  return [parseInetTable(text, ctx, spec), parseInetTableCarefully(text, ctx, spec)] as const;
};

test('there are fixtures to compare on (every family, both byte orders)', () => {
  expect(found.length).toBeGreaterThan(40);
  expect(new Set(found.map((f) => f.spec.proto))).toEqual(new Set(['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6']));
});

test.each(found.map((f) => [f.path.slice(FIXTURES.length), f] as const))('%s: the same rows and issues', (_name, { path, spec }) => {
  const text = readFileSync(path, 'latin1');
  for (const order of ['little', 'big'] as const) {
    const [fast, careful] = both(text, spec, order);
    expect(fast).toEqual(careful);
  }
});

/** A seeded generator: the same mutations on every run (xorshift32). */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const INSERTS = [' ', '  ', '\t', '\r', '-', ':', '0', 'f', 'G', 'x', '9', '\u00a0', '\v', '99999999999'];

test('thousands of mutated lines: the same rows and issues (the fast reader declines what it does not know)', () => {
  const next = random(20261202);
  let compared = 0;
  for (const { path, spec } of found) {
    const lines = readFileSync(path, 'latin1').split('\n');
    const header = lines[0] ?? '';
    const data = lines.slice(1).filter((l) => l.length > 0);
    for (const line of data.slice(0, 40)) {
      for (let k = 0; k < 40; k++) {
        const at = Math.floor(next() * (line.length + 1));
        const choice = next();
        const mutated =
          choice < 0.3 ? line.slice(0, at) + line.slice(at + 1) // a character dropped
          : choice < 0.7 ? line.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + line.slice(at) // one inserted
          : choice < 0.9 ? line.slice(0, at) + String.fromCharCode(32 + Math.floor(next() * 95)) + line.slice(at + 1) // one replaced
          : line.slice(0, at); // cut short
        // as a middle line, and as the last line without its newline
        for (const text of [`${header}\n${line}\n${mutated}\n${line}\n`, `${header}\n${mutated}`]) {
          const [fast, careful] = both(text, spec, next() < 0.5 ? 'little' : 'big');
          expect({ text, rows: fast.rows, issues: fast.issues }).toEqual({ text, rows: careful.rows, issues: careful.issues });
          compared += 1;
        }
      }
    }
  }
  expect(compared).toBeGreaterThan(10_000);
});

test('no header, a CRLF copy, an empty file, duplicates with inode 0: as the careful reader', () => {
  const { path, spec } = found.find((f) => f.spec.proto === 'tcp')!;
  const text = readFileSync(path, 'latin1');
  const body = text.slice(text.indexOf('\n') + 1);
  const firstRow = body.slice(0, body.indexOf('\n') + 1);
  const timeWait = '   9: 0100007F:A1B2 0100007F:0016 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n';
  for (const variant of [body, text.replace(/\n/g, '\r\n'), '', `${text}${firstRow}`, `${text}${timeWait}${timeWait}`, `${text}${timeWait.replace('06 ', '06 ').replace('0000000000000000', '00000000deadbeef')}${timeWait}`]) {
    const [fast, careful] = both(variant, spec, 'little');
    expect(fast).toEqual(careful);
  }
});

test('a tab or a CR at every place of a tcp and a udp line (inode 0 and not): as the careful reader', () => {
  const lines: Array<[InetTableSpec, string]> = [
    [specFor('tcp')!, '   9: 0100007F:A1B2 0100007F:0016 06 00000000:00000000 03:00001770 00000000     0        0 0 3 00000000deadbeef'],
    [specFor('tcp')!, '   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 ffff8880a1b2c3d4 100 0 0 10 0'],
    [specFor('udp')!, '  123: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2345 2 ffff8880a1b2c3d4 0'],
    [specFor('udp')!, '  123: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 0 2 ffff8880a1b2c3d4 17'],
  ];
  for (const [spec, line] of lines) {
    const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
    for (let at = 0; at <= line.length; at++) {
      for (const mutated of [line.slice(0, at) + '\t' + line.slice(at), line.slice(0, at) + '\r' + line.slice(at), line[at] === ' ' ? line.slice(0, at) + '\t' + line.slice(at + 1) : null]) {
        if (mutated === null) continue;
        const text = `${header}\n${line}\n${mutated}\n`;
        const [fast, careful] = both(text, spec, 'little');
        expect({ mutated, result: fast }).toEqual({ mutated, result: careful });
      }
    }
  }
});
