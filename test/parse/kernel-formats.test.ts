// Every table of fixtures/kernels/*: the same known sockets printed as each kernel era's print
// functions print them (fixtures/tools/kernel-fixtures.py), read back into what they mean
// (expected.json, written from the same socket list). See fixtures/README.md, "Kernel formats".
import type { InetSocketRow, ParseContext, UnixSocketRow } from '../../src/model/index.js';
import { parseNetRaw } from '../../src/parse/net-raw.js';
import { parseNetTcp } from '../../src/parse/net-tcp.js';
import { parseNetUdp } from '../../src/parse/net-udp.js';
import { parseNetUnix } from '../../src/parse/net-unix.js';
import { era, ERAS, eraCtx, fixture, inetMeaning } from './fixtures.js';

const INET: Record<string, (text: string, ctx: ParseContext) => { rows: InetSocketRow[]; issues: unknown[] }> = {
  tcp: (t, c) => parseNetTcp(t, c, false),
  tcp6: (t, c) => parseNetTcp(t, c, true),
  udp: (t, c) => parseNetUdp(t, c, false),
  udp6: (t, c) => parseNetUdp(t, c, true),
  raw: (t, c) => parseNetRaw(t, c, false),
  raw6: (t, c) => parseNetRaw(t, c, true),
};

const cases = ERAS.flatMap((name) => Object.keys(era(name).tables).filter((t) => t in INET).map((table) => [name, table] as const));

test('the kernel fixtures are there (a missing directory must fail, not pass empty)', () => {
  expect(ERAS).toEqual(expect.arrayContaining(['linux-2.6.18-x86_64', 'linux-2.6.32-i686', 'linux-5.15-x86_64-root']));
  expect(cases.length).toBeGreaterThan(25);
});

describe.each(cases)('%s /proc/net/%s', (name, table) => {
  test('every row read, as it was meant, with no issue', () => {
    const parse = INET[table];
    if (!parse) throw new Error(`no parser for ${table}`);
    const { rows, issues } = parse(fixture(`kernels/${name}/${table}`), eraCtx(name, table));
    expect(issues).toEqual([]);
    expect(rows.map(inetMeaning)).toEqual(era(name).tables[table]);
  });
});

const unixMeaning = (r: UnixSocketRow): Record<string, unknown> => ({ type: r.type, state: r.state, path: r.path, inode: r.inode });

describe.each(ERAS.filter((name) => 'unix' in era(name).tables))('%s /proc/net/unix', (name) => {
  const { rows, issues } = parseNetUnix(fixture(`kernels/${name}/unix`), eraCtx(name, 'unix'));

  test('every row read (Num of any pointer form; a raw NUL in an abstract name read as @), with no issue', () => {
    expect(issues).toEqual([]);
    expect(rows.map(unixMeaning)).toEqual(era(name).tables.unix);
  });

  test('Num is kept as printed: the pointer width of the kernel, zeros where hidden', () => {
    const { bits, pointers } = era(name);
    const nums = rows.map((r) => r.line.num);
    expect(nums.every((n) => n.length === bits / 4)).toBe(true);
    expect(nums.every((n) => (pointers === 'zeros') === /^0+$/.test(n))).toBe(true);
    // every line is laid out exactly as the kernel prints (this file has no forged line)
    expect(rows.every((r) => r.line.kernelLayout)).toBe(true);
  });
});

describe('a copy whose line ends were converted to CRLF (the header ends in CR)', () => {
  test.each(cases.filter(([name]) => name === 'linux-5.15-x86_64-root'))('%s /proc/net/%s reads as the original', (name, table) => {
    const parse = INET[table];
    if (!parse) throw new Error(`no parser for ${table}`);
    const original = fixture(`kernels/${name}/${table}`);
    const crlf = parse(original.replaceAll('\n', '\r\n'), eraCtx(name, table));
    expect(crlf).toEqual(parse(original, eraCtx(name, table)));
  });

  test('unix: names keep no CR, and a CR that ends a name in an LF file is the name\'s', () => {
    const original = fixture('kernels/linux-5.15-x86_64-root/unix');
    const ctx = eraCtx('linux-5.15-x86_64-root', 'unix');
    expect(parseNetUnix(original.replaceAll('\n', '\r\n'), ctx).rows.map(unixMeaning)).toEqual(parseNetUnix(original, ctx).rows.map(unixMeaning));
    const crInName = original.replace('/run/systemd/notify\n', '/run/systemd/notify\r\n');
    expect(parseNetUnix(crInName, ctx).rows.map((r) => r.path)).toContain('/run/systemd/notify\r');
  });
});
