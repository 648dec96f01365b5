// Forged /proc/net/unix lines, from tables built line by line as unix_seq_show prints them.
import { dropForgedUnixRows, type ForgeryEvidence, type UnixTable } from '../../src/merge/forged-unix.js';
import type { ParseIssue } from '../../src/model/index.js';
import { parseNetUnix } from '../../src/parse/net-unix.js';
import { fixture } from '../parse/fixtures.js';

const HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path';
/** A row as the kernel prints it: `%pK: %08X %08X %08X %04X %02X %5lu` and ` name` when bound. */
function row(inode: number, name?: string, { listening = true, num = '00000000deadbeef' } = {}): string {
  const flags = listening ? '00010000' : '00000000';
  return `${num}: 00000002 00000000 ${flags} 0001 ${listening ? '01' : '03'} ${String(inode).padStart(5)}${name === undefined ? '' : ` ${name}`}`;
}
const FAKE = (inode: number, num = '0000000000000000') => row(inode, '/run/docker.sock', { num });

function table(lines: string[]): UnixTable {
  return tableOf(`${[HEADER, ...lines].join('\n')}\n`);
}
function tableOf(text: string): UnixTable {
  const file = '/proc/net/unix';
  return { file, rows: parseNetUnix(text, { file, byteOrder: 'little', netns: 'default' }).rows };
}

const noEvidence: ForgeryEvidence = { otherTableInodes: new Set(), heldInodes: null };
function run(t: UnixTable, evidence: Partial<ForgeryEvidence> = {}) {
  const issues: ParseIssue[] = [];
  const [rows = []] = dropForgedUnixRows([t], { ...noEvidence, ...evidence }, issues);
  return { rows, issues, paths: rows.map((r) => r.path) };
}

