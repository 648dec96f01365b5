import { parseByteOrder, parseNetnsNames, parsePortRange } from '../../src/parse/meta.js';
import { issueShape } from './fixtures.js';

describe('parseByteOrder (od -An -tu2 of the bytes 01 00)', () => {
  test.each([
    ['      1\n', 'little'],
    ['1', 'little'],
    [' 1\n', 'little'],
    ['    256\n', 'big'],
    ['256', 'big'],
  ])('%j → %s', (text, order) => {
    expect(parseByteOrder(text, '(byte order)')).toEqual({ rows: [order], issues: [] });
  });

  test.each([[''], ['\n'], ['0'], ['2'], ['1 256'], ['0001'], ['little']])('%j → an issue, not a guess', (text) => {
    const { rows, issues } = parseByteOrder(text, '(byte order)');
    expect(rows).toEqual([]);
    expect(issueShape(issues)).toEqual([{ kind: 'bad-line', line: 1, field: 'byteorder', file: '(byte order)' }]);
  });
});

describe('parsePortRange', () => {
  const FILE = '/proc/sys/net/ipv4/ip_local_port_range';
  test.each([
    ['32768\t60999\n', 32768, 60999],
    ['1024 65535', 1024, 65535],
    ['  40000   40000  \n', 40000, 40000],
  ])('%j → %d..%d', (text, low, high) => {
    expect(parsePortRange(text, FILE)).toEqual({ rows: [{ low, high }], issues: [] });
  });

  test.each([
    ['', 'too-few-fields', 'low'],
    ['32768\n', 'too-few-fields', 'high'],
    ['32768 60999 1', 'bad-line', 'high'],
    ['x 60999', 'bad-number', 'low'],
    ['32768 65536', 'bad-number', 'high'],
    ['-1 60999', 'bad-number', 'low'],
    ['60999 32768', 'bad-line', 'high'],
  ])('%j → %s (%s)', (text, kind, field) => {
    const { rows, issues } = parsePortRange(text, FILE);
    expect(rows).toEqual([]);
    expect(issueShape(issues)).toEqual([{ kind, line: 1, field, file: FILE }]);
  });
});

describe('parseNetnsNames (ls -1iL /run/netns)', () => {
  const FILE = '/run/netns';
  test.each([
    ['', []],
    ['4026532289 blue\n', [{ inode: 4026532289, name: 'blue' }]],
    ['  4026532289 blue\n 4026532390 red\n', [{ inode: 4026532289, name: 'blue' }, { inode: 4026532390, name: 'red' }]],
    ['4026532289 with space\n', [{ inode: 4026532289, name: 'with space' }]],
  ])('%j', (text, rows) => {
    expect(parseNetnsNames(text, FILE)).toEqual({ rows, issues: [] });
  });

  test.each([
    ['4026532289 blue\n? broken\n', 2, 'bad-number', 'inode'],
    ['4026532289 blue\n4026532390\n', 2, 'too-few-fields', 'name'],
    ['4026532289 blue\n4026532390', 2, 'truncated-line', 'name'],
  ])('%j → %s', (text, line, kind, field) => {
    const { rows, issues } = parseNetnsNames(text, FILE);
    expect(rows).toEqual([{ inode: 4026532289, name: 'blue' }]);
    expect(issueShape(issues)).toEqual([{ kind, line, field, file: FILE }]);
  });
});
