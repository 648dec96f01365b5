import { ownersOf, type ProcessInfo } from '../../src/merge/processes.js';

const proc = (pid: number, name: string, uid: number | null, vanished = false): [number, ProcessInfo] => [
  pid,
  { pid, name, uid, cmdline: vanished ? [] : [name], vanished },
];
const users = new Map([[0, 'root'], [33, 'www-data']]);

describe('ownersOf', () => {
  test('a prefork listener is held by every worker, each pid once, by pid', () => {
    const processes = new Map([proc(12, 'nginx', 0), proc(10, 'nginx', 33), proc(11, 'nginx', 33)]);
    const links = [
      { pid: 12, fd: 6, inode: 500 }, { pid: 10, fd: 6, inode: 500 }, { pid: 11, fd: 7, inode: 500 }, { pid: 11, fd: 6, inode: 500 },
    ];
    const byInode = ownersOf(links, processes, users, null);
    expect(byInode.get(500)!.map((p) => [p.pid, p.user, p.fds])).toEqual([[10, 'www-data', [6]], [11, 'www-data', [6, 7]], [12, 'root', [6]]]);
  });

  test('each process carries the fds it holds this socket by, ascending, and only this socket\'s', () => {
    const processes = new Map([proc(40, 'inetd-child', 0)]);
    const links = [{ pid: 40, fd: 2, inode: 7 }, { pid: 40, fd: 10, inode: 7 }, { pid: 40, fd: 0, inode: 7 }, { pid: 40, fd: 1, inode: 7 }, { pid: 40, fd: 3, inode: 8 }];
    const byInode = ownersOf(links, processes, users, null);
    expect(byInode.get(7)!.map((p) => p.fds)).toEqual([[0, 1, 2, 10]]);
    expect(byInode.get(8)!.map((p) => p.fds)).toEqual([[3]]);
  });

  test('exe, exeDeleted and cwd are passed on when read, and absent when not', () => {
    const processes = new Map<number, ProcessInfo>([
      [3, { pid: 3, name: 'x', uid: 0, cmdline: ['x'], vanished: false, exe: '/tmp/.x/x', exeDeleted: true, cwd: '/tmp/.x' }],
      [4, { pid: 4, name: 'y', uid: 0, cmdline: ['y'], vanished: false }],
    ]);
    const byInode = ownersOf([{ pid: 3, fd: 4, inode: 9 }, { pid: 4, fd: 0, inode: 9 }], processes, users, null);
    expect(byInode.get(9)).toEqual([
      { pid: 3, name: 'x', uid: 0, user: 'root', cmdline: ['x'], fds: [4], exe: '/tmp/.x/x', exeDeleted: true, cwd: '/tmp/.x' },
      { pid: 4, name: 'y', uid: 0, user: 'root', cmdline: ['y'], fds: [0] },
    ]);
  });

  test('inode 0 is never joined', () => {
    const byInode = ownersOf([{ pid: 1, fd: 3, inode: 0 }], new Map([proc(1, 'init', 0)]), users, null);
    expect(byInode.has(0)).toBe(false);
  });

  test('a uid with no passwd entry keeps its number and no name', () => {
    const byInode = ownersOf([{ pid: 5, fd: 3, inode: 9 }], new Map([proc(5, 'app', 1234)]), users, null);
    expect(byInode.get(9)).toEqual([{ pid: 5, name: 'app', uid: 1234, user: null, cmdline: ['app'], fds: [3] }]);
  });

  test('the collection keeps its own sockets; its vanished children are left out of them, nowhere else', () => {
    const processes = new Map([proc(100, 'sh', 0), proc(101, '', null, true), proc(7, 'sshd', 0), proc(8, 'gone', null, true)]);
    const links = [
      { pid: 100, fd: 1, inode: 1 }, { pid: 101, fd: 1, inode: 1 }, // the script's stdout, also held by its `ls` child
      { pid: 100, fd: 5, inode: 2 }, { pid: 7, fd: 5, inode: 2 }, // shared with a real process: both stay
      { pid: 8, fd: 3, inode: 3 }, // a vanished process not of ours keeps its socket and pid
    ];
    const byInode = ownersOf(links, processes, users, 100);
    expect(byInode.get(1)!.map((p) => p.pid)).toEqual([100]);
    expect(byInode.get(2)!.map((p) => p.pid)).toEqual([7, 100]);
    expect(byInode.get(3)!.map((p) => [p.pid, p.name])).toEqual([[8, 'gone']]);
  });
});
