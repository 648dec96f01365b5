// The triage filters of `scan`: --port, --state, --process, --user, --netns. Each is a list whose
// values are OR'ed; an empty list keeps every socket. filter.ts ANDs them with each other and with
// netstat's -l -t -u -w -x -4 -6.
import type { ProcessRef, Socket } from '../model/index.js';
import { anyGlobMatches, type Glob } from './glob.js';
import { kernelStateOf, type KernelState } from './states.js';

/** A port or an inclusive range of ports (a service name is given as its port). */
export interface PortRange {
  from: number;
  to: number;
}

export interface SocketSelection {
  /** --port: the local or the remote port is in one of them (ss's sport/dport); port 0 (`*`) is no port */
  ports: readonly PortRange[];
  /** --state: the socket's kernel state is one of them */
  states: readonly KernelState[];
  /** --process: a holding process's name (comm) or its argv[0]'s basename matches one */
  processes: readonly Glob[];
  /** --user: a holding process's user matches one; a socket no process is known to hold: its owner */
  users: readonly Glob[];
  /** --netns: the socket's namespace label (`default`, an `ip netns` name, `net:[…]`) matches one */
  netns: readonly Glob[];
}

export const NO_SELECTION: SocketSelection = { ports: [], states: [], processes: [], users: [], netns: [] };

/** Whether a socket passes every criterion given (each one's values OR'ed). */
export function selects(socket: Socket, selection: SocketSelection): boolean {
  const { ports, states, processes, users, netns } = selection;
  if (ports.length > 0 && !portMatches(socket, ports)) return false;
  if (states.length > 0 && !states.includes(kernelStateOf(socket.state))) return false;
  if (processes.length > 0 && !socket.processes.some((p) => processNames(p).some((name) => anyGlobMatches(processes, name)))) return false;
  if (users.length > 0 && !userNames(socket).some((name) => anyGlobMatches(users, name))) return false;
  if (netns.length > 0 && !anyGlobMatches(netns, socket.netns)) return false;
  return true;
}

/** Only inet sockets have ports (raw and icmp: the port the table shows, the protocol or echo id, as ss filters them). */
function portMatches(socket: Socket, ports: readonly PortRange[]): boolean {
  const inRange = (port: number) => port !== 0 && ports.some((r) => port >= r.from && port <= r.to);
  const local = socket.local !== null && 'address' in socket.local ? socket.local.port : 0;
  const remote = socket.remote?.port ?? 0;
  return inRange(local) || inRange(remote);
}

/** comm, and argv[0]'s last path part (a process may rename itself: `nginx: worker process`). */
function processNames(p: ProcessRef): string[] {
  const argv0 = p.cmdline[0];
  if (argv0 === undefined || argv0 === '') return [p.name];
  return [p.name, argv0.slice(argv0.lastIndexOf('/') + 1)];
}

/** The holders' users (a uid without a passwd name as its number), else the socket's owner. */
function userNames(socket: Socket): string[] {
  const holders = socket.processes.flatMap((p) => (p.user !== null ? [p.user] : p.uid !== null ? [String(p.uid)] : []));
  if (holders.length > 0) return holders;
  if (socket.user !== undefined && socket.user !== null) return [socket.user];
  return socket.uid !== null ? [String(socket.uid)] : [];
}
