import { parseNetRaw } from '../../src/parse/net-raw.js';
import { parseNetUdp } from '../../src/parse/net-udp.js';
import { ctx, fixture, issueShape, UDP6_HEADER, UDP_HEADER } from './fixtures.js';

const UDP = '/proc/net/udp';

function udpLine(over: Partial<Record<'local' | 'remote' | 'st' | 'queues' | 'inode' | 'drops', string>> = {}): string {
  const c = { local: '00000000:0035', remote: '00000000:0000', st: '07', queues: '00000000:00000000', inode: '6001', drops: '0', ...over };
  return ` 1234: ${c.local} ${c.remote} ${c.st} ${c.queues} 00:00000000 00000000     0        0 ${c.inode} 2 0000000000000000 ${c.drops}`;
}
const table = (...lines: string[]): string => [UDP_HEADER, ...lines].join('\n') + '\n';

describe('parseNetUdp', () => {
  test('udp with drops: unconnected and connected', () => {
    const { rows, issues } = parseNetUdp(fixture('hand/udp-drops'), ctx(UDP, 'little', 'default'), false);
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      {
        proto: 'udp',
        state: 'UNCONN',
        local: { address: '0.0.0.0', port: 53 },
        remote: { address: '0.0.0.0', port: 0 },
        recvQ: 0x1a00,
        sendQ: 0,
        uid: 101,
        inode: 6001,
        drops: 4711,
        netns: 'default',
        source: { file: UDP, line: 2 },
      },
      {
        proto: 'udp',
        state: 'ESTABLISHED',
        local: { address: '10.1.2.3', port: 51000 },
        remote: { address: '10.1.2.4', port: 53 },
        recvQ: 0,
        sendQ: 0,
        uid: 1000,
        inode: 6002,
        drops: 0,
        netns: 'default',
        source: { file: UDP, line: 3 },
      },
    ]);
  });

  test('udp6 is proto udp6', () => {
    const { rows, issues } = parseNetUdp(fixture('hand/udp6-drops'), ctx('/proc/net/udp6'), true);
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.proto, r.local.address, r.local.port, r.state, r.drops])).toEqual([['udp6', '::', 546, 'UNCONN', 3]]);
  });

  test.each([
    ['07', 'UNCONN'],
    ['01', 'ESTABLISHED'],
  ])('st %s → %s', (st, state) => {
    expect(parseNetUdp(table(udpLine({ st })), ctx(UDP), false).rows.map((r) => r.state)).toEqual([state]);
  });

  test.each([
    ['st 0A (no listening udp)', udpLine({ st: '0A' }), 'unknown-state', 'st'],
    ['st 06', udpLine({ st: '06' }), 'unknown-state', 'st'],
    ['timeout and inode missing', udpLine().replace(/ +0 6001 2 0000000000000000 0$/, ''), 'too-few-fields', 'timeout'],
  ])('%s → %s (%s)', (_name, line, kind, field) => {
    const { rows, issues } = parseNetUdp(table(udpLine({ inode: '1' }), line), ctx(UDP), false);
    expect(issueShape(issues)).toEqual([{ kind, line: 3, field, file: UDP }]);
    expect(rows.map((r) => r.inode)).toEqual([1]);
  });

  test.each([
    ['no drops column (2.6.18; udp on 2.6.26)', udpLine({ drops: '' }).trimEnd(), undefined],
    ['drops printed with %d, past 2^31 (kernels before 2019)', udpLine({ drops: '-2147483647' }), 2147483649],
    ['drops that is not a number: the count is lost, not the row', udpLine({ drops: 'x1' }), undefined],
    ['no ref, pointer or drops', udpLine().replace(/ 2 0000000000000000 0$/, ''), undefined],
  ])('%s → kept', (_name, line, drops) => {
    const { rows, issues } = parseNetUdp(table(line), ctx(UDP), false);
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.inode, r.drops])).toEqual([[6001, drops]]);
  });

  test('a last line without newline: kept once its inode is followed by a column; a drops it ends with is not trusted', () => {
    const complete = parseNetUdp(`${UDP_HEADER}\n${udpLine()}`, ctx(UDP), false);
    expect(complete.issues).toEqual([]);
    expect(complete.rows.map((r) => [r.inode, r.drops])).toEqual([[6001, undefined]]);
    const cutBeforeDrops = parseNetUdp(`${UDP_HEADER}\n${udpLine().replace(/ 0$/, '')}`, ctx(UDP), false);
    expect(cutBeforeDrops.issues).toEqual([]);
    expect(cutBeforeDrops.rows).toHaveLength(1);
    const cutAfterInode = parseNetUdp(`${UDP_HEADER}\n${udpLine().replace(/ 2 0000000000000000 0$/, '')}`, ctx(UDP), false);
    expect(cutAfterInode.rows).toEqual([]);
    expect(issueShape(cutAfterInode.issues)).toEqual([{ kind: 'truncated-line', line: 2, field: 'ref', file: UDP }]);
  });

  test('repeated prints of one socket fold into the later one (its drops), other inodes stay', () => {
    const { rows } = parseNetUdp(table(udpLine(), udpLine(), udpLine({ drops: '9' }), udpLine({ inode: '6002' })), ctx(UDP), false);
    expect(rows.map((r) => [r.inode, r.drops, r.source.line])).toEqual([[6001, 9, 4], [6002, 0, 5]]);
  });

  test('the udp6 table needs 32-digit addresses', () => {
    const { issues } = parseNetUdp(`${UDP6_HEADER}\n${udpLine()}\n`, ctx('/proc/net/udp6'), true);
    expect(issueShape(issues)).toEqual([{ kind: 'bad-address', line: 2, field: 'local_address', file: '/proc/net/udp6' }]);
  });
});

describe('parseNetRaw: the local port is the IP protocol number', () => {
  test('raw: icmp (1), IPPROTO_RAW (255), a connected socket with drops', () => {
    const { rows, issues } = parseNetRaw(fixture('hand/raw-protocols'), ctx('/proc/net/raw'), false);
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.proto, r.local.address, r.local.port, r.remote.address, r.remote.port, r.state, r.drops])).toEqual([
      ['raw', '0.0.0.0', 1, '0.0.0.0', 0, 'UNCONN', 0],
      ['raw', '0.0.0.0', 255, '0.0.0.0', 0, 'UNCONN', 0],
      ['raw', '127.0.0.1', 17, '127.0.0.2', 0, 'ESTABLISHED', 12],
    ]);
  });

  test('raw6: ipv6-icmp (58)', () => {
    const { rows, issues } = parseNetRaw(fixture('hand/raw6-protocols'), ctx('/proc/net/raw6'), true);
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.proto, r.local.address, r.local.port, r.state])).toEqual([['raw6', '::', 58, 'UNCONN']]);
  });

  test('an unknown state is an issue in raw too', () => {
    const { rows, issues } = parseNetRaw(table(udpLine({ st: '0A' })), ctx('/proc/net/raw'), false);
    expect(rows).toEqual([]);
    expect(issueShape(issues)).toEqual([{ kind: 'unknown-state', line: 2, field: 'st', file: '/proc/net/raw' }]);
  });
});
