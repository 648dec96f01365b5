import type { InetSocketRow } from '../../src/model/index.js';
import { parseNetTcp } from '../../src/parse/net-tcp.js';
import { ctx, fixture, issueShape, TCP6_HEADER, TCP_HEADER } from './fixtures.js';

const FILE = '/proc/net/tcp';
const FULL_TAIL = '1 0000000000000000 100 0 0 10 0';

/** One line as the kernel prints it (little-endian 127.0.0.1:8080 → 10.1.2.3:40001 by default). */
function tcpLine(over: Partial<Record<'sl' | 'local' | 'remote' | 'st' | 'queues' | 'uid' | 'inode' | 'tail', string>> = {}): string {
  const c = { sl: '0:', local: '0100007F:1F90', remote: '0302010A:9C41', st: '01', queues: '00000000:00000000', uid: '1000', inode: '4242', tail: FULL_TAIL, ...over };
  return `${c.sl.padStart(5)} ${c.local} ${c.remote} ${c.st} ${c.queues} 00:00000000 00000000 ${c.uid.padStart(5)}        0 ${c.inode} ${c.tail}`;
}
const table = (...lines: string[]): string => [TCP_HEADER, ...lines].join('\n') + '\n';
const endpoints = (rows: InetSocketRow[]): string[] =>
  rows.map((r) => `${r.proto} ${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port} ${r.state}`);

describe('parseNetTcp: one full row', () => {
  test('every column lands in its field, with netns and source', () => {
    const text = table(tcpLine({ queues: '0000002A:00000064', st: '08' }));
    const { rows, issues } = parseNetTcp(text, ctx('/proc/4242/net/tcp', 'little', 'blue'), false);
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      {
        proto: 'tcp',
        state: 'CLOSE_WAIT',
        local: { address: '127.0.0.1', port: 8080 },
        remote: { address: '10.1.2.3', port: 40001 },
        recvQ: 100, // rx_queue
        sendQ: 42, // tx_queue
        uid: 1000,
        inode: 4242,
        netns: 'blue',
        source: { file: '/proc/4242/net/tcp', line: 2 },
      },
    ]);
    expect(rows[0]).not.toHaveProperty('drops');
  });

  test.each([
    ['01', 'ESTABLISHED'],
    ['02', 'SYN_SENT'],
    ['03', 'SYN_RECV'],
    ['04', 'FIN_WAIT1'],
    ['05', 'FIN_WAIT2'],
    ['06', 'TIME_WAIT'],
    ['07', 'CLOSE'],
    ['08', 'CLOSE_WAIT'],
    ['09', 'LAST_ACK'],
    ['0A', 'LISTEN'],
    ['0a', 'LISTEN'],
    ['0B', 'CLOSING'],
    ['0C', 'NEW_SYN_RECV'],
  ])('st %s → %s', (st, state) => {
    const { rows, issues } = parseNetTcp(table(tcpLine({ st })), ctx(FILE), false);
    expect(issues).toEqual([]);
    expect(rows.map((r) => r.state)).toEqual([state]);
  });

  test('proto is tcp6 for the v6 table', () => {
    const line = tcpLine({ local: '00000000000000000000000001000000:0016', remote: '00000000000000000000000000000000:0000', st: '0A' });
    const { rows, issues } = parseNetTcp(`${TCP6_HEADER}\n${line}\n`, ctx('/proc/net/tcp6'), true);
    expect(issues).toEqual([]);
    expect(endpoints(rows)).toEqual(['tcp6 ::1:22 :::0 LISTEN']);
  });
});

