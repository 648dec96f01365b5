// FS004: a shell holding a connection to a peer that is not this host (a reverse shell: `bash -i >&
// /dev/tcp/…`, `sh` behind `nc host port -e`). Interactive ssh sessions never trip it: sshd holds
// their connection, the shell only a pty.
import type { Socket } from '../model/index.js';
import { isLoopback } from '../merge/listeners.js';
import type { Rule } from './rule.js';
import { findingOf, socketLine } from './finding-of.js';
import { commandLine, isOneOf, SHELLS } from './process-kinds.js';

const CONNECTED = new Set(['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'CLOSE_WAIT', 'FIN_WAIT1', 'FIN_WAIT2']);

/**
 * Who opened the connection: the merge's direction (a local port in the host's ephemeral range, or the
 * port of one of its listeners); failing that, the rule of thumb that the side on a port below 1024
 * is the server, and saying so.
 */
export function originOf(socket: Socket): string {
  if (socket.direction === 'outbound') return 'opened by this host';
  if (socket.direction === 'inbound') return 'accepted by this host';
  const local = socket.local !== null && 'port' in socket.local ? socket.local.port : null;
  const remote = socket.remote?.port ?? null;
  if (local !== null && remote !== null) {
    if (remote < 1024 && local >= 1024) return 'probably opened by this host (peer port below 1024: a rule of thumb)';
    if (local < 1024 && remote >= 1024) return 'probably accepted by this host (local port below 1024: a rule of thumb)';
  }
  return 'direction unknown';
}

export const reverseShell: Rule = {
  id: 'FS004',
  name: 'reverse-shell',
  severity: 'high',
  summary: 'A shell holds a network connection to another host.',
  explanation:
    'A shell whose own file descriptors are a TCP or UDP connection to a remote peer takes its commands from that peer: a reverse shell (or a bind shell already in use). Logins over ssh or a console do not look like this: sshd or getty holds the connection, the shell a terminal.',
  exception: 'A waiver for FS004 naming the host, with its justification (the peer is in the evidence).',
  check(host, context) {
    return host.sockets
      .filter((s) => s.collector !== true && s.proto !== 'unix' && s.remote !== null && CONNECTED.has(s.state) && !isLoopback(s.remote.address))
      .flatMap((socket) =>
        socket.processes
          .filter((p) => isOneOf(p, SHELLS))
          .map((p) => findingOf(this, host, context, { socket, holder: p, message: `shell ${p.name} (pid ${p.pid}) holds ${socketLine(socket)} (${originOf(socket)})`, evidence: commandLine(p) })),
      );
  },
};
