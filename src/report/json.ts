// The JSON contract `fleetstat/scan@1` (schema/scan-v1.schema.json).
//
// The result is copied field by field instead of stringified as is, for two reasons:
// - property order is the contract's, whatever order the merge step built objects in (stable diffs, jq);
// - anything that is not in the contract (a parser's `source`, a udp row's `drops` left on a socket by
//   a spread) cannot leak into the output and break consumers that validate against the schema.
import type { HostFacts, HostScan, ParseIssue, ProcessRef, ScanResult, Socket } from '../model/index.js';
import { jsonForTerminal } from './escape.js';

function endpointOut(endpoint: Socket['local']): Socket['local'] {
  if (endpoint === null) return null;
  if ('path' in endpoint) return { path: endpoint.path };
  if ('address' in endpoint) return { address: endpoint.address, port: endpoint.port };
  return { ethertype: endpoint.ethertype, ifindex: endpoint.ifindex };
}

function processOut(p: ProcessRef): ProcessRef {
  return { pid: p.pid, name: p.name, uid: p.uid, user: p.user, cmdline: [...p.cmdline] };
}

function socketOut(s: Socket): Socket {
  return {
    proto: s.proto,
    state: s.state,
    local: endpointOut(s.local),
    remote: s.remote === null ? null : { address: s.remote.address, port: s.remote.port },
    ...(s.type !== undefined ? { type: s.type } : {}),
    recvQ: s.recvQ,
    sendQ: s.sendQ,
    uid: s.uid,
    user: s.user ?? null,
    inode: s.inode,
    netns: s.netns,
    processes: s.processes.map(processOut),
    direction: s.direction,
    ...(s.service !== undefined ? { service: s.service } : {}),
    ...(s.collector === true ? { collector: true } : {}),
  };
}

function factsOut(f: HostFacts): HostFacts {
  return {
    hostname: f.hostname,
    kernel: f.kernel,
    bootId: f.bootId,
    byteOrder: f.byteOrder,
    ephemeralPorts: f.ephemeralPorts === null ? null : { low: f.ephemeralPorts.low, high: f.ephemeralPorts.high },
    attribution: f.attribution,
    unreadableProcesses: (f.unreadableProcesses ?? []).map((p) => ({ pid: p.pid, name: p.name, count: p.count })),
    hiddenProcesses: f.hiddenProcesses ? { reason: f.hiddenProcesses.reason, detail: f.hiddenProcesses.detail } : null,
    session: f.session
      ? { client: { address: f.session.client.address, port: f.session.client.port }, server: { address: f.session.server.address, port: f.session.server.port } }
      : null,
    collectorUid: f.collectorUid,
    netns: f.netns.map((n) => ({ label: n.label, inode: n.inode, readerPid: n.readerPid })),
  };
}

function issueOut(i: ParseIssue): ParseIssue {
  return {
    kind: i.kind,
    file: i.file,
    line: i.line,
    ...(i.field !== undefined ? { field: i.field } : {}),
    message: i.message,
  };
}

function hostOut(h: HostScan): HostScan {
  return {
    name: h.name,
    address: h.address,
    port: h.port,
    groups: [...h.groups],
    status: h.status,
    ...(h.error !== undefined ? { error: { kind: h.error.kind, message: h.error.message } } : {}),
    ...(h.hostKey !== undefined ? { hostKey: { type: h.hostKey.type, fingerprint: h.hostKey.fingerprint, check: h.hostKey.check } } : {}),
    ...(h.facts !== undefined ? { facts: factsOut(h.facts) } : {}),
    sockets: h.sockets.map(socketOut),
    issues: h.issues.map(issueOut),
  };
}

/** The scan as the `fleetstat/scan@1` JSON document: 2-space indent, contract property order, trailing newline. */
export function formatJson(result: ScanResult): string {
  const document: ScanResult = {
    schema: result.schema,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    hosts: result.hosts.map(hostOut),
  };
  return jsonForTerminal(document);
}
