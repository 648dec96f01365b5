// One host's view: every parsed table of every namespace, joined to processes, with direction and
// service. Pure: a RawCapture in, sockets, facts and issues out.
import type {
  CaptureSection,
  HostFacts,
  InetSocketRow,
  NetnsInfo,
  ParseContext,
  ParseIssue,
  Parsed,
  ProcessRef,
  RawCapture,
  Socket,
  UnixSocketRow,
} from '../model/index.js';
import { parseNetTcp } from '../parse/net-tcp.js';
import { parseNetUdp } from '../parse/net-udp.js';
import { parseNetRaw } from '../parse/net-raw.js';
import { parseNetUnix } from '../parse/net-unix.js';
import { parseFdLinks, parseUnreadablePids } from '../parse/fd-links.js';
import { parseCmdline, parseComm, parseUid } from '../parse/process.js';
import { parsePasswd } from '../parse/passwd.js';
import { parseByteOrder, parseNetnsNames, parsePortRange } from '../parse/meta.js';
import { directionOf, listeningPorts } from './direction.js';
import { ownersOf, type Owners, type ProcessInfo } from './processes.js';
import { serviceName, type ServiceTable } from './services.js';

export interface HostView {
  facts: HostFacts;
  sockets: Socket[];
  issues: ParseIssue[];
}

type InetParser = (text: string, ctx: ParseContext, v6: boolean) => Parsed<InetSocketRow>;
const INET_TABLES: ReadonlyArray<[table: string, parse: InetParser, v6: boolean]> = [
  ['tcp', parseNetTcp, false],
  ['tcp6', parseNetTcp, true],
  ['udp', parseNetUdp, false],
  ['udp6', parseNetUdp, true],
  ['raw', parseNetRaw, false],
  ['raw6', parseNetRaw, true],
];

/** The label every socket of the collector's own namespace carries. */
export const DEFAULT_NETNS = 'default';

export function buildHostView(capture: RawCapture, services: ServiceTable): HostView {
  const issues: ParseIssue[] = [];
  const sections = new SectionIndex(capture.sections, issues);

  const byteOrderText = sections.required('meta.byteorder', '', '(byte order)');
  const byteOrder = byteOrderText === undefined ? undefined : take(parseByteOrder(byteOrderText, '(byte order)'), issues)[0];
  const netns = namespacesOf(sections, issues);
  const facts: HostFacts = {
    hostname: (sections.text('meta.hostname', '') ?? '').trim(),
    kernel: (sections.text('meta.kernel', '') ?? '').trim(),
    bootId: (sections.text('meta.bootid', '') ?? '').trim(),
    byteOrder: byteOrder ?? 'little',
    ephemeralPorts: optional(sections.text('meta.portrange', ''), (t) => parsePortRange(t, '/proc/sys/net/ipv4/ip_local_port_range'), issues),
    attribution: 'full',
    collectorUid: toInteger(sections.text('meta.uid', '')),
    netns,
  };
  // Without the host's byte order no address can be decoded: report, never guess from this machine.
  if (byteOrder === undefined) return { facts, sockets: [], issues };

  const inetRows: InetSocketRow[] = [];
  const unixRows: UnixSocketRow[] = [];
  for (const ns of netns) {
    const dir = ns.readerPid === null ? '/proc/net' : `/proc/${ns.readerPid}/net`;
    const ctx = (table: string): ParseContext => ({ file: `${dir}/${table}`, byteOrder, netns: ns.label });
    for (const [table, parse, v6] of INET_TABLES) {
      const text = sections.table(`net.${table}`, String(ns.inode), ctx(table).file);
      if (text !== undefined) inetRows.push(...take(parse(text, ctx(table), v6), issues));
    }
    const unixText = sections.table('net.unix', String(ns.inode), ctx('unix').file);
    if (unixText !== undefined) unixRows.push(...take(parseNetUnix(unixText, ctx('unix')), issues));
  }

  const { owners, partial } = socketOwners(sections, issues);
  facts.attribution = partial ? 'partial' : 'full';

  const listening = listeningPorts(inetRows);
  const hostsOwn = (row: { inode: number }) => !owners.collectorOnly.has(row.inode);
  const sockets: Socket[] = [
    ...inetRows.filter(hostsOwn).map((row) => inetSocket(row, owners.byInode, listening, facts.ephemeralPorts, services)),
    ...unixRows.filter(hostsOwn).map((row) => unixSocket(row, owners.byInode)),
  ];
  return { facts, sockets, issues };
}

function inetSocket(
  row: InetSocketRow,
  owners: Map<number, ProcessRef[]>,
  listening: Set<string>,
  ephemeral: HostFacts['ephemeralPorts'],
  services: ServiceTable,
): Socket {
  const direction = directionOf(row, listening, ephemeral);
  // the service is named by the server's side of the conversation
  const servicePort = direction === 'outbound' ? row.remote.port : row.local.port;
  const service = serviceName(services, row.proto, servicePort);
  return {
    proto: row.proto,
    state: row.state,
    local: row.local,
    remote: row.remote,
    recvQ: row.recvQ,
    sendQ: row.sendQ,
    uid: row.uid,
    inode: row.inode,
    netns: row.netns,
    processes: row.inode === 0 ? [] : (owners.get(row.inode) ?? []),
    direction,
    ...(service === undefined ? {} : { service }),
  };
}

function unixSocket(row: UnixSocketRow, owners: Map<number, ProcessRef[]>): Socket {
  return {
    proto: 'unix',
    state: row.state,
    local: { path: row.path },
    remote: null,
    type: row.type,
    recvQ: 0,
    sendQ: 0,
    uid: null,
    inode: row.inode,
    netns: row.netns,
    processes: row.inode === 0 ? [] : (owners.get(row.inode) ?? []),
    direction: row.state === 'LISTEN' ? 'listen' : 'unknown',
  };
}

