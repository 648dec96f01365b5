// Rows of the tables, and fd links no table lists, as the contract's sockets.
import type { HostFacts, InetSocketRow, PacketSocketRow, ProcessRef, Socket, UnixSocketRow } from '../model/index.js';
import { directionOf } from './direction.js';
import { serviceName, type ServiceTable } from './services.js';

export interface SocketContext {
  owners: ReadonlyMap<number, ProcessRef[]>;
  userNames: ReadonlyMap<number, string>;
  listening: Set<string>;
  ephemeral: HostFacts['ephemeralPorts'];
  services: ServiceTable;
}

const holders = (inode: number, ctx: SocketContext) => (inode === 0 ? [] : (ctx.owners.get(inode) ?? []));
const userOf = (uid: number, ctx: SocketContext) => ctx.userNames.get(uid) ?? null;

export function inetSocket(row: InetSocketRow, ctx: SocketContext): Socket {
  const direction = directionOf(row, ctx.listening, ctx.ephemeral);
  // the service is named by the server's side of the conversation
  const servicePort = direction === 'outbound' ? row.remote.port : row.local.port;
  const service = serviceName(ctx.services, row.proto, servicePort);
  return {
    proto: row.proto,
    state: row.state,
    local: row.local,
    remote: row.remote,
    recvQ: row.recvQ,
    sendQ: row.sendQ,
    uid: row.uid,
    user: userOf(row.uid, ctx),
    inode: row.inode,
    netns: row.netns,
    processes: holders(row.inode, ctx),
    direction,
    ...(service === undefined ? {} : { service }),
  };
}

export function unixSocket(row: UnixSocketRow, ctx: SocketContext): Socket {
  return {
    proto: 'unix',
    state: row.state,
    local: { path: row.path },
    remote: null,
    type: row.type,
    recvQ: 0,
    sendQ: 0,
    uid: null,
    user: null,
    inode: row.inode,
    netns: row.netns,
    processes: holders(row.inode, ctx),
    direction: row.state === 'LISTEN' ? 'listen' : 'unknown',
  };
}

/** ss -0 shows packet sockets as UNCONN, their receive buffer as Recv-Q. */
export function packetSocket(row: PacketSocketRow, ctx: SocketContext): Socket {
  return {
    proto: 'packet',
    state: 'UNCONN',
    local: { ethertype: row.protocol, ifindex: row.ifindex },
    remote: null,
    type: row.type,
    recvQ: row.recvQ,
    sendQ: 0,
    uid: row.uid,
    user: userOf(row.uid, ctx),
    inode: row.inode,
    netns: row.netns,
    processes: holders(row.inode, ctx),
    direction: 'unknown',
  };
}

/**
 * Socket inodes some process holds that no table read lists (netlink, vsock, bluetooth, a socket of a
 * namespace no process lives in…): reported, never dropped. Their namespace is their holders'.
 */
export function otherSockets(tabled: ReadonlySet<number>, ctx: SocketContext, netnsOfPid: (pid: number) => string): Socket[] {
  const sockets: Socket[] = [];
  for (const [inode, processes] of ctx.owners) {
    if (tabled.has(inode) || processes.length === 0) continue;
    sockets.push({
      proto: 'other',
      state: 'UNKNOWN',
      local: null,
      remote: null,
      recvQ: 0,
      sendQ: 0,
      uid: null,
      user: null,
      inode,
      netns: netnsOfPid(processes[0]!.pid),
      processes,
      direction: 'unknown',
    });
  }
  return sockets.sort((a, b) => a.inode - b.inode);
}