describe('parseNetTcp: hand-made fixtures', () => {
  test('big-endian capture: addresses read with the captured host byte order', () => {
    const text = fixture('hand/tcp-big-endian');
    const { rows, issues } = parseNetTcp(text, ctx(FILE, 'big'), false);
    expect(issues).toEqual([]);
    expect(endpoints(rows)).toEqual([
      'tcp 127.0.0.1:22 0.0.0.0:0 LISTEN',
      'tcp 192.168.10.5:22 192.168.10.99:54321 ESTABLISHED',
      'tcp 10.0.0.1:8080 10.0.0.254:50000 TIME_WAIT',
    ]);
    expect(rows.map((r) => [r.inode, r.sendQ, r.recvQ])).toEqual([[1001, 0, 0], [1002, 0x24, 0], [0, 0, 0]]);
  });

  test('the same big-endian text read as little-endian gives other (wrong) addresses: byte order is an input', () => {
    const { rows } = parseNetTcp(fixture('hand/tcp-big-endian'), ctx(FILE, 'little'), false);
    expect(rows.map((r) => r.local.address)).toEqual(['1.0.0.127', '5.10.168.192', '1.0.0.10']);
    // ports do not depend on the byte order
    expect(rows.map((r) => r.local.port)).toEqual([22, 22, 8080]);
  });

  test('big-endian tcp6: ::1, 2001:db8::, IPv4-mapped', () => {
    const { rows, issues } = parseNetTcp(fixture('hand/tcp6-big-endian'), ctx('/proc/net/tcp6', 'big'), true);
    expect(issues).toEqual([]);
    expect(endpoints(rows)).toEqual([
      'tcp6 ::1:5432 :::0 LISTEN',
      'tcp6 2001:db8::1:443 2001:db8::2:1:40000 ESTABLISHED',
      'tcp6 ::ffff:10.0.0.1:8080 ::ffff:10.0.0.9:41000 ESTABLISHED',
    ]);
    expect(rows.map((r) => r.uid)).toEqual([26, 33, 33]);
  });

  test('little-endian tcp6: ::, ::1, link-local, IPv4-mapped, RFC 5952 compression', () => {
    const { rows, issues } = parseNetTcp(fixture('hand/tcp6-addresses'), ctx('/proc/net/tcp6'), true);
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.local.address, r.remote.address])).toEqual([
      ['::', '::'],
      ['::1', '::'],
      ['fe80::a00:27ff:fe4e:66a1', 'fe80::1'],
      ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
      ['2001:db8::1:0:0:1', '2001:db8:0:1:1:1:1:1'],
    ]);
    expect(rows.map((r) => r.state)).toEqual(['LISTEN', 'LISTEN', 'ESTABLISHED', 'ESTABLISHED', 'CLOSE_WAIT']);
  });

  test('empty tcp6 table: the header alone is no rows and no issue', () => {
    expect(parseNetTcp(fixture('hand/tcp6-empty'), ctx('/proc/net/tcp6'), true)).toEqual({ rows: [], issues: [] });
  });

  test('duplicated rows from a non-atomic read fold into their LATER print; inode-0 rows only when equal', () => {
    const { rows, issues } = parseNetTcp(fixture('hand/tcp-duplicates'), ctx(FILE), false);
    expect(issues).toEqual([]);
    // each socket keeps the place of its first print and the content of its last
    expect(rows.map((r) => r.source.line)).toEqual([6, 7, 8, 5, 9]);
    expect(endpoints(rows)).toEqual([
      'tcp 127.0.0.1:8080 0.0.0.0:0 LISTEN',
      'tcp 127.0.0.1:8080 10.1.2.3:40001 ESTABLISHED',
      'tcp 127.0.0.1:8080 10.1.2.3:40002 TIME_WAIT',
      'tcp 127.0.0.1:8080 10.1.2.3:40003 TIME_WAIT',
      'tcp 127.0.0.1:8080 10.1.2.3:40003 SYN_RECV',
    ]);
    // the later print wins: line 7's queue, not line 3's
    expect(rows[1]?.recvQ).toBe(0x10);
    expect(rows.filter((r) => r.inode === 0)).toHaveLength(3);
  });

  test('a truncated last line is reported, the complete lines kept', () => {
    const { rows, issues } = parseNetTcp(fixture('hand/tcp-truncated'), ctx(FILE), false);
    expect(rows.map((r) => r.inode)).toEqual([5001]);
    expect(issueShape(issues)).toEqual([{ kind: 'truncated-line', line: 3, field: 'tr', file: FILE }]);
  });
});

