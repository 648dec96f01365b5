// The two line formats the collection sends about processes and /proc itself, as the kernel writes them.
import { parseProcMounts } from '../../src/parse/mountinfo.js';
import { parseStatusLines, unescapeStatusName } from '../../src/parse/proc-status.js';

describe('/proc/PID/status lines (grep -H)', () => {
  test('Name: is unescaped as the kernel escaped it (\\n and \\\\ only)', () => {
    expect(unescapeStatusName('a\\nb\\\\c\\t')).toBe('a\nb\\c\\t');
  });

  test('a name per pid; VmSize: means it has memory', () => {
    const text = '/proc/1/status:Name:\tsystemd\n/proc/1/status:VmSize:\t   1 kB\n/proc/2/status:Name:\tkthreadd\n/proc/3/status:Name:\tx\\ny\n';
    const { byPid, issues } = parseStatusLines(text, '/proc/*/status');
    expect([...byPid]).toEqual([
      [1, { name: 'systemd', hasMemory: true }],
      [2, { name: 'kthreadd', hasMemory: false }],
      [3, { name: 'x\ny', hasMemory: false }],
    ]);
    expect(issues).toEqual([]);
  });

  test('a line grep could not have written is an issue with its line number, never skipped', () => {
    const { byPid, issues } = parseStatusLines('/proc/1/status:Name:\tinit\nnoise\n/proc/x/status:Name:\ty', '/proc/*/status');
    expect([...byPid.keys()]).toEqual([1]);
    expect(issues).toEqual([
      expect.objectContaining({ kind: 'bad-line', file: '/proc/*/status', line: 2 }),
      expect.objectContaining({ kind: 'truncated-line', file: '/proc/*/status', line: 3 }),
    ]);
  });
});

describe('/proc/self/mountinfo proc lines', () => {
  test('the mount point (\\040 for a space), and both option fields', () => {
    const text = '22 27 0:21 / /proc rw,relatime shared:12 - proc proc rw,hidepid=invisible,gid=27\n30 22 0:40 / /my\\040proc rw - proc proc rw\n';
    expect(parseProcMounts(text, '/proc/self/mountinfo')).toEqual({
      mounts: [
        { mountPoint: '/proc', options: ['rw', 'relatime', 'rw', 'hidepid=invisible', 'gid=27'] },
        { mountPoint: '/my proc', options: ['rw', 'rw'] },
      ],
      issues: [],
    });
  });

  test('another filesystem whose line holds " - proc " is skipped; a line of no mountinfo form is an issue', () => {
    const text = '40 22 0:50 / /mnt/x\\040-\\040proc rw - tmpfs tmpfs rw\ngarbage\n';
    const { mounts, issues } = parseProcMounts(text, '/proc/self/mountinfo');
    expect(mounts).toEqual([]);
    expect(issues).toEqual([expect.objectContaining({ kind: 'bad-line', line: 2, file: '/proc/self/mountinfo' })]);
  });
});
