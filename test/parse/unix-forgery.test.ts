// /proc/net/unix prints names raw: a newline in a name lets its owner write lines that look like
// rows. The parser cannot tell a forged row from a real one; it gives each row the facts it can see
// (UnixLineFacts), for the host view to weigh. fixtures/hand/unix-forged, line by line, is in
// fixtures/README.md.
import type { UnixSocketRow } from '../../src/model/index.js';
import { parseNetUnix, UNIX_NAME_MAX } from '../../src/parse/net-unix.js';
import { ctx, fixture, issueShape, UNIX_HEADER } from './fixtures.js';

const FILE = '/proc/net/unix';
const table = (...lines: string[]): string => [UNIX_HEADER, ...lines].join('\n') + '\n';
const row = (inode: number, path?: string, flags = '00000000'): string =>
  `0000000000000000: 00000002 00000000 ${flags} 0001 01 ${String(inode).padStart(5)}${path === undefined ? '' : ` ${path}`}`;
const facts = (r: UnixSocketRow | undefined): Partial<UnixSocketRow['line']> | undefined =>
  r && { mayBeNameTail: r.line.mayBeNameTail, afterFragment: r.line.afterFragment, nameRunsOn: r.line.nameRunsOn, foldedLines: r.line.foldedLines };

describe('fixtures/hand/unix-forged', () => {
  const { rows, issues } = parseNetUnix(fixture('hand/unix-forged'), ctx(FILE));
  const at = (line: number): UnixSocketRow | undefined => rows.find((r) => r.source.line === line);

  test('every row-shaped line is a row; the one fragment is an issue on Path', () => {
    expect(rows.map((r) => r.source.line)).toEqual([2, 3, 4, 5, 6, 8, 10, 11, 12]);
    expect(issueShape(issues)).toEqual([{ kind: 'bad-line', line: 7, field: 'Path', file: FILE }]);
  });

  test('a fake listener in the rest of a short name may be that name\'s tail; the real one cannot', () => {
    expect([at(5)?.path, at(5)?.state, at(5)?.line.mayBeNameTail]).toEqual(['/run/docker.sock', 'LISTEN', true]);
    // line 2 follows the header: the kernel began it
    expect(facts(at(2))).toEqual({ mayBeNameTail: false, afterFragment: false, nameRunsOn: false, foldedLines: [9] });
  });

  test('a name that ran on into a fragment, and the row after the fragment', () => {
    expect(facts(at(6))).toEqual({ mayBeNameTail: true, afterFragment: false, nameRunsOn: true, foldedLines: [] });
    expect(facts(at(8))).toEqual({ mayBeNameTail: true, afterFragment: true, nameRunsOn: false, foldedLines: [] });
  });

  test('a reprint within reach saying the same folds into the certain print; one saying otherwise stays beside it', () => {
    // line 9 repeats line 2: one socket, kept as the kernel's line 2
    expect(rows.filter((r) => r.inode === 20001).map((r) => r.source.line)).toEqual([2]);
    // line 10 gives line 3's inode a name and LISTEN, and may be forged: both rows stay, one inode
    expect(rows.filter((r) => r.inode === 20002).map((r) => [r.source.line, r.state, r.path])).toEqual([
      [3, 'CONNECTED', null],
      [10, 'LISTEN', '/tmp/x'],
    ]);
  });

  test(`beyond ${UNIX_NAME_MAX} bytes from any name's start a line is certainly the kernel's`, () => {
    // line 4 lies too far after line 2's name (the unbound line 3 between them counted in)
    expect(at(4)?.line.mayBeNameTail).toBe(false);
    // line 11's own name is too long to leave room for a row after it
    expect([at(11)?.line.mayBeNameTail, at(12)?.line.mayBeNameTail]).toEqual([false, false]);
    expect(rows.every((r) => r.line.kernelLayout)).toBe(true);
  });
});

describe('the name budget, at its edges', () => {
  // a name, its newline and the next line together fit in 108 bytes, or do not
  test.each([
    [UNIX_NAME_MAX - 1 - row(2).length, true],
    [UNIX_NAME_MAX - row(2).length, false],
  ])('a name of %d bytes before a %d-byte line: may be its tail = %s', (nameLength, mayBe) => {
    const { rows } = parseNetUnix(table(row(1, `@${'n'.repeat(nameLength - 1)}`), row(2)), ctx(FILE));
    expect(rows.map((r) => r.line.mayBeNameTail)).toEqual([false, mayBe]);
  });

  test('an unbound row carries the budget on: it may itself be part of the name', () => {
    const { rows } = parseNetUnix(table(row(1, '@a'), row(2), row(3)), ctx(FILE));
    // 108 - 2 - (1 + 58) = 47 bytes left after line 3: too few for line 4
    expect(rows.map((r) => r.line.mayBeNameTail)).toEqual([false, true, false]);
  });

  test('after a header or an unbound row that is certain, the next line is certain', () => {
    const { rows } = parseNetUnix(table(row(1), row(2), row(3, '@short')), ctx(FILE));
    expect(rows.map((r) => r.line.mayBeNameTail)).toEqual([false, false, false]);
  });
});

