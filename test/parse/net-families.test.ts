// The families beyond tcp/udp/raw/unix: AF_PACKET (/proc/net/packet), UDP-Lite and ping sockets
// (/proc/net/icmp{,6}), over every kernel era that has them, and packet's own issues.
import type { PacketSocketRow } from '../../src/model/index.js';
import { parseNetIcmp } from '../../src/parse/net-icmp.js';
import { ETH_P_ALL, parseNetPacket } from '../../src/parse/net-packet.js';
import { parseNetUdplite } from '../../src/parse/net-udplite.js';
import { INET_TABLES, PACKET_TABLE, UNIX_TABLE } from '../../src/parse/tables.js';
import { ctx, era, ERAS, eraCtx, fixture, inetMeaning, issueShape } from './fixtures.js';

const FAMILIES = {
  udplite: (t: string, c: ReturnType<typeof eraCtx>) => parseNetUdplite(t, c, false),
  udplite6: (t: string, c: ReturnType<typeof eraCtx>) => parseNetUdplite(t, c, true),
  icmp: (t: string, c: ReturnType<typeof eraCtx>) => parseNetIcmp(t, c, false),
  icmp6: (t: string, c: ReturnType<typeof eraCtx>) => parseNetIcmp(t, c, true),
};
const inetCases = ERAS.flatMap((name) => Object.keys(FAMILIES).filter((t) => t in era(name).tables).map((t) => [name, t as keyof typeof FAMILIES] as const));

test('the eras hold these families', () => {
  expect(inetCases.map(([, t]) => t).sort()).toEqual(expect.arrayContaining(['icmp', 'icmp6', 'udplite', 'udplite6']));
});

describe.each(inetCases)('%s /proc/net/%s', (name, table) => {
  test('every row read, as it was meant, with no issue', () => {
    const { rows, issues } = FAMILIES[table](fixture(`kernels/${name}/${table}`), eraCtx(name, table));
    expect(issues).toEqual([]);
    expect(rows.map(inetMeaning)).toEqual(era(name).tables[table]);
  });
});

const packetMeaning = (r: PacketSocketRow): Record<string, unknown> =>
  ({ type: r.type, protocol: r.protocol, ifindex: r.ifindex, running: r.running, recvQ: r.recvQ, uid: r.uid, inode: r.inode });

describe.each(ERAS.filter((name) => 'packet' in era(name).tables))('%s /proc/net/packet', (name) => {
  test('every row read (either header, any pointer width, ifindex -1, SOCK_PACKET), with no issue', () => {
    const { rows, issues } = parseNetPacket(fixture(`kernels/${name}/packet`), eraCtx(name, 'packet'));
    expect(issues).toEqual([]);
    expect(rows.map(packetMeaning)).toEqual(era(name).tables.packet);
    expect(rows.filter((r) => r.protocol === ETH_P_ALL && r.running).map((r) => r.inode)).toEqual([70001, 70005]);
  });
});

