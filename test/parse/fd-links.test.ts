import { parseFdLinks, parseUnreadablePids } from '../../src/parse/fd-links.js';
import { fixture, issueShape } from './fixtures.js';

const FILE = '/proc/*/fd';

describe('parseFdLinks', () => {
  test('headers with and without the slash, GNU and busybox columns, the legacy [0000]: form, unreadable links', () => {
    const { links, unreadable, issues } = parseFdLinks(fixture('hand/fdlinks-mixed'), FILE);
    expect(issues).toEqual([]);
    expect(links).toEqual([
      { pid: 1, fd: 3, inode: 20001 },
      { pid: 1, fd: 10, inode: 20002 },
      { pid: 42, fd: 4, inode: 30001 },
      // one socket held by two processes: both kept
      { pid: 42, fd: 5, inode: 20001 },
      { pid: 778, fd: 7, inode: 20003 },
    ]);
    expect(unreadable).toEqual([777]);
  });

  test.each([
    ['empty text', ''],
    ['the lone newline the script writes when nothing matched', '\n'],
    ['headers only', '/proc/1/fd/:\n/proc/2/fd/:\n'],
  ])('%s: valid, nothing found', (_name, text) => {
    expect(parseFdLinks(text, FILE)).toEqual({ links: [], unreadable: [], issues: [] });
  });

  test('the first ` -> ` ends the fd name: a target that contains another arrow is not a socket', () => {
    const text = '/proc/5/fd/:\nl-wx------ 1 0 0 64 Nov 26 14:08 3 -> /tmp/x -> socket:[1]\n';
    const { links, issues } = parseFdLinks(text, FILE);
    expect(links).toEqual([]);
    expect(issueShape(issues)).toEqual([{ kind: 'bad-line', line: 2, field: 'target', file: FILE }]);
  });

  test.each([
    ['a link line before any header', 'lrwx------ 1 0 0 64 Nov 26 14:08 7 -> socket:[1]', 1, 'bad-line', 'pid'],
    ['a line that is neither header nor link', '/proc/5/fd/:\ntotal 0', 2, 'bad-line', undefined],
    ['an fd that is not a number', '/proc/5/fd/:\nlrwx------ 1 0 0 64 Nov 26 14:08 x7 -> socket:[1]', 2, 'bad-number', 'fd'],
    ['a socket inode that is not a number', '/proc/5/fd/:\nlrwx------ 1 0 0 64 Nov 26 14:08 7 -> socket:[1a]', 2, 'bad-line', 'target'],
    ['a pid beyond 2^53', '/proc/99999999999999999999/fd/:', 1, 'bad-number', 'pid'],
  ])('%s → %s', (_name, text, line, kind, field) => {
    const { links, unreadable, issues } = parseFdLinks(`${text}\n`, FILE);
    expect(issueShape(issues)).toEqual([{ kind, line, field, file: FILE }]);
    expect(links).toEqual([]);
    expect(unreadable).toEqual([]);
  });

  test('links under a header with a bad pid are reported, not given to the previous pid', () => {
    const text = '/proc/1/fd/:\n/proc/99999999999999999999/fd/:\nlrwx------ 1 0 0 64 Nov 26 14:08 7 -> socket:[1]\n';
    const { links, issues } = parseFdLinks(text, FILE);
    expect(links).toEqual([]);
    expect(issueShape(issues)).toEqual([
      { kind: 'bad-number', line: 2, field: 'pid', file: FILE },
      { kind: 'bad-line', line: 3, field: 'pid', file: FILE },
    ]);
  });

  test('a cut last line is truncated-line, and not counted as an unreadable link', () => {
    const cutTarget = parseFdLinks('/proc/5/fd/:\nlrwx------ 1 0 0 64 Nov 26 14:08 7 -> socket:[12', FILE);
    expect(issueShape(cutTarget.issues)).toEqual([{ kind: 'truncated-line', line: 2, field: 'target', file: FILE }]);
    const cutBeforeArrow = parseFdLinks('/proc/5/fd/:\nlrwx------ 1 0 0 64 Nov 26 14:08 7', FILE);
    expect(issueShape(cutBeforeArrow.issues)).toEqual([{ kind: 'truncated-line', line: 2, field: 'target', file: FILE }]);
    expect(cutBeforeArrow.unreadable).toEqual([]);
    const complete = parseFdLinks('/proc/5/fd/:\nlrwx------ 1 0 0 64 Nov 26 14:08 7 -> socket:[12]', FILE);
    expect(complete).toEqual({ links: [{ pid: 5, fd: 7, inode: 12 }], unreadable: [], issues: [] });
  });

  test('each unreadable pid is listed once', () => {
    const text = '/proc/9/fd/:\nlrwx------ 1 0 0 64 Nov 26 14:08 0\nlrwx------ 1 0 0 64 Nov 26 14:08 1\n/proc/8/fd/:\nlrwx------ 1 0 0 64 Nov 26 14:08 0\n';
    expect(parseFdLinks(text, FILE).unreadable).toEqual([9, 8]);
  });
});

describe('parseUnreadablePids', () => {
  test.each([
    ['', []],
    ['123\n', [123]],
    ['1\n22\n333\n', [1, 22, 333]],
    ['7\n7\n', [7]],
    ['42', [42]],
  ])('%j → %j', (text, pids) => {
    expect(parseUnreadablePids(text, FILE)).toEqual({ rows: pids, issues: [] });
  });

  test.each([
    ['1\nabc\n2\n', 2, 'bad-number'],
    ['1\n\n2\n', 2, 'bad-number'],
    ['1\n-3\n', 2, 'bad-number'],
    ['1\n2x', 2, 'truncated-line'],
  ])('%j → %s on line %d', (text, line, kind) => {
    const { rows, issues } = parseUnreadablePids(text, FILE);
    expect(issueShape(issues)).toEqual([{ kind, line, field: 'pid', file: FILE }]);
    expect(rows[0]).toBe(1);
  });
});
