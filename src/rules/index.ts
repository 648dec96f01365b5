// Every built-in rule, in id order: the one list `check` runs, SARIF describes and waivers name.
import type { HostScan } from '../model/index.js';
import type { Finding } from '../model/finding.js';
import type { Rule, RuleContext } from './rule.js';
import { shellListening } from './shell-listening.js';
import { netcatListening } from './netcat-listening.js';
import { inlineInterpreterListening } from './inline-interpreter-listening.js';
import { reverseShell } from './reverse-shell.js';
import { socketStdio } from './socket-stdio.js';
import { suspiciousExecutable } from './suspicious-executable.js';
import { packetSocket } from './packet-socket.js';
import { datastoreOnAllAddresses } from './datastore-on-all-addresses.js';
import { unseenOwner } from './unseen-owner.js';
import { unnamedPort } from './unnamed-port.js';

export type { Rule, RuleContext } from './rule.js';

export const BUILT_IN_RULES: readonly Rule[] = [
  shellListening,
  netcatListening,
  inlineInterpreterListening,
  reverseShell,
  socketStdio,
  suspiciousExecutable,
  packetSocket,
  datastoreOnAllAddresses,
  unseenOwner,
  unnamedPort,
];

/** Every rule's findings on one host, in rule order. */
export function checkHost(host: HostScan, context: RuleContext, rules: readonly Rule[] = BUILT_IN_RULES): Finding[] {
  return rules.flatMap((rule) => rule.check(host, context));
}
