// One host's view: every parsed table of every namespace, joined to processes, with direction and
// service, forged unix lines taken out, the collection's own session marked. Pure: a RawCapture in,
// sockets, facts and issues out. The capture is read only through the format's names (capture/format.ts).
import { formatIssue, SECTION } from '../capture/format.js';
import { CaptureSections } from '../capture/sections.js';
import { unbatchSections } from '../capture/unbatch.js';
import type { HostFacts, ParseContext, ParseIssue, RawCapture, Socket } from '../model/index.js';
import { parseByteOrder, parsePortRange } from '../parse/meta.js';
import { decimal, decodeNumberPairs, decodeSshConnection } from '../parse/script-sections.js';
import { isFull, readAttribution } from './attribution.js';
import { markCollectorSockets } from './collector.js';
import { listeningPorts } from './direction.js';
import { dropForgedUnixRows, type UnixTable } from './forged-unix.js';
import { take } from './issues.js';
import { namespacesOf, netnsOfPids } from './namespaces.js';
import { ownersOf } from './processes.js';
import { inetSocket, otherSockets, packetSocket, unixSocket, type SocketContext } from './sockets.js';
import type { ServiceTable } from './services.js';
import { readTable, TABLE_READERS, type TableRows } from './tables.js';

export { DEFAULT_NETNS } from './namespaces.js';

export interface HostView {
  /** absent when the capture is in a format this fleetstat does not read (then nothing was read) */
  facts?: HostFacts;
  sockets: Socket[];
  issues: ParseIssue[];
}

export function buildHostView(capture: RawCapture, services: ServiceTable): HostView {
  const wrongFormat = formatIssue(capture.sections);
  if (wrongFormat) return { sockets: [], issues: [wrongFormat] };

  const unbatched = unbatchSections(capture.sections, capture.complete);
  const issues: ParseIssue[] = [...unbatched.issues];
  const sections = new CaptureSections(unbatched.sections, issues);
  const byteOrderText = sections.required(SECTION.byteOrder, '(byte order)');
  const byteOrder = byteOrderText === undefined ? undefined : take(parseByteOrder(byteOrderText, '(byte order)'), issues)[0];
  const namespaces = namespacesOf(sections, issues);
  const collectorUid = decimal(sections.text(SECTION.uid));
  const portRangeText = sections.text(SECTION.portRange);
  const facts: HostFacts = {
    hostname: (sections.text(SECTION.hostname) ?? '').trim(),
    kernel: (sections.text(SECTION.kernel) ?? '').trim(),
    bootId: (sections.text(SECTION.bootId) ?? '').trim(),
    byteOrder: byteOrder ?? 'little',
    ephemeralPorts: portRangeText === undefined ? null : (take(parsePortRange(portRangeText, '/proc/sys/net/ipv4/ip_local_port_range'), issues)[0] ?? null),
    attribution: 'full',
    unreadableProcesses: [],
    hiddenProcesses: null,
    session: decodeSshConnection(sections.text(SECTION.ssh), issues),
    collectorUid,
    netns: namespaces.map(({ label, inode, readerPid }) => ({ label, inode, readerPid })),
  };
  // Without the host's byte order no address can be decoded: report, never guess from this machine.
  if (byteOrder === undefined) return { facts, sockets: [], issues };

  const rows: TableRows = { inet: [], unix: [], packet: [] };
  const unixTables: UnixTable[] = [];
  for (const ns of namespaces) {
    const dir = ns.readerPid === null ? '/proc/net' : `/proc/${ns.readerPid}/net`;
    for (const reader of TABLE_READERS) {
      const ctx: ParseContext = { file: `${dir}/${reader.table}`, byteOrder, netns: ns.label };
      const text = sections.table(reader.table, ns.sectionArg, ctx.file);
      if (text === undefined) continue;
      const before = rows.unix.length;
      for (const issue of readTable(reader, text, ctx, rows)) issues.push(issue);
      if (reader.kind === 'unix') unixTables.push({ file: ctx.file, rows: rows.unix.slice(before) });
    }
  }

  const attribution = readAttribution(sections, collectorUid, issues);
  facts.unreadableProcesses = attribution.unreadable;
  facts.hiddenProcesses = attribution.hidden;
  facts.attribution = isFull(attribution) ? 'full' : 'partial';

  const otherTableInodes = new Set([...rows.inet, ...rows.packet].map((r) => r.inode).filter((i) => i !== 0));
  const unix = dropForgedUnixRows(
    unixTables,
    { otherTableInodes, heldInodes: isFull(attribution) ? new Set(attribution.links.map((l) => l.inode)) : null },
    issues,
  ).flat();

  const self = decimal(sections.text(SECTION.self));
  const ctx: SocketContext = {
    owners: ownersOf(attribution.links, attribution.processes, attribution.userNames, self),
    userNames: attribution.userNames,
    listening: listeningPorts(rows.inet),
    ephemeral: facts.ephemeralPorts,
    services,
  };
  const tabled = new Set([...otherTableInodes, ...unix.map((r) => r.inode)]);
  const sockets: Socket[] = [
    ...rows.inet.map((row) => inetSocket(row, ctx)),
    ...unix.map((row) => unixSocket(row, ctx)),
    ...rows.packet.map((row) => packetSocket(row, ctx)),
    ...otherSockets(tabled, ctx, netnsOfPids(sections, facts.netns, issues)),
  ];
  const ancestry = new Map(decodeNumberPairs(sections.text(SECTION.ancestry) ?? '', SECTION.ancestry, ['pid', 'ppid'], issues));
  markCollectorSockets(sockets, { collectorPid: self, ancestry, session: facts.session ?? null });
  return { facts, sockets, issues };
}
