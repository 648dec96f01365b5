import type { UnixSocketRow } from '../../src/model/index.js';
import { parseNetUnix } from '../../src/parse/net-unix.js';
import { ctx, fixture, issueShape, UNIX_HEADER } from './fixtures.js';

const FILE = '/proc/net/unix';
const table = (...lines: string[]): string => [UNIX_HEADER, ...lines].join('\n') + '\n';
const brief = (rows: UnixSocketRow[]): Array<[number, string, string, string | null, number]> =>
  rows.map((r) => [r.source.line, r.type, r.state, r.path, r.inode]);

describe('parseNetUnix: hand-made paths', () => {
  const { rows, issues } = parseNetUnix(fixture('hand/unix-paths'), ctx(FILE, 'little', 'blue'));

  test('no issues', () => {
    expect(issues).toEqual([]);
  });

  test('types, states, names verbatim (spaces, abstract @, NULs as @), unbound = null, duplicates folded', () => {
    expect(brief(rows)).toEqual([
      [2, 'stream', 'LISTEN', '/run/my app/control socket', 20001],
      [3, 'stream', 'LISTEN', '@fleetstat test', 20002],
      [4, 'dgram', 'UNCONN', '@fleet@stat@', 20003],
      // line 14 repeats line 5: folded into the later print
      [14, 'stream', 'CONNECTED', null, 20004],
      [6, 'seqpacket', 'UNCONN', null, 305],
      // line 15 repeats line 7 exactly, Num included
      [15, 'stream', 'CONNECTING', '@fleetstat test', 0],
      // a second pending connection to the same listener: equal but for Num, so kept
      [8, 'stream', 'CONNECTING', '@fleetstat test', 0],
      [9, 'dgram', 'UNCONN', ' leading space', 20005],
      [10, 'dgram', 'UNCONN', '/tmp/trailing space ', 20006],
      [11, 'stream', 'DISCONNECTING', null, 0],
      [12, 'raw', 'UNCONN', null, 20007],
      [13, 'rdm', 'UNCONN', null, 20008],
    ]);
    expect(rows.find((r) => r.inode === 20004)?.line.foldedLines).toEqual([5]);
  });

  test('refCount, flags, netns and source are carried', () => {
    expect(rows[0]).toEqual({
      proto: 'unix',
      type: 'stream',
      state: 'LISTEN',
      path: '/run/my app/control socket',
      refCount: 2,
      flags: 0x10000,
      inode: 20001,
      netns: 'blue',
      source: { file: FILE, line: 2 },
      line: { num: '0000000000001111', kernelLayout: true, mayBeNameTail: false, afterFragment: false, nameRunsOn: false, foldedLines: [] },
    });
  });
});

