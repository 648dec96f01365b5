// FS005: a process whose standard input, output or error is a network socket: what `nc -e`, a
// `/dev/tcp` redirection and most reverse shells leave behind, whatever the process is called.
import type { ProcessRef, Socket } from '../model/index.js';
import type { Rule } from './rule.js';
import { findingOf, socketLine } from './finding-of.js';
import { commandLine } from './process-kinds.js';

const STREAMS = ['stdin', 'stdout', 'stderr'];
// unix sockets are ordinary standard streams (journald, a container runtime's logs); packet ones never are
const NETWORK = new Set<Socket['proto']>(['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6']);

function standardStreams(p: ProcessRef): string[] {
  return (p.fds ?? []).filter((fd) => fd <= 2).map((fd) => STREAMS[fd] as string);
}

export const socketStdio: Rule = {
  id: 'FS005',
  name: 'socket-stdio',
  severity: 'high',
  summary: 'A process has a network socket as its stdin, stdout or stderr.',
  explanation:
    'Programs read and write their standard streams; when those are a TCP or UDP socket, whoever is at the other end drives the program. That is what `nc -e`, `bash -i >& /dev/tcp/…` and most reverse shells leave, under any process name. inetd-style services (xinetd, systemd sockets with Accept=yes, `sshd -i`) do it on purpose. Needs a capture with fd numbers (format 3 and later).',
  exception: 'A waiver for FS005 naming the host and the process (an inetd-style service), with its justification.',
  check(host, context) {
    return host.sockets
      .filter((s) => s.collector !== true && NETWORK.has(s.proto))
      .flatMap((socket) =>
        socket.processes.flatMap((p) => {
          const streams = standardStreams(p);
          return streams.length === 0 ? [] : [findingOf(this, host, context, { socket, holder: p, message: `${p.name} (pid ${p.pid}) has ${socketLine(socket)} as its ${streams.join(', ')}`, evidence: commandLine(p) })];
        }),
      );
  },
};