describe('parseNetTcp: duplicates', () => {
  const tw = (pointer: string, uid = '0', queues = '00000000:00000000'): string =>
    tcpLine({ st: '06', inode: '0', uid, queues, tail: `3 ${pointer}` });

  test.each([
    ['an exact repeat of a TIME_WAIT row', [tw('00000000aaaa0001'), tw('00000000aaaa0001')], [3]],
    ['two TIME_WAIT rows that differ only in the socket pointer', [tw('00000000aaaa0001'), tw('00000000aaaa0002')], [2, 3]],
    ['inode-0 rows that differ only in uid', [tw('0000000000000000', '0'), tw('0000000000000000', '33')], [2, 3]],
    ['inode-0 rows that differ only in a queue', [tw('0000000000000000'), tw('0000000000000000', '0', '00000001:00000000')], [2, 3]],
    ['same inode, other state (the socket moved between prints)', [tcpLine({ st: '01' }), tcpLine({ st: '08' })], [3]],
    ['same inode, other endpoints (connect() between prints)', [tcpLine({ remote: '00000000:0000', st: '07' }), tcpLine()], [3]],
    ['same inode and key, other queues and slot', [tcpLine({ sl: '3:' }), tcpLine({ sl: '9:', queues: '00000010:00000020' })], [3]],
    ['same endpoints, other inode', [tcpLine({ inode: '1' }), tcpLine({ inode: '2' })], [2, 3]],
  ])('%s → lines %j kept', (_name, lines, kept) => {
    const { rows, issues } = parseNetTcp(table(...lines), ctx(FILE), false);
    expect(issues).toEqual([]);
    expect(rows.map((r) => r.source.line)).toEqual(kept);
  });

  test('for inode ≠ 0 the later print wins: its state, queues and endpoints', () => {
    const { rows } = parseNetTcp(table(tcpLine({ st: '01' }), tcpLine({ inode: '7' }), tcpLine({ st: '08', queues: '00000001:00000002' })), ctx(FILE), false);
    expect(rows.map((r) => [r.inode, r.state, r.sendQ, r.recvQ, r.source.line])).toEqual([
      [4242, 'CLOSE_WAIT', 1, 2, 4],
      [7, 'ESTABLISHED', 0, 0, 3],
    ]);
  });

  test('the same socket in two namespaces (two files) is not folded by either parse', () => {
    const a = parseNetTcp(table(tcpLine()), ctx('/proc/net/tcp', 'little', 'default'), false);
    const b = parseNetTcp(table(tcpLine()), ctx('/proc/99/net/tcp', 'little', 'blue'), false);
    expect([...a.rows, ...b.rows].map((r) => r.netns)).toEqual(['default', 'blue']);
  });
});