describe('parseNetUnix: columns', () => {
  const line = (type: string, st: string, flags = '00000000', rest = ' 1234'): string =>
    `0000000000000000: 00000002 00000000 ${flags} ${type} ${st}${rest}`;

  test.each([
    ['0001', 'stream'],
    ['0002', 'dgram'],
    ['0003', 'raw'],
    ['0004', 'rdm'],
    ['0005', 'seqpacket'],
  ])('Type %s → %s', (type, name) => {
    expect(parseNetUnix(table(line(type, '01')), ctx(FILE)).rows.map((r) => r.type)).toEqual([name]);
  });

  test.each([
    ['01', '00000000', 'UNCONN'],
    ['02', '00000000', 'CONNECTING'],
    ['03', '00000000', 'CONNECTED'],
    ['04', '00000000', 'DISCONNECTING'],
    ['01', '00010000', 'LISTEN'],
    // __SO_ACCEPTCON decides, whatever else is in Flags
    ['01', '00010001', 'LISTEN'],
    ['01', '00001000', 'UNCONN'],
  ])('St %s with Flags %s → %s', (st, flags, state) => {
    expect(parseNetUnix(table(line('0001', st, flags)), ctx(FILE)).rows.map((r) => r.state)).toEqual([state]);
  });

  test.each([
    ['a padded inode, no path', '   305', null, 305],
    ['a long inode, no path', ' 123456789', null, 123456789],
    ['a path after a padded inode', '   305 /run/a b', '/run/a b', 305],
    ['a path that is all spaces', ' 99   ', '  ', 99],
    ['a path with a tab', ' 99 a\tb', 'a\tb', 99],
    ['an abstract name that is only @', ' 99 @', '@', 99],
  ])('%s', (_name, rest, path, inode) => {
    const { rows, issues } = parseNetUnix(table(line('0001', '01', '00000000', rest)), ctx(FILE));
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.path, r.inode])).toEqual([[path, inode]]);
  });

  test.each([
    ['a line with six columns', line('0001', '01', '00000000', ''), 'too-few-fields', 'Inode'],
    ['a line with one column', '0000000000000000:', 'too-few-fields', 'RefCount'],
    ['a blank line', '', 'bad-line', undefined],
    ['Num without its colon', line('0001', '01').replace(':', ''), 'bad-number', 'Num'],
    ['RefCount not hex', line('0001', '01').replace('00000002', '0000000X'), 'bad-number', 'RefCount'],
    ['Flags not hex', line('0001', '01', 'zzzzzzzz'), 'bad-number', 'Flags'],
    ['Type not hex', line('00x1', '01'), 'bad-number', 'Type'],
    ['Type 0006 (SOCK_DCCP is not unix)', line('0006', '01'), 'unknown-state', 'Type'],
    ['Type 0000', line('0000', '01'), 'unknown-state', 'Type'],
    ['St not hex', line('0001', 'g1'), 'bad-number', 'St'],
    ['St 00', line('0001', '00'), 'unknown-state', 'St'],
    ['St 05', line('0001', '05'), 'unknown-state', 'St'],
    ['Inode not decimal', line('0001', '01', '00000000', ' 12ab'), 'bad-number', 'Inode'],
    ['a space and no name', line('0001', '01', '00000000', ' 1234 '), 'bad-line', 'Path'],
    ['a tab before the name', line('0001', '01', '00000000', ' 1234\t/run/x'), 'bad-line', undefined],
  ])('%s → %s (%s)', (_name, bad, kind, field) => {
    const { rows, issues } = parseNetUnix(table(line('0001', '03', '00000000', ' 1'), bad, line('0001', '03', '00000000', ' 2')), ctx(FILE));
    expect(issueShape(issues)).toEqual([{ kind, line: 3, field, file: FILE }]);
    expect(rows.map((r) => r.inode)).toEqual([1, 2]);
  });

  test('a path with a newline in it breaks the line: the fragment is an issue naming the Path, not a socket', () => {
    const { rows, issues } = parseNetUnix(table(line('0001', '01', '00000000', ' 77 /tmp/evil\nname')), ctx(FILE));
    expect(rows.map((r) => [r.path, r.line.nameRunsOn])).toEqual([['/tmp/evil', true]]);
    expect(issueShape(issues)).toEqual([{ kind: 'bad-line', line: 3, field: 'Path', file: FILE }]);
  });

  test('Protocol is not read: a row with an odd one is kept, but is not laid out as the kernel prints', () => {
    const { rows, issues } = parseNetUnix(table(line('0001', '01').replace(' 00000000 ', ' -0000000 ')), ctx(FILE));
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.inode, r.line.kernelLayout])).toEqual([[1234, false]]);
  });

  test('header: empty text and a missing header are issues; the data is still read', () => {
    expect(issueShape(parseNetUnix('', ctx(FILE)).issues)).toEqual([{ kind: 'missing-header', line: 1, field: undefined, file: FILE }]);
    const noHeader = parseNetUnix(`${line('0001', '01')}\n`, ctx(FILE));
    expect(issueShape(noHeader.issues)).toEqual([{ kind: 'missing-header', line: 1, field: undefined, file: FILE }]);
    expect(noHeader.rows.map((r) => r.source.line)).toEqual([1]);
    expect(parseNetUnix(`${UNIX_HEADER}\n`, ctx(FILE))).toEqual({ rows: [], issues: [] });
  });

  test('a last line without newline: complete is kept, cut inside the fixed columns is truncated-line', () => {
    const complete = parseNetUnix(`${UNIX_HEADER}\n${line('0001', '01', '00000000', ' 1234 /run/x')}`, ctx(FILE));
    expect(complete.issues).toEqual([]);
    expect(complete.rows.map((r) => r.path)).toEqual(['/run/x']);
    const cut = parseNetUnix(`${UNIX_HEADER}\n${line('0001', '01').slice(0, 40)}`, ctx(FILE));
    expect(cut.rows).toEqual([]);
    expect(issueShape(cut.issues)).toEqual([{ kind: 'truncated-line', line: 2, field: 'Type', file: FILE }]);
  });

  test('duplicates: same inode folds into the later print; inode 0 folds only when every column, Num included, is equal', () => {
    const zero = (num: string, ref = '00000003'): string => `${num}: ${ref} 00000000 00000000 0001 02     0 @srv`;
    const { rows } = parseNetUnix(
      table(
        line('0001', '03', '00000000', ' 500'),
        line('0001', '03', '00000000', ' 500').replace('00000002', '00000003'), // refcount moved: same socket
        zero('00000000000000a1'),
        zero('00000000000000a1'),
        zero('00000000000000a2'),
        zero('00000000000000a2', '00000002'),
      ),
      ctx(FILE),
    );
    expect(rows.map((r) => [r.source.line, r.inode, r.refCount])).toEqual([[3, 500, 3], [4, 0, 3], [6, 0, 3], [7, 0, 2]]);
  });
});