/** The collector's own namespace first, then one per distinct namespace the script found a reader for. */
function namespacesOf(sections: SectionIndex, issues: ParseIssue[]): NetnsInfo[] {
  const own = sections.find('meta.netns');
  const names = new Map<number, string>();
  const namesText = sections.text('netns.names', '');
  if (namesText !== undefined) {
    for (const { inode, name } of take(parseNetnsNames(namesText, '/run/netns'), issues)) names.set(inode, name);
  }
  const result: NetnsInfo[] = [];
  const ownInode = Number(own?.arg ?? 0);
  result.push({ label: DEFAULT_NETNS, inode: ownInode, readerPid: null });
  for (const reader of sections.all('netns.reader')) {
    const inode = Number(reader.arg);
    const pid = Number(reader.text.trim());
    if (!Number.isSafeInteger(inode) || !Number.isSafeInteger(pid) || pid <= 0) {
      issues.push({ kind: 'bad-line', file: '(netns reader)', line: 1, field: 'pid', message: `bad netns reader "${reader.arg}: ${reader.text}"` });
      continue;
    }
    result.push({ label: names.get(inode) ?? `net:[${inode}]`, inode, readerPid: pid });
  }
  return result;
}

/** inode → processes, and whether some fd links could not be read (attribution is then partial). */
function socketOwners(sections: SectionIndex, issues: ParseIssue[]): { owners: Owners; partial: boolean } {
  const fdText = sections.required('fdlinks', '', '/proc/*/fd') ?? '';
  const { links, unreadable, issues: linkIssues } = parseFdLinks(fdText, '/proc/*/fd');
  issues.push(...linkIssues);
  const unreadableDirs = take(parseUnreadablePids(sections.text('fd.unreadable', '') ?? '', '/proc/*/fd'), issues);

  const processes = new Map<number, ProcessInfo>();
  for (const comm of sections.all('proc.comm')) {
    const pid = Number(comm.arg);
    const cmdline = sections.find('proc.cmdline', comm.arg);
    const uidText = sections.find('proc.uid', comm.arg)?.text ?? '';
    const uids = uidText === '' ? [] : take(parseUid(uidText, `/proc/${pid}/status`), issues);
    processes.set(pid, {
      pid,
      name: comm.status === 'ok' ? parseComm(comm.text) : '',
      uid: uids[0] ?? null,
      cmdline: cmdline?.status === 'ok' ? parseCmdline(cmdline.text) : [],
      vanished: comm.status !== 'ok',
    });
  }
  const userNames = new Map<number, string>();
  for (const { uid, name } of take(parsePasswd(sections.text('passwd', '') ?? '', '/etc/passwd'), issues)) {
    if (!userNames.has(uid)) userNames.set(uid, name);
  }
  return {
    owners: ownersOf(links, processes, userNames, toInteger(sections.text('meta.self', ''))),
    partial: unreadable.length > 0 || unreadableDirs.length > 0,
  };
}

/** Sections by name and argument, with the "missing" and "unreadable" cases turned into issues. */
class SectionIndex {
  private readonly byKey = new Map<string, CaptureSection>();
  constructor(
    private readonly sections: readonly CaptureSection[],
    private readonly issues: ParseIssue[],
  ) {
    for (const s of sections) if (!this.byKey.has(`${s.name} ${s.arg}`)) this.byKey.set(`${s.name} ${s.arg}`, s);
  }
  find(name: string, arg?: string): CaptureSection | undefined {
    if (arg !== undefined) return this.byKey.get(`${name} ${arg}`);
    return this.sections.find((s) => s.name === name);
  }
  all(name: string): CaptureSection[] {
    return this.sections.filter((s) => s.name === name);
  }
  /** The text of an `ok` section, else undefined. */
  text(name: string, arg: string): string | undefined {
    const s = this.byKey.get(`${name} ${arg}`);
    return s?.status === 'ok' ? s.text : undefined;
  }
  /** Like text(), but a missing section is an issue: the script always writes it. */
  required(name: string, arg: string, file: string): string | undefined {
    const s = this.byKey.get(`${name} ${arg}`);
    if (!s) this.issues.push({ kind: 'missing-section', file, line: 0, message: `the capture has no "${name}" section` });
    else if (s.status !== 'ok') this.issues.push({ kind: 'unreadable', file, line: 0, message: `${file} could not be read` });
    return s?.status === 'ok' ? s.text : undefined;
  }
  /** A /proc/net table: absent is a fact (IPv6 off, no raw sockets support), unreadable is an issue. */
  table(name: string, arg: string, file: string): string | undefined {
    const s = this.byKey.get(`${name} ${arg}`);
    if (!s) {
      this.issues.push({ kind: 'missing-section', file, line: 0, message: `the capture has no "${name}" section for netns ${arg}` });
      return undefined;
    }
    if (s.status === 'error') this.issues.push({ kind: 'unreadable', file, line: 0, message: `${file} could not be read` });
    return s.status === 'ok' ? s.text : undefined;
  }
}

function take<T>(parsed: Parsed<T>, issues: ParseIssue[]): T[] {
  issues.push(...parsed.issues);
  return parsed.rows;
}

function optional<T>(text: string | undefined, parse: (t: string) => Parsed<T>, issues: ParseIssue[]): T | null {
  if (text === undefined) return null;
  return take(parse(text), issues)[0] ?? null;
}

function toInteger(text: string | undefined): number | null {
  const n = Number((text ?? '').trim());
  return text !== undefined && text.trim() !== '' && Number.isSafeInteger(n) ? n : null;
}

