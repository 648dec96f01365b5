// Joins sockets to the processes that hold them, through the socket inode of each fd link.
import type { ProcessRef } from '../model/index.js';
import type { ProcessLinks } from '../parse/proc-links.js';

export interface FdLinkRef {
  pid: number;
  fd: number;
  inode: number;
}

/** What was read of a process: its status and cmdline, and (format 3 on) its exe and cwd links. */
export interface ProcessInfo extends ProcessLinks {
  pid: number;
  name: string;
  uid: number | null;
  cmdline: string[];
  /** the process was gone by the time its status was read */
  vanished: boolean;
}

/**
 * inode → every process holding it (prefork servers share one listener), each pid once, by pid, with
 * the fds it holds it by (a socket on fd 0, 1 or 2 is a process's stdio: inetd, or a reverse shell).
 * Inode 0 is never a key: TIME_WAIT and request sockets all have it.
 * The collection's short-lived children (gone by the time their status was read, so `vanished`) hold
 * the collection's own stdio: on a socket the collection (`collectorPid`) holds they are left out.
 */
export function ownersOf(
  links: readonly FdLinkRef[],
  processes: ReadonlyMap<number, ProcessInfo>,
  userNames: ReadonlyMap<number, string>,
  collectorPid: number | null,
): Map<number, ProcessRef[]> {
  // inode → pid → its fds holding that socket
  const fdsByInode = new Map<number, Map<number, Set<number>>>();
  for (const { pid, fd, inode } of links) {
    if (inode === 0) continue;
    let pids = fdsByInode.get(inode);
    if (!pids) fdsByInode.set(inode, (pids = new Map()));
    let fds = pids.get(pid);
    if (!fds) pids.set(pid, (fds = new Set()));
    fds.add(fd);
  }
  const byInode = new Map<number, ProcessRef[]>();
  for (const [inode, pids] of fdsByInode) {
    let holders = [...pids.keys()];
    if (collectorPid !== null && pids.has(collectorPid)) holders = holders.filter((pid) => pid === collectorPid || !processes.get(pid)?.vanished);
    const fdsOf = (pid: number) => [...pids.get(pid)!].sort((a, b) => a - b);
    byInode.set(inode, holders.sort((a, b) => a - b).map((pid) => processRef(pid, fdsOf(pid), processes.get(pid), userNames)));
  }
  return byInode;
}

function processRef(pid: number, fds: number[], info: ProcessInfo | undefined, userNames: ReadonlyMap<number, string>): ProcessRef {
  // a pid that exited between the fd listing and the status read keeps its pid, with no name
  const uid = info?.uid ?? null;
  return {
    pid,
    name: info?.name ?? '',
    uid,
    user: uid === null ? null : (userNames.get(uid) ?? null),
    cmdline: info?.cmdline ?? [],
    fds,
    ...(info?.exe !== undefined ? { exe: info.exe } : {}),
    ...(info?.exeDeleted === true ? { exeDeleted: true as const } : {}),
    ...(info?.cwd !== undefined ? { cwd: info.cwd } : {}),
  };
}
