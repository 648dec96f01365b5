// What a built-in rule is: a description (id, severity, why, how to except it) and a pure check of one
// host's sockets. Rules read the host as merged (processes joined to sockets); they never do I/O.
import type { HostScan } from '../model/index.js';
import type { Finding, RuleDescription, SourceLocation } from '../model/finding.js';
import type { ServiceTable } from '../merge/services.js';

export interface RuleContext {
  services: ServiceTable;
  /** the inventory line that defines the host, where findings are anchored */
  hostLocation: SourceLocation | null;
  /** true when the written policy names this listener (an allowed, required or forbidden entry covers it) */
  policyNames?: (proto: 'tcp' | 'udp', port: number) => boolean;
}

export interface Rule extends RuleDescription {
  check(host: HostScan, context: RuleContext): Finding[];
}
