// Joins sockets to the processes that hold them, through the socket inode of each fd link.
import type { ProcessRef } from '../model/index.js';

export interface FdLinkRef {
  pid: number;
  inode: number;
}

export interface ProcessInfo {
  pid: number;
  name: string;
  uid: number | null;
  cmdline: string[];
  /** the process was gone by the time its status was read */
  vanished: boolean;
}

/**
 * inode → every process holding it (prefork servers share one listener), each pid once, by pid.
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
  const pidsByInode = new Map<number, Set<number>>();
  for (const { pid, inode } of links) {
    if (inode === 0) continue;
    let pids = pidsByInode.get(inode);
    if (!pids) pidsByInode.set(inode, (pids = new Set()));
    pids.add(pid);
  }
  const byInode = new Map<number, ProcessRef[]>();
  for (const [inode, pids] of pidsByInode) {
    let holders = [...pids];
    if (collectorPid !== null && pids.has(collectorPid)) holders = holders.filter((pid) => pid === collectorPid || !processes.get(pid)?.vanished);
    byInode.set(inode, holders.sort((a, b) => a - b).map((pid) => processRef(pid, processes.get(pid), userNames)));
  }
  return byInode;
}

function processRef(pid: number, info: ProcessInfo | undefined, userNames: ReadonlyMap<number, string>): ProcessRef {
  // a pid that exited between the fd listing and the status read keeps its pid, with no name
  const uid = info?.uid ?? null;
  return {
    pid,
    name: info?.name ?? '',
    uid,
    user: uid === null ? null : (userNames.get(uid) ?? null),
    cmdline: info?.cmdline ?? [],
  };
}
