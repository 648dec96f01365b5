// A finding about one socket (and one of its holders) of one host, as every rule makes it: the subject
// from the socket, the fingerprint from what stays the same across restarts (never pid or inode).
import type { HostScan, ProcessRef, Socket } from '../model/index.js';
import type { Finding, FindingProcess, FindingSubject, RuleDescription, Severity } from '../model/finding.js';
import type { RuleContext } from './rule.js';

/** tcp6 → tcp, udp6 → udp …: the address says the family. */
export function protoGroup(proto: Socket['proto']): string {
  return proto.replace(/6$/, '');
}

function processOf(p: ProcessRef): FindingProcess {
  return { pid: p.pid, name: p.name, user: p.user, ...(p.exe !== undefined ? { exe: p.exe } : {}), cmdline: p.cmdline };
}

export function subjectOf(socket: Socket, holder: ProcessRef | null): FindingSubject {
  const local = socket.local;
  const address = local === null ? null : 'address' in local ? local.address : 'path' in local ? local.path : null;
  const port = local !== null && 'port' in local ? local.port : null;
  return {
    proto: protoGroup(socket.proto),
    address,
    port,
    netns: socket.netns === 'default' ? null : socket.netns,
    ...(socket.remote !== null && socket.direction !== 'listen' ? { remote: { address: socket.remote.address, port: socket.remote.port } } : {}),
    state: socket.state,
    process: holder ? processOf(holder) : null,
  };
}

export interface FindingParts {
  /** null: the finding is about the host as a whole */
  socket: Socket | null;
  holder: ProcessRef | null;
  message: string;
  evidence: string;
  /** the rule's default unless given */
  severity?: Severity;
}

export function findingOf(rule: RuleDescription, host: HostScan, context: RuleContext, parts: FindingParts): Finding {
  const subject: FindingSubject = parts.socket ? subjectOf(parts.socket, parts.holder) : { proto: null, address: null, port: null, netns: null, process: null };
  // a connection's local port is ephemeral: its peer is what stays
  const where = subject.remote ? [subject.remote.address, subject.remote.port] : [subject.address, subject.port];
  const fingerprint = JSON.stringify([host.name, rule.id, subject.netns, subject.proto, ...where, parts.holder?.name ?? null]);
  return {
    host: host.name,
    groups: host.groups,
    ruleId: rule.id,
    severity: parts.severity ?? rule.severity,
    message: parts.message,
    subject,
    evidence: parts.evidence,
    fingerprint,
    waiver: null,
    location: context.hostLocation,
  };
}

/** The sockets a host listens on that rules judge: not the collector's own session. */
export function listeningSockets(host: HostScan): Socket[] {
  return host.sockets.filter((s) => s.direction === 'listen' && s.collector !== true);
}

/** Each process holding one of those sockets, with it: socket by socket, holders in their order. */
export function listeningHolders(host: HostScan): Array<{ socket: Socket; holder: ProcessRef }> {
  return listeningSockets(host).flatMap((socket) => socket.processes.map((holder) => ({ socket, holder })));
}

/**
 * Listening TCP and UDP sockets with their port, but not UDP sockets bound in the host's ephemeral
 * range: those are clients (a resolver's query socket), as drift counts them.
 */
export function inetListeners(host: HostScan): Array<{ socket: Socket; proto: 'tcp' | 'udp'; address: string; port: number }> {
  const ephemeral = host.facts?.ephemeralPorts ?? null;
  return listeningSockets(host).flatMap((socket) => {
    const proto = protoGroup(socket.proto);
    if ((proto !== 'tcp' && proto !== 'udp') || socket.local === null || !('address' in socket.local)) return [];
    const { address, port } = socket.local;
    if (proto === 'udp' && ephemeral !== null && port >= ephemeral.low && port <= ephemeral.high) return [];
    return [{ socket, proto, address, port }];
  });
}

/** `tcp 0.0.0.0:8080` / `unix /run/x.sock`: a socket as one line of evidence. */
export function socketLine(socket: Socket): string {
  const proto = socket.proto;
  const local = socket.local;
  if (local === null) return `${proto} inode ${socket.inode}`;
  if ('path' in local) return `${proto} ${local.path ?? '(unbound)'}`;
  if ('ethertype' in local) return `${proto} ethertype 0x${local.ethertype.toString(16).padStart(4, '0')} ifindex ${local.ifindex}`;
  const at = (a: string, p: number) => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
  const remote = socket.remote && socket.direction !== 'listen' ? ` -> ${at(socket.remote.address, socket.remote.port)}` : '';
  return `${proto} ${at(local.address, local.port)}${remote}`;
}
