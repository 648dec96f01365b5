// The collection's own session: sockets that exist because this scan runs, and change on every run.
// Found from what the host says (its $SSH_CONNECTION and the collection's ancestry), never from this
// machine: sshd's end of the TCP connection the variable names, and every socket held only by the
// session's processes (the collection, sudo, the sshd processes holding that connection).
import { canonicalAddress } from '../parse/script-sections.js';
import type { CollectorSession, InetEndpoint, Socket } from '../model/index.js';

export interface CollectorFacts {
  collectorPid: number | null;
  /** pid → parent pid, from the collection up */
  ancestry: ReadonlyMap<number, number>;
  session: CollectorSession | null;
}

/** Sets `collector: true` on the session's sockets. */
export function markCollectorSockets(sockets: Socket[], facts: CollectorFacts): void {
  const { collectorPid, ancestry, session } = facts;
  if (collectorPid === null) return;
  const connection = new Set(session === null ? [] : sockets.filter((s) => isSessionConnection(s, session)));
  const sshd = new Set([...connection].flatMap((s) => s.processes.map((p) => p.pid)));

  // the collection's ancestors up to sshd (a shell, sudo); without SSH, its parent: whatever ran it
  const chain: number[] = [];
  for (let pid = ancestry.get(collectorPid); pid !== undefined && pid > 0 && chain.length < 64; pid = ancestry.get(pid)) {
    chain.push(pid);
    if (sshd.has(pid)) break;
  }
  const own = new Set([collectorPid, ...sshd]);
  if (session === null && chain[0] !== undefined) own.add(chain[0]);
  if (chain.some((pid) => sshd.has(pid))) for (const pid of chain) own.add(pid);

  for (const socket of sockets) {
    const onlyOurs = socket.processes.length > 0 && socket.processes.every((p) => own.has(p.pid));
    if (connection.has(socket) || onlyOurs) socket.collector = true;
  }
}

/** sshd's end of the connection: local end the server's, remote end the client's. */
function isSessionConnection(socket: Socket, session: CollectorSession): boolean {
  if (socket.proto !== 'tcp' && socket.proto !== 'tcp6') return false;
  return sameEndpoint(socket.local, session.server) && sameEndpoint(socket.remote, session.client);
}

function sameEndpoint(end: Socket['local'], want: InetEndpoint): boolean {
  return end !== null && 'port' in end && 'address' in end && end.port === want.port && canonicalAddress(end.address) === want.address;
}