describe('dropForgedUnixRows', () => {
  test('a clean table is left as it is', () => {
    const t = table([row(100, '/run/a.sock'), row(101, '@b'), row(102, undefined, { listening: false })]);
    expect(run(t, { heldInodes: new Set([100, 101, 102]) })).toEqual({ rows: t.rows, issues: [], paths: ['/run/a.sock', '@b', null] });
  });

  test('a row claiming an inode another row has, after a named socket: forged, its text back in that name', () => {
    const { issues, paths } = run(table([row(100, '/run/a.sock', { listening: false }), row(200, '@x'), FAKE(100)]));
    expect(paths).toEqual(['/run/a.sock', `@x\n${FAKE(100)}`]);
    expect(issues).toEqual([expect.objectContaining({ kind: 'forged-line', file: '/proc/net/unix', line: 4, field: 'Path' })]);
    expect(issues[0]!.message).toContain('line 3 (inode 200)');
  });

  test('the same row printed twice by a non-atomic read, with no name before it, is no forgery', () => {
    const t = table([row(100, undefined, { listening: false }), row(101, '/run/a.sock'), row(102, undefined, { listening: false }), row(101, '/run/a.sock', { listening: false })]);
    expect(run(t).issues).toEqual([]);
  });

  test('an inode printed twice where both rows follow names: the first is kept, the other reported as possibly the real one', () => {
    const { issues, paths } = run(table([row(1, '@p'), row(100, '/run/victim.sock'), row(2, '@q'), row(100, '/run/docker.sock', { num: '00000000deadbeef' })]));
    expect(paths).toEqual(['@p', '/run/victim.sock', `@q\n${row(100, '/run/docker.sock')}`]);
    expect(issues).toEqual([expect.objectContaining({ kind: 'forged-line', line: 5 })]);
    expect(issues[0]!.message).toMatch(/may be the forged one/);
  });

  test('a row that claims the inode of a tcp socket', () => {
    expect(run(table([row(200, '@x'), FAKE(555)]), { otherTableInodes: new Set([555]) }).paths).toEqual([`@x\n${FAKE(555)}`]);
  });

  test('a listener with inode 0', () => {
    expect(run(table([row(200, '@x'), FAKE(0)])).paths).toEqual([`@x\n${FAKE(0)}`]);
  });

  test('under full attribution, a named row no fd holds; under partial attribution that proves nothing', () => {
    const t = table([row(200, '@x', { num: '0000000000000000' }), FAKE(777)]);
    expect(run(t, { heldInodes: new Set([200]) }).paths).toEqual([`@x\n${FAKE(777)}`]);
    expect(run(t, { heldInodes: null }).paths).toEqual(['@x', '/run/docker.sock']);
  });

  test('a zero Num where the kernel shows this reader pointers on the other rows', () => {
    expect(run(table([row(200, '@x'), FAKE(777, '0000000000000000')])).paths).toEqual([`@x\n${FAKE(777)}`]);
    // no pointers shown at all (kptr_restrict): zeros everywhere prove nothing
    const zeros = table([row(200, '@x', { num: '0000000000000000' }), FAKE(777, '0000000000000000')]);
    expect(run(zeros).issues).toEqual([]);
  });

  test('a line that could not fit in the name before it is never a continuation of it', () => {
    const long = `/run/${'a'.repeat(40)}.sock`;
    expect(run(table([row(200, long), FAKE(777, '0000000000000000')]), { heldInodes: new Set([200]) }).issues).toEqual([]);
  });

  test('a name with two newlines (two forged rows, identical, which the parser folds into one): both lines go back into it', () => {
    const { issues, paths } = run(table([row(100, '/run/a.sock'), row(200, '@x'), FAKE(777), FAKE(777)]), { heldInodes: new Set([100, 200]) });
    expect(paths).toEqual(['/run/a.sock', `@x\n${FAKE(777)}\n${FAKE(777)}`]);
    expect(issues.map((i) => i.line)).toEqual([4, 5]);
  });

  test('a line that is no row at all between the name and the forged row is part of the name too', () => {
    const { issues, paths } = run(table([row(200, '@x'), 'garbage', FAKE(777, '0000000000000000')]));
    expect(paths).toEqual([`@x\ngarbage\n${FAKE(777)}`]);
    expect(issues).toEqual([expect.objectContaining({ kind: 'forged-line', line: 4 })]);
  });

  test('a row after an unbound socket cannot be part of a name', () => {
    expect(run(table([row(200, undefined, { listening: false }), FAKE(0)])).issues).toEqual([]);
  });

  test('a row without a name between a name and the fake row: the name holds both, so neither is a socket', () => {
    // a 32-bit kernel's rows are short enough for two to fit in the rest of a name
    const n32 = { num: 'deadbeef' };
    const unbound = row(0, undefined, { listening: false, ...n32 });
    const fake = row(0, '@d', n32);
    const { issues, paths } = run(table([row(200, '@x', n32), unbound, fake]));
    expect(paths).toEqual([`@x\n${unbound}\n${fake}`]);
    expect(issues.map((i) => [i.kind, i.line, i.field])).toEqual([['forged-line', 3, 'Path'], ['forged-line', 4, 'Path']]);
    expect(issues[0]!.message).toContain('line 2 (inode 200)');
  });

  test('one socket printed twice, the same each time, both after names: listed once, the second print reported', () => {
    const { issues, paths } = run(table([row(1, '@p'), row(100, '/run/v.sock'), row(2, '@q'), row(100, '/run/v.sock')]));
    expect(paths).toEqual(['@p', '/run/v.sock', `@q\n${row(100, '/run/v.sock')}`]);
    expect(issues).toEqual([expect.objectContaining({ kind: 'forged-line', line: 5, field: 'Path' })]);
    expect(issues[0]!.message).toMatch(/may be the forged one/);
  });

  test('where the kernel shows this reader zeros, a fake row with a pointer is forged, and the real rows stay', () => {
    const Z = { num: '0000000000000000' };
    const fake = FAKE(4, 'ffff9b61ac49c400');
    const { issues, paths } = run(table([row(1, '@p', Z), row(2, '@q', Z), row(3, '/run/real.sock', Z), fake]));
    expect(paths).toEqual(['@p', '@q', `/run/real.sock\n${fake}`]);
    expect(issues.map((i) => [i.kind, i.line])).toEqual([['forged-line', 5]]);
  });

  test('a print the parser folded away, the kernel printing the socket again later for certain: still reported and given back', () => {
    const fake = row(100, undefined);
    const t = table([row(200, '@x'), fake, row(101, undefined, { listening: false }), row(100, '/run/real.sock', { listening: false })]);
    expect(t.rows.find((r) => r.inode === 100)?.line.foldedLines).toEqual([3]);
    const { issues, paths } = run(t);
    // (the row stands where the parser put it, at its first print)
    expect(paths).toHaveLength(3);
    expect(paths).toEqual(expect.arrayContaining([`@x\n${fake}`, '/run/real.sock', null]));
    expect(issues.map((i) => [i.kind, i.line])).toEqual([['forged-line', 3]]);
  });

  test('fixtures/hand/unix-forged: each forged line names the socket whose name holds it, and that socket\'s inode', () => {
    const { issues, paths } = run(tableOf(fixture('hand/unix-forged')));
    expect(issues.map((i) => [i.kind, i.line])).toEqual([['forged-line', 9], ['forged-line', 10]]);
    // line 10 fits only in the name printed on line 9, itself part of line 8's
    for (const issue of issues) expect(issue.message).toContain('socket on line 8 (inode 20008)');
    expect(paths.filter((p) => p?.startsWith('/run/containerd/containerd.sock'))).toHaveLength(1);
  });
});