describe('Num and the layout facts', () => {
  test.each([
    ['zeros (kptr_restrict)', '0000000000000000', true],
    ['a real 64-bit pointer (root, kptr_restrict=1)', 'ffff9b61ac49c400', true],
    ['a hashed pointer', '00000000381678cb', true],
    ['a 32-bit kernel pointer', 'f4c2a800', true],
    ['the placeholder of an unseeded hash', '(____ptrval____)', true],
    ['the 32-bit placeholder', '(ptrval)', true],
    ['uppercase hex (no kernel prints it, but it is a key)', 'FFFF9B61AC49C400', false],
    ['a short hex Num', 'abc', false],
  ])('%s: read, Num kept as printed, kernel layout %s', (_name, num, layout) => {
    const { rows, issues } = parseNetUnix(table(`${num}: 00000002 00000000 00000000 0001 01    77`), ctx(FILE));
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.line.num, r.line.kernelLayout])).toEqual([[num, layout]]);
  });

  test.each([
    ['a Num longer than any pointer', `${'f'.repeat(17)}:`],
    ['a Num that is not hex', 'ffff9b61ac49c40g:'],
  ])('%s is not a row', (_name, num) => {
    const { rows, issues } = parseNetUnix(table(`${num} 00000002 00000000 00000000 0001 01 77`), ctx(FILE));
    expect(rows).toEqual([]);
    expect(issueShape(issues)).toEqual([{ kind: 'bad-number', line: 2, field: 'Num', file: FILE }]);
  });

  test.each([
    ['leading blanks', ` ${row(77)}`],
    ['two spaces between columns', row(77).replace(' 0001 ', '  0001 ')],
    ['an unpadded inode', row(77).replace(' 01    77', ' 01 77')],
    ['a Protocol other than 0', row(77).replace(' 00000000 00000000 ', ' 00000001 00000000 ')],
    ['Flags other than 0 and __SO_ACCEPTCON', row(77, undefined, '00000100')],
  ])('%s: a row, but not laid out as the kernel prints', (_name, line) => {
    const { rows, issues } = parseNetUnix(table(line), ctx(FILE));
    expect(issues).toEqual([]);
    expect(rows.map((r) => r.line.kernelLayout)).toEqual([false]);
  });
});

describe('the names a line may continue (tailOf), for the host view to give a forged line back', () => {
  // a short row no kernel prints, but the parser reads: several names can reach it
  const tiny = '0: 2 0 0 1 1 5 @c';

  test('each name that reaches a row, the nearest first, with what that name would have after its path; a certain row has none', () => {
    const { rows } = parseNetUnix(table(row(2, '@a'), 'f\0g', row(4, '@b'), tiny), ctx(FILE));
    expect(rows.map((r) => [r.source.line, r.line.tailOf])).toEqual([
      [2, undefined],
      // the fragment between counts in, its NUL shown as '@' as in a path
      [4, [{ of: 2, rest: `\nf@g\n${row(4, '@b')}` }]],
      [5, [{ of: 4, rest: `\n${tiny}` }, { of: 2, rest: `\nf@g\n${row(4, '@b')}\n${tiny}` }]],
    ]);
  });

  test('a reprint within a name\'s reach folds into the certain print, and keeps what it could be part of', () => {
    const { rows } = parseNetUnix(table(row(1, '@a'), row(2, '@b'), row(1, '@a')), ctx(FILE));
    expect(rows.map((r) => [r.source.line, r.line.foldedLines, r.line.foldedTails])).toEqual([
      [2, [4], [{ line: 4, tailOf: [{ of: 3, rest: `\n${row(1, '@a')}` }] }]],
      [3, [], undefined],
    ]);
  });

  test('two prints that say the same, both within a name\'s reach: the first printed is the row', () => {
    const { rows } = parseNetUnix(table(row(9, '@p'), row(1, '/x'), row(8, '@q'), row(1, '/x')), ctx(FILE));
    expect(rows.filter((r) => r.inode === 1).map((r) => [r.source.line, r.line.foldedLines])).toEqual([[3, [5]]]);
  });

  test('a print within a name\'s reach that differs only in Num is another row (the kernel prints one socket\'s pointer the same every time)', () => {
    const other = row(1, '/x').replace(/^0{16}/, 'ffff9b61ac49c400');
    const { rows } = parseNetUnix(table(row(1, '/x'), row(8, '@q'), other), ctx(FILE));
    expect(rows.filter((r) => r.inode === 1).map((r) => [r.source.line, r.line.num])).toEqual([
      [2, '0000000000000000'],
      [4, 'ffff9b61ac49c400'],
    ]);
  });
});
