// FS010: a listener reachable from other hosts on a port that neither the services table (IANA, as
// /etc/services) nor the written policy names. Every other listener has a name someone gave it; this
// one is what "explain and account for all ports listed" is about.
import type { Rule } from './rule.js';
import { findingOf, inetListeners, socketLine } from './finding-of.js';
import { isLoopback } from '../merge/listeners.js';
import { serviceName } from '../merge/services.js';
import { commandLine } from './process-kinds.js';

export const unnamedPort: Rule = {
  id: 'FS010',
  name: 'unnamed-port',
  severity: 'low',
  summary: 'A listener not bound to loopback, on a port no services table entry and no policy entry names.',
  explanation:
    'Ports that have a well-known name, or that the policy allows, require or forbids, are accounted for. A listener reachable from other hosts on any other port is not: a debug port (9229), a forgotten test server, a back door. Loopback-only listeners and UDP clients (ephemeral range) are left out.',
  exception: 'Name the port in the policy (an `allowed` entry for the group), or a waiver for FS010.',
  check(host, context) {
    return inetListeners(host)
      .filter(({ socket, proto, address, port }) => !isLoopback(address) && port !== 0 && serviceName(context.services, socket.proto, port) === undefined && !(context.policyNames?.(proto, port) ?? false))
      .map(({ socket }) => {
        const holder = socket.processes[0] ?? null;
        return findingOf(this, host, context, { socket, holder, message: `${socketLine(socket)}${holder ? ` (${holder.name})` : ''}: a port no services table or policy names`, evidence: holder ? commandLine(holder) : socketLine(socket) });
      });
  },
};
