// The JSON contract `fleetstat/scan@1` (schema/scan-v1.schema.json).
//
// The result is copied field by field instead of stringified as is, for two reasons:
// - property order is the contract's, whatever order the merge step built objects in (stable diffs, jq);
// - anything that is not in the contract (a parser's `source`, a udp row's `drops` left on a socket by
//   a spread) cannot leak into the output and break consumers that validate against the schema.
import type { HostFacts, HostScan, ParseIssue, ProcessRef, ScanResult, Socket } from '../model/index.js';
import type { Writable } from 'node:stream';
import { terminalSafeJson } from './escape.js';
import type { FormatWriter } from './output.js';
import { BatchedText, writeChunk } from './write.js';

function endpointOut(endpoint: Socket['local']): Socket['local'] {
  if (endpoint === null) return null;
  if ('path' in endpoint) return { path: endpoint.path };
  if ('address' in endpoint) return { address: endpoint.address, port: endpoint.port };
  return { ethertype: endpoint.ethertype, ifindex: endpoint.ifindex };
}

function processOut(p: ProcessRef): ProcessRef {
  return {
    pid: p.pid,
    name: p.name,
    uid: p.uid,
    user: p.user,
    cmdline: [...p.cmdline],
    ...(p.fds !== undefined ? { fds: [...p.fds] } : {}),
    ...(p.exe !== undefined ? { exe: p.exe } : {}),
    ...(p.exeDeleted === true ? { exeDeleted: true as const } : {}),
    ...(p.cwd !== undefined ? { cwd: p.cwd } : {}),
  };
}

/** A socket as the contract writes it: its fields in the contract's order, nothing else. */
export function socketOut(s: Socket): Socket {
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

/** A host's fields before its sockets and issues, in the contract's order. */
type HostHead = Omit<HostScan, 'sockets' | 'issues'>;

export function hostHeadOut(h: HostScan): HostHead {
  return {
    name: h.name,
    address: h.address,
    port: h.port,
    groups: [...h.groups],
    status: h.status,
    ...(h.error !== undefined ? { error: { kind: h.error.kind, message: h.error.message } } : {}),
    ...(h.hostKey !== undefined ? { hostKey: { type: h.hostKey.type, fingerprint: h.hostKey.fingerprint, check: h.hostKey.check } } : {}),
    ...(h.facts !== undefined ? { facts: factsOut(h.facts) } : {}),
  };
}

// The document is written in pieces, a host's fields, then its sockets one by one, so that no string
// holds a whole host, let alone the fleet (V8 caps a string at about 512 MiB: some 485k sockets). The
// pieces join to exactly what JSON.stringify(document, null, 2) would write of the document in the
// contract's property order: schema, startedAt, hosts, finishedAt (last: it is only known at the end).

/** `json` (2-space indented) as it sits `depth` spaces in: every line after the first moved right. */
function nested(json: string, depth: number): string {
  // JSON.stringify never writes a raw newline inside a string: every newline is between values
  return json.replace(/\n/g, `\n${' '.repeat(depth)}`);
}

function jsonHead(startedAt: string): string {
  return terminalSafeJson(`{\n  "schema": ${JSON.stringify(SCAN_SCHEMA)},\n  "startedAt": ${JSON.stringify(startedAt)},\n  "hosts": [`);
}

/** One host as an element of `hosts`, in pieces: its fields, each socket, its issues and the close. */
function* jsonHostPieces(host: HostScan, first: boolean): Generator<string> {
  const head = JSON.stringify(hostHeadOut(host), null, 2);
  // the head's own closing `\n}` goes: sockets and issues follow inside the same object
  yield terminalSafeJson(`${first ? '' : ','}\n    ${nested(head.slice(0, -2), 4)},\n      "sockets": [`);
  let i = 0;
  for (const socket of host.sockets) {
    yield terminalSafeJson(`${i === 0 ? '' : ','}\n        ${nested(JSON.stringify(socketOut(socket), null, 2), 8)}`);
    i += 1;
  }
  const issues = nested(JSON.stringify(host.issues.map(issueOut), null, 2), 6);
  yield terminalSafeJson(`${host.sockets.length > 0 ? '\n      ' : ''}],\n      "issues": ${issues}\n    }`);
}

function jsonTail(finishedAt: string, anyHost: boolean): string {
  return terminalSafeJson(`${anyHost ? '\n  ' : ''}],\n  "finishedAt": ${JSON.stringify(finishedAt)}\n}\n`);
}

const SCAN_SCHEMA: ScanResult['schema'] = 'fleetstat/scan@1';

/** The scan as the `fleetstat/scan@1` JSON document: 2-space indent, contract property order, trailing newline. */
export function formatJson(result: ScanResult): string {
  const pieces = [jsonHead(result.startedAt)];
  result.hosts.forEach((host, i) => {
    for (const piece of jsonHostPieces(host, i === 0)) pieces.push(piece);
  });
  pieces.push(jsonTail(result.finishedAt, result.hosts.length > 0));
  return pieces.join('');
}

/** The same document, written to `out` as hosts arrive (in output order). */
export function openJsonWriter(out: Writable): FormatWriter {
  const batch = new BatchedText(out);
  let hosts = 0;
  return {
    start: ({ startedAt }) => writeChunk(out, jsonHead(startedAt)),
    host: async (scan) => {
      for (const piece of jsonHostPieces(scan, hosts === 0)) if (batch.add(piece)) await batch.flush();
      await batch.flush();
      hosts += 1;
    },
    end: ({ finishedAt }) => writeChunk(out, jsonTail(finishedAt, hosts > 0)),
  };
}
