import { parseProcLinks } from '../../src/parse/proc-links.js';
import { issueShape } from './fixtures.js';

const FILE = '/proc/*/{exe,cwd}';
// GNU ls -lnqd and busybox ls -lnd columns
const gnu = (link: string) => `lrwxrwxrwx 1 0 0 0 Dec  2 10:00 ${link}`;
const busybox = (link: string) => `lrwxrwxrwx    1 1000     1000             0 Dec  2 10:00 ${link}`;

describe('parseProcLinks', () => {
  test.each<[string, string[], Record<number, object>]>([
    ['exe and cwd of one process (ls sorts cwd first)', [gnu('/proc/123/cwd -> /srv/app'), gnu('/proc/123/exe -> /usr/sbin/nginx')], { 123: { cwd: '/srv/app', exe: '/usr/sbin/nginx' } }],
    ['busybox columns', [busybox('/proc/9/cwd -> /'), busybox('/proc/9/exe -> /bin/busybox')], { 9: { cwd: '/', exe: '/bin/busybox' } }],
    ['a deleted exe: the path without the suffix, and exeDeleted', [gnu('/proc/5/exe -> /tmp/.x/foo (deleted)')], { 5: { exe: '/tmp/.x/foo', exeDeleted: true } }],
    ['a memfd executed from memory', [gnu('/proc/5/exe -> /memfd:payload (deleted)')], { 5: { exe: '/memfd:payload', exeDeleted: true } }],
    ['only the last ` (deleted)` is the kernel\'s', [gnu('/proc/5/exe -> /opt/a (deleted) (deleted)')], { 5: { exe: '/opt/a (deleted)', exeDeleted: true } }],
    ['`(deleted)` without its space is part of the name', [gnu('/proc/5/exe -> /opt/x(deleted)')], { 5: { exe: '/opt/x(deleted)' } }],
    ['a removed cwd keeps the kernel\'s suffix', [gnu('/proc/5/cwd -> /tmp/work (deleted)')], { 5: { cwd: '/tmp/work (deleted)' } }],
    ['spaces in the target', [gnu('/proc/7/exe -> /opt/my app/bin/run  it ')], { 7: { exe: '/opt/my app/bin/run  it ' } }],
    ['` -> ` in the target: only the first arrow ends the link name', [gnu('/proc/7/exe -> /tmp/a -> /proc/1/exe -> b'), gnu('/proc/7/cwd -> /tmp/a -> b')], { 7: { exe: '/tmp/a -> /proc/1/exe -> b', cwd: '/tmp/a -> b' } }],
    ['`?` for unprintable bytes (a newline too) is kept as ls printed it', [gnu('/proc/8/exe -> /tmp/x?/proc/9/exe -> /bin/sh')], { 8: { exe: '/tmp/x?/proc/9/exe -> /bin/sh' } }],
    ['a missing cwd (the process exited between its two links)', [gnu('/proc/10/exe -> /usr/bin/python3.11')], { 10: { exe: '/usr/bin/python3.11' } }],
    ['a relative-looking target is the kernel\'s text, kept', [gnu('/proc/10/exe -> x')], { 10: { exe: 'x' } }],
  ])('%s', (_name, lines, expected) => {
    const { byPid, unreadable, issues } = parseProcLinks(`${lines.join('\n')}\n`, FILE);
    expect(issues).toEqual([]);
    expect(unreadable).toBe(0);
    expect(Object.fromEntries(byPid)).toEqual(expected);
  });

  test('links ls could not read (no ` -> `: another user\'s process, a kernel thread\'s exe) are counted, not issues', () => {
    const text = [gnu('/proc/2/cwd -> /'), gnu('/proc/2/exe'), busybox('/proc/700/cwd'), busybox('/proc/700/exe')].join('\n');
    const { byPid, unreadable, issues } = parseProcLinks(`${text}\n`, FILE);
    expect(issues).toEqual([]);
    expect(unreadable).toBe(3);
    expect(Object.fromEntries(byPid)).toEqual({ 2: { cwd: '/' } });
  });

  test('empty text (no socket-holding pids): valid, nothing found', () => {
    expect(parseProcLinks('', FILE)).toEqual({ byPid: new Map(), unreadable: 0, issues: [] });
  });

  test.each<[string, string, number, string, string]>([
    ['a line that is not a link', 'total 0', 1, 'bad-line', 'mode'],
    ['a blank line', '', 1, 'bad-line', 'mode'],
    ['a regular file line', '-rw-r--r-- 1 0 0 0 Dec  2 10:00 /proc/5/exe -> /bin/sh', 1, 'bad-line', 'mode'],
    ['a link that is not exe or cwd', gnu('/proc/5/root -> /'), 1, 'bad-line', 'name'],
    ['a link outside /proc/PID', gnu('/tmp/5/exe -> /bin/sh'), 1, 'bad-line', 'name'],
    ['a link name with the arrow missing its spaces', gnu('/proc/5/exe->/bin/sh'), 1, 'bad-line', 'name'],
    ['a pid beyond 2^53', gnu('/proc/99999999999999999999/exe -> /bin/sh'), 1, 'bad-number', 'pid'],
    ['an empty target', gnu('/proc/5/cwd -> '), 1, 'bad-line', 'target'],
    ['a target that is only the kernel\'s suffix', gnu('/proc/5/exe ->  (deleted)'), 1, 'bad-line', 'target'],
  ])('%s → %s', (_name, line, at, kind, field) => {
    const { byPid, unreadable, issues } = parseProcLinks(`${line}\n`, FILE);
    expect(issueShape(issues)).toEqual([{ kind, line: at, field, file: FILE }]);
    expect(byPid.size).toBe(0);
    expect(unreadable).toBe(0);
  });

  test('a second exe of one pid is an issue; the first stays', () => {
    const text = [gnu('/proc/5/exe -> /usr/bin/a'), gnu('/proc/5/exe -> /tmp/b (deleted)'), gnu('/proc/5/cwd -> /'), gnu('/proc/5/cwd -> /tmp')].join('\n');
    const { byPid, issues } = parseProcLinks(`${text}\n`, FILE);
    expect(issueShape(issues)).toEqual([
      { kind: 'bad-line', line: 2, field: 'exe', file: FILE },
      { kind: 'bad-line', line: 4, field: 'cwd', file: FILE },
    ]);
    expect(byPid.get(5)).toEqual({ exe: '/usr/bin/a', cwd: '/' });
  });

  test('a cut last line is truncated, its target not taken: it may be missing its ` (deleted)`', () => {
    const text = `${gnu('/proc/5/cwd -> /srv')}\n${gnu('/proc/5/exe -> /usr/bin/fo')}`;
    const { byPid, issues } = parseProcLinks(text, FILE);
    expect(issueShape(issues)).toEqual([{ kind: 'truncated-line', line: 2, field: 'target', file: FILE }]);
    expect(byPid.get(5)).toEqual({ cwd: '/srv' });
  });

  test('a cut line with no arrow yet is truncated, not counted as unreadable', () => {
    const { unreadable, issues } = parseProcLinks(gnu('/proc/5/exe'), FILE);
    expect(issueShape(issues)).toEqual([{ kind: 'truncated-line', line: 1, field: 'target', file: FILE }]);
    expect(unreadable).toBe(0);
  });

  test('bad lines do not stop the good ones after them, and each is reported on its own line', () => {
    const text = ['junk', gnu('/proc/3/exe -> /bin/sh'), gnu('/proc/x/exe -> /bin/sh'), gnu('/proc/3/cwd -> /root')].join('\n');
    const { byPid, issues } = parseProcLinks(`${text}\n`, FILE);
    expect(issueShape(issues)).toEqual([
      { kind: 'bad-line', line: 1, field: 'mode', file: FILE },
      { kind: 'bad-line', line: 3, field: 'name', file: FILE },
    ]);
    expect(byPid.get(3)).toEqual({ exe: '/bin/sh', cwd: '/root' });
  });
});
