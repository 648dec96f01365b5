// FS009: a listener no process can be seen holding although every process's fds were readable. The
// kernel's own servers look like this (nfsd, lockd, WireGuard, VXLAN, ksmbd); so does a process a
// rootkit hides from /proc. Where some fds could not be read (not root, hidepid) owners are unseen for
// a plainer reason: then one note for the host, not one finding per listener.
import type { Rule } from './rule.js';
import { findingOf, inetListeners, socketLine } from './finding-of.js';

// `proto/port` of listeners the kernel itself holds
const KERNEL_SERVICES: ReadonlyMap<string, string> = new Map([
  ['tcp/2049', 'nfsd'], ['udp/2049', 'nfsd'], ['tcp/445', 'ksmbd'], ['udp/4789', 'VXLAN'], ['udp/8472', 'VXLAN (flannel)'],
  ['udp/6081', 'GENEVE'], ['udp/51820', 'WireGuard'], ['udp/1701', 'L2TP'],
]);

export const unseenOwner: Rule = {
  id: 'FS009',
  name: 'unseen-owner',
  severity: 'low',
  summary: 'A listener that no process holds, on a host where every process could be seen.',
  explanation:
    'With full attribution (root, no hidepid) every socket a process holds is joined to it. A listener with no holder is the kernel\'s (nfsd, lockd, WireGuard, VXLAN: the usual ports are not reported) or a process hidden from /proc. Where some processes\' fds could not be read (not root, hidepid, a process that refuses it) it only means the owner was not readable: the host gets one info finding saying so; scan with --sudo to see them.',
  exception: 'A waiver for FS009 naming the host and port (a kernel service on an unusual port), with its justification.',
  check(host, context) {
    const unseen = inetListeners(host).filter(({ socket, proto, port }) => socket.processes.length === 0 && !KERNEL_SERVICES.has(`${proto}/${port}`));
    if (unseen.length === 0) return [];
    if (host.facts?.attribution !== 'full') {
      return [findingOf(this, host, context, { socket: null, holder: null, severity: 'info', message: `${unseen.length} listener(s) with no process seen: attribution is partial (some processes' fds could not be read: not root, hidepid, or a process that refuses it), so their owners are unknown`, evidence: unseen.slice(0, 5).map(({ socket }) => socketLine(socket)).join(', ') })];
    }
    return unseen.map(({ socket }) => findingOf(this, host, context, { socket, holder: null, message: `no process holds ${socketLine(socket)} (owner uid ${socket.uid ?? '?'})`, evidence: socketLine(socket) }));
  },
};