describe('parseNetTcp: issues name kind, line and field', () => {
  test.each([
    ['too few columns', tcpLine().trim().split(/\s+/).slice(0, 8).join(' '), 'too-few-fields', 'timeout'],
    ['only the slot', '   7:', 'too-few-fields', 'local_address'],
    ['blank line', '', 'bad-line', undefined],
    ['bad slot', tcpLine({ sl: 'x:' }), 'bad-number', 'sl'],
    ['address too short', tcpLine({ local: '100007F:1F90' }), 'bad-address', 'local_address'],
    ['IPv6 address in the v4 table', tcpLine({ local: '00000000000000000000000001000000:1F90' }), 'bad-address', 'local_address'],
    ['address not hex', tcpLine({ remote: '0302010Z:9C41' }), 'bad-address', 'rem_address'],
    ['no port', tcpLine({ remote: '0302010A' }), 'bad-address', 'rem_address'],
    ['port too long', tcpLine({ local: '0100007F:01F90' }), 'bad-address', 'local_address'],
    ['state not hex', tcpLine({ st: 'ZZ' }), 'bad-number', 'st'],
    ['state of three digits', tcpLine({ st: '00A' }), 'bad-number', 'st'],
    ['state 00', tcpLine({ st: '00' }), 'unknown-state', 'st'],
    ['state 0D', tcpLine({ st: '0D' }), 'unknown-state', 'st'],
    ['tx_queue not hex', tcpLine({ queues: '0000000G:00000000' }), 'bad-number', 'tx_queue'],
    ['rx_queue missing', tcpLine({ queues: '00000000' }), 'bad-number', 'rx_queue'],
    ['rx_queue not hex', tcpLine({ queues: '00000000:-0000001' }), 'bad-number', 'rx_queue'],
    ['uid not a number', tcpLine({ uid: '1e3' }), 'bad-number', 'uid'],
    ['uid beyond 32 bits', tcpLine({ uid: '4294967296' }), 'bad-number', 'uid'],
    ['uid below -2^31', tcpLine({ uid: '-2147483649' }), 'bad-number', 'uid'],
    ['uid hex', tcpLine({ uid: '3E8' }), 'bad-number', 'uid'],
    ['inode not decimal', tcpLine({ inode: '12a' }), 'bad-number', 'inode'],
    ['inode beyond 2^53', tcpLine({ inode: '18446744073709551615' }), 'bad-number', 'inode'],
  ])('%s → %s', (_name, line, kind, field) => {
    const good = tcpLine({ inode: '1' });
    const { rows, issues } = parseNetTcp(table(good, line, good.replace(' 1 1 ', ' 2 1 ')), ctx(FILE), false);
    expect(issueShape(issues)).toEqual([{ kind, line: 3, field, file: FILE }]);
    // the bad line is left out, the lines around it are kept
    expect(rows.map((r) => r.source.line)).toEqual([2, 4]);
  });

  test('remote address issues name the v6 column remote_address in tcp6', () => {
    const line = tcpLine({ local: '00000000000000000000000001000000:0016', remote: '0000:0000' });
    const { issues } = parseNetTcp(`${TCP6_HEADER}\n${line}\n`, ctx('/proc/net/tcp6'), true);
    expect(issueShape(issues)).toEqual([{ kind: 'bad-address', line: 2, field: 'remote_address', file: '/proc/net/tcp6' }]);
  });

  test("an empty text (zero bytes) is a missing header, and no rows", () => {
    const { rows, issues } = parseNetTcp('', ctx(FILE), false);
    expect(rows).toEqual([]);
    expect(issueShape(issues)).toEqual([{ kind: 'missing-header', line: 1, field: undefined, file: FILE }]);
  });

  test('without the header: a missing-header issue, and the data lines are still read (line numbers kept)', () => {
    const { rows, issues } = parseNetTcp(`${tcpLine({ inode: '1' })}\n${tcpLine({ inode: '2' })}\n`, ctx(FILE), false);
    expect(issueShape(issues)).toEqual([{ kind: 'missing-header', line: 1, field: undefined, file: FILE }]);
    expect(rows.map((r) => [r.inode, r.source.line])).toEqual([[1, 1], [2, 2]]);
  });

  test('a header with other words is also a missing header; its line is then reported too', () => {
    const { rows, issues } = parseNetTcp(`Num RefCount\n${tcpLine()}\n`, ctx(FILE), false);
    expect(issueShape(issues)).toEqual([
      { kind: 'missing-header', line: 1, field: undefined, file: FILE },
      { kind: 'bad-number', line: 1, field: 'sl', file: FILE },
    ]);
    expect(rows).toHaveLength(1);
  });
});

describe('parseNetTcp: the last line without a newline', () => {
  test.each([
    ['a full socket line', tcpLine()],
    ['a TIME_WAIT line (ends after ref and pointer)', tcpLine({ st: '06', inode: '0', tail: '3 0000000000000000' })],
    ['a line cut inside the extra columns (inode is followed by more)', `${tcpLine()}`.slice(0, -8)],
    // the pointer is not read for a row with an inode: a cut there loses nothing
    ['cut after ref: the pointer is missing', tcpLine({ tail: '1' })],
  ])('%s is complete: kept, no issue', (_name, line) => {
    const { rows, issues } = parseNetTcp(`${TCP_HEADER}\n${line}`, ctx(FILE), false);
    expect(issues).toEqual([]);
    expect(rows).toHaveLength(1);
  });

  test.each([
    ['cut after inode', tcpLine({ tail: '' }).trimEnd(), 'ref'],
    ['cut inside inode', tcpLine({ tail: '' }).trimEnd().slice(0, -2), 'ref'],
    ['cut inside the remote address', tcpLine().slice(0, 26), 'rem_address'],
    ['cut inside the queues', tcpLine().slice(0, 45), 'rx_queue'],
  ])('%s → truncated-line (%s)', (_name, line, field) => {
    const { rows, issues } = parseNetTcp(`${TCP_HEADER}\n${tcpLine({ inode: '7' })}\n${line}`, ctx(FILE), false);
    expect(issueShape(issues)).toEqual([{ kind: 'truncated-line', line: 3, field, file: FILE }]);
    expect(rows.map((r) => r.inode)).toEqual([7]);
  });

  test('the same short line WITH a newline is fine: all needed columns are there', () => {
    const { rows, issues } = parseNetTcp(table(tcpLine({ tail: '' }).trimEnd()), ctx(FILE), false);
    expect(issues).toEqual([]);
    expect(rows).toHaveLength(1);
  });
});
