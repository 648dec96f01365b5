import { parseCmdline, parseComm, parseUid } from '../../src/parse/process.js';
import { issueShape } from './fixtures.js';

describe('parseCmdline', () => {
  test.each([
    ['', []],
    ['/usr/sbin/sshd\0-D\0', ['/usr/sbin/sshd', '-D']],
    ['/usr/sbin/sshd\0-D', ['/usr/sbin/sshd', '-D']],
    ['nginx: master process /usr/sbin/nginx', ['nginx: master process /usr/sbin/nginx']],
    ['python3\0-c\0print("a b")\0', ['python3', '-c', 'print("a b")']],
    // an empty last argument: only the one terminating NUL is dropped
    ['prog\0\0', ['prog', '']],
    ['prog\0\0x\0', ['prog', '', 'x']],
    ['\0', ['']],
  ])('%j → %j', (raw, argv) => {
    expect(parseCmdline(raw)).toEqual(argv);
  });
});

describe('parseComm', () => {
  test.each([
    ['sshd\n', 'sshd'],
    ['sshd', 'sshd'],
    ['npm run build\n', 'npm run build'],
    ['a\n\n', 'a\n'],
    [' x \n', ' x '],
    ['', ''],
  ])('%j → %j', (raw, name) => {
    expect(parseComm(raw)).toBe(name);
  });
});

describe('parseUid', () => {
  test.each([
    ['0', 0],
    ['1000', 1000],
    ['65534\n', 65534],
    [' 33 ', 33],
    ['4294967295', 4294967295],
  ])('%j → %d', (raw, uid) => {
    expect(parseUid(raw, '/proc/1/status')).toEqual({ rows: [uid], issues: [] });
  });

  test.each([
    ['', 'too-few-fields'],
    ['abc', 'bad-number'],
    ['-1', 'bad-number'],
    ['1000 1000', 'bad-number'],
    ['4294967296', 'bad-number'],
  ])('%j → %s', (raw, kind) => {
    const { rows, issues } = parseUid(raw, '/proc/7/status');
    expect(rows).toEqual([]);
    expect(issueShape(issues)).toEqual([{ kind, line: 1, field: 'Uid', file: '/proc/7/status' }]);
  });
});
