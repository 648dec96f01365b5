// Forged /proc/net/unix lines, from tables built line by line as unix_seq_show prints them.
import { dropForgedUnixRows, type ForgeryEvidence, type UnixTable } from '../../src/merge/forged-unix.js';
import type { ParseIssue } from '../../src/model/index.js';
import { parseNetUnix } from '../../src/parse/net-unix.js';

const HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path';
/** A row as the kernel prints it: `%pK: %08X %08X %08X %04X %02X %5lu` and ` name` when bound. */
function row(inode: number, name?: string, { listening = true, num = '00000000deadbeef' } = {}): string {
  const flags = listening ? '00010000' : '00000000';
  return `${num}: 00000002 00000000 ${flags} 0001 ${listening ? '01' : '03'} ${String(inode).padStart(5)}${name === undefined ? '' : ` ${name}`}`;
}
const FAKE = (inode: number, num = '0000000000000000') => row(inode, '/run/docker.sock', { num });

function table(lines: string[]): UnixTable {
  const text = `${[HEADER, ...lines].join('\n')}\n`;
  const file = '/proc/net/unix';
  return { file, text, rows: parseNetUnix(text, { file, byteOrder: 'little', netns: 'default' }).rows };
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
});