describe('parseNetPacket: lines', () => {
  const HEADER = 'sk               RefCnt Type Proto  Iface R Rmem   User   Inode';
  const line = (over: Partial<Record<'type' | 'proto' | 'iface' | 'r' | 'rmem' | 'user' | 'inode', string>> = {}): string => {
    const c = { type: '3', proto: '0003', iface: '2', r: '1', rmem: '0', user: '0', inode: '70001', ...over };
    return `ffff9b61ac4a5000 3      ${c.type.padEnd(4)} ${c.proto}   ${c.iface.padEnd(5)} ${c.r} ${c.rmem.padEnd(6)} ${c.user.padEnd(6)} ${c.inode.padEnd(6)}`;
  };
  const FILE = '/proc/4242/net/packet';
  const table = (...lines: string[]): string => [HEADER, ...lines].join('\n') + '\n';

  test('every column lands in its field, with netns and source', () => {
    const { rows, issues } = parseNetPacket(table(line({ type: '2', proto: '86dd', rmem: '768', user: '101' })), ctx(FILE, 'little', 'blue'));
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { proto: 'packet', type: 'dgram', protocol: 0x86dd, ifindex: 2, running: true, recvQ: 768, uid: 101, inode: 70001, netns: 'blue', source: { file: FILE, line: 2 } },
    ]);
  });

  test.each([
    ['a blank line', '', 'bad-line', undefined],
    ['eight columns', line().trimEnd().replace(/ +70001$/, ''), 'too-few-fields', 'Inode'],
    ['Type not a number', line({ type: 'x' }), 'bad-number', 'Type'],
    ['Type 1 (SOCK_STREAM is no packet socket)', line({ type: '1' }), 'unknown-state', 'Type'],
    ['Proto not hex', line({ proto: '00g3' }), 'bad-number', 'Proto'],
    ['Proto of five digits', line({ proto: '10003' }), 'bad-number', 'Proto'],
    ['Iface not a number', line({ iface: 'eth0' }), 'bad-number', 'Iface'],
    ['R not a number', line({ r: 'y' }), 'bad-number', 'R'],
    ['Rmem negative', line({ rmem: '-1' }), 'bad-number', 'Rmem'],
    ['User beyond 32 bits', line({ user: '4294967296' }), 'bad-number', 'User'],
    ['Inode not a number', line({ inode: '7a' }), 'bad-number', 'Inode'],
  ])('%s → %s (%s)', (_name, bad, kind, field) => {
    const { rows, issues } = parseNetPacket(table(line({ inode: '1' }), bad, line({ inode: '2' })), ctx(FILE));
    expect(issueShape(issues)).toEqual([{ kind, line: 3, field, file: FILE }]);
    expect(rows.map((r) => r.inode)).toEqual([1, 2]);
  });

  test('columns after Inode (a Drops column has been proposed) are not read', () => {
    expect(parseNetPacket(table(`${line()} 17`), ctx(FILE)).rows.map((r) => r.inode)).toEqual([70001]);
  });

  test('the last line without a newline: kept when padding follows the inode, else truncated-line', () => {
    expect(parseNetPacket(`${HEADER}\n${line()}`, ctx(FILE)).rows).toHaveLength(1);
    const cut = parseNetPacket(`${HEADER}\n${line({ inode: '1234567' })}`, ctx(FILE));
    expect(cut.rows).toEqual([]);
    expect(issueShape(cut.issues)).toEqual([{ kind: 'truncated-line', line: 2, field: 'Inode', file: FILE }]);
  });

  test('a repeated print of one inode folds into the later one; a missing header is an issue, the rows still read', () => {
    expect(parseNetPacket(table(line({ r: '1' }), line({ r: '0' })), ctx(FILE)).rows.map((r) => [r.running, r.source.line])).toEqual([[false, 3]]);
    const noHeader = parseNetPacket(`${line()}\n`, ctx(FILE));
    expect(issueShape(noHeader.issues)).toEqual([{ kind: 'missing-header', line: 1, field: undefined, file: FILE }]);
    expect(noHeader.rows).toHaveLength(1);
  });
});

describe('tables.ts: one list of every table', () => {
  test('names every /proc/net file the collection reads, each with its proto', () => {
    expect(INET_TABLES.map((t) => t.table)).toEqual(['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6']);
    expect([UNIX_TABLE.table, PACKET_TABLE.table]).toEqual(['unix', 'packet']);
  });

  test.each(INET_TABLES.map((t) => [t.table, t.parse] as const))('%s rows carry proto %s', (table, parse) => {
    const v6 = table.endsWith('6');
    const address = v6 ? '00000000000000000000000000000000' : '00000000';
    const text = `  sl  local_address\n   0: ${address}:0016 ${address}:0000 07 00000000:00000000 00:00000000 00000000     0        0 9 2 0\n`;
    // st 07 is CLOSE in tcp and UNCONN in the datagram tables: every table can read it
    expect(parse(text, ctx(`/proc/net/${table}`)).rows.map((r) => r.proto)).toEqual([table]);
  });
});
