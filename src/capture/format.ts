// The capture format: what the collection script (collect.sh) writes, section by section. This module
// is its one owner: the section names, what each one's argument is, and the format version. The host
// view reads captures only through it, and the script's tests check the script against it.
//
// Framing (split.ts): `\n<M> <name> <arg>\n<bytes>\n<M> rc <ok|absent|gone|error>` per section, then
// `\n<M> end\n`. The first section is `format`, whose bytes are the version.
import type { CaptureSection, ParseIssue } from '../model/index.js';

/**
 * Bumped whenever a section changes name, argument or content. 1 was never written: captures from
 * before the version existed lack the `format` section. 3 added `proc.links` (exe and cwd links).
 * 4 batches: a namespace's tables come in one `net.tables` section, the socket holders' status and
 * cmdline lines in `proc.status` and `proc.cmdlines` (unbatch.ts turns them back into the one-file
 * sections of 3, which is what every reader sees); meta.uid and meta.groups come from our own status.
 */
export const CAPTURE_FORMAT_VERSION = '4';

/**
 * The versions this fleetstat reads: the one it writes and the ones whose sections are a subset of
 * it (saved snapshots and fixtures stay readable). A section a version does not write is unknown
 * there, not missing: see SectionSpec.since.
 */
export const READABLE_CAPTURE_FORMATS: readonly string[] = ['2', '3', CAPTURE_FORMAT_VERSION];

/** Every /proc/net table the script reads, once per network namespace (a missing file is a fact). */
export const NET_TABLES = [
  'tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6', 'unix', 'packet',
] as const;
export type NetTable = (typeof NET_TABLES)[number];

/**
 * The argument of a `net.*` section: which namespace the table was read in. The collector's own is
 * always `self` (read through /proc/self/net), whether or not the kernel has namespaces at all; every
 * other one is its inode in decimal, as `/proc/PID/ns/net -> net:[INODE]` names it.
 */
export const OWN_NETNS = 'self';

/** What a section's argument is: nothing (''), a namespace (OWN_NETNS or an inode), or a pid. */
export type SectionArg = 'none' | 'netns' | 'pid';

export interface SectionSpec {
  name: string;
  arg: SectionArg;
  /** written on every run (else only when there is something to write it for: a pid, a namespace) */
  always: boolean;
  /** what its bytes are */
  bytes: string;
  /** the first format version that writes it (absent: every readable version does) */
  since?: number;
  /**
   * how readers get it when this version does not simply write it (absent: written as it is):
   * `unbatched` (not written: unbatch.ts makes it from a batched section), `fallback` (written only
   * where the batched form could not be: see the section's bytes)
   */
  source?: 'unbatched' | 'fallback';
}

/** Section names, for readers: `SECTION.hostname` rather than a string typed twice. */
export const SECTION = {
  format: 'format',
  hostname: 'meta.hostname',
  kernel: 'meta.kernel',
  bootId: 'meta.bootid',
  portRange: 'meta.portrange',
  byteOrder: 'meta.byteorder',
  uid: 'meta.uid',
  groups: 'meta.groups',
  self: 'meta.self',
  ancestry: 'meta.ancestry',
  ssh: 'meta.ssh',
  procMounts: 'meta.procmounts',
  pid1: 'meta.pid1',
  ownNetns: 'meta.netns',
  netnsNames: 'netns.names',
  netnsOfPids: 'netns.pids',
  netnsReader: 'netns.reader',
  netAbsent: 'net.absent',
  netTables: 'net.tables',
  netListening: 'net.listening',
  fdLinks: 'fdlinks',
  fdDenied: 'fd.denied',
  fdUnreadable: 'fd.unreadable',
  unreadableStatus: 'fd.unreadable.status',
  procHolders: 'proc.holders',
  procStatus: 'proc.status',
  procCmdlines: 'proc.cmdlines',
  procName: 'proc.name',
  procUid: 'proc.uid',
  procCmdline: 'proc.cmdline',
  procLinks: 'proc.links',
  passwd: 'passwd',
} as const;

export function netTableSection(table: NetTable): string {
  return `net.${table}`;
}

/**
 * Every section of this version, in the order the script writes them (`source` absent or `fallback`), with
 * the ones unbatch.ts makes from batched ones (`unbatched`) where it puts them.
 */
export const SECTIONS: readonly SectionSpec[] = [
  { name: SECTION.format, arg: 'none', always: true, bytes: `the format version, ${CAPTURE_FORMAT_VERSION}` },
  { name: SECTION.hostname, arg: 'none', always: true, bytes: '/proc/sys/kernel/hostname' },
  { name: SECTION.kernel, arg: 'none', always: true, bytes: '/proc/sys/kernel/osrelease' },
  { name: SECTION.bootId, arg: 'none', always: true, bytes: '/proc/sys/kernel/random/boot_id' },
  { name: SECTION.portRange, arg: 'none', always: true, bytes: '/proc/sys/net/ipv4/ip_local_port_range' },
  { name: SECTION.byteOrder, arg: 'none', always: true, bytes: "`printf '\\001\\000' | od -An -tu2`: 1 little-endian, 256 big-endian" },
  { name: SECTION.uid, arg: 'none', always: true, bytes: "the effective uid (`id -u`): the second number of Uid: in the script's /proc/self/status" },
  { name: SECTION.groups, arg: 'none', always: true, bytes: "the groups a gid is checked against: the fs gid (fourth of Gid:) and Groups: of the script's /proc/self/status (format 3: `id -G`)" },
  { name: SECTION.self, arg: 'none', always: true, bytes: "the script's pid ($$)" },
  { name: SECTION.ancestry, arg: 'none', always: true, bytes: '`PID PPID` lines from the script up to the first pid whose parent is 0 (PPid: of /proc/PID/status)' },
  { name: SECTION.ssh, arg: 'none', always: true, bytes: "$SSH_CONNECTION, or the nearest ancestor's when sudo dropped it; empty when none" },
  { name: SECTION.procMounts, arg: 'none', always: true, bytes: 'the proc lines of /proc/self/mountinfo' },
  { name: SECTION.pid1, arg: 'none', always: true, bytes: '1 when /proc/1 is visible, else 0' },
  { name: SECTION.netnsOfPids, arg: 'none', always: true, bytes: '`PID INODE` lines: the namespace of every pid' },
  { name: SECTION.ownNetns, arg: 'none', always: true, bytes: "the inode of the script's own namespace; empty without namespaces" },
  { name: SECTION.netnsNames, arg: 'none', always: true, bytes: '`ls -1iL /run/netns`' },
  // our own namespace's tables; then, for every other namespace, its reader and its tables
  { name: SECTION.netAbsent, arg: 'netns', always: true, since: 4, bytes: 'the tables that namespace does not have, blank-separated' },
  { name: SECTION.netTables, arg: 'netns', always: true, since: 4, bytes: "`head -n 2147483647 /dev/null TABLE…` in the namespace's /proc/PID/net: every table it has, each after a `==> TABLE <==` header, unix last" },
  { name: SECTION.netListening, arg: 'netns', always: false, since: 4, bytes: "only when the scan wants listening TCP sockets alone (L=1): tcp and tcp6 through head as in net.tables, then grep: head's headers and blank lines, each table's header line and its LISTEN rows (net.tables then lacks them)" },
  ...NET_TABLES.map((table): SectionSpec => ({ name: netTableSection(table), arg: 'netns', always: true, source: 'unbatched', bytes: `/proc/net/${table} of that namespace` })),
  { name: SECTION.netnsReader, arg: 'netns', always: false, bytes: 'the pid whose /proc/PID/net was read for that namespace' },
  { name: SECTION.fdLinks, arg: 'none', always: true, bytes: "`ls -lnq /proc/[0-9]*/fd/`: headers, socket links, and links ls could not read" },
  { name: SECTION.fdDenied, arg: 'none', always: true, bytes: '`PID COUNT` lines: links still there yet unreadable (not ones that vanished meanwhile)' },
  { name: SECTION.fdUnreadable, arg: 'none', always: true, bytes: 'pids whose fd directory cannot be listed, one a line' },
  { name: SECTION.unreadableStatus, arg: 'none', always: true, bytes: '`grep -H` of the Name: and VmSize: lines of those pids\' (and fd.denied pids\') /proc/PID/status' },
  { name: SECTION.procHolders, arg: 'none', always: true, since: 4, bytes: 'the pids holding at least one socket, blank-separated' },
  { name: SECTION.procName, arg: 'pid', always: false, source: 'unbatched', bytes: 'the Name: of /proc/PID/status (comm, with \\n and \\\\ escaped by the kernel)' },
  { name: SECTION.procUid, arg: 'pid', always: false, source: 'unbatched', bytes: 'the effective uid of /proc/PID/status' },
  { name: SECTION.procStatus, arg: 'none', always: true, since: 4, bytes: '`grep -H` of the Name: and Uid: lines of the holders\' /proc/PID/status' },
  { name: SECTION.procCmdlines, arg: 'none', always: true, since: 4, bytes: "`grep -a -z -H ''` of the holders' /proc/PID/cmdline: `/proc/PID/cmdline:STRING` and a NUL per string" },
  { name: SECTION.procCmdline, arg: 'pid', always: false, source: 'fallback', bytes: '/proc/PID/cmdline (on the wire only where grep has no -z: then proc.cmdlines is `absent`)' },
  { name: SECTION.procLinks, arg: 'none', always: true, since: 3, bytes: '`ls -lnqd` of /proc/PID/exe and /proc/PID/cwd of the socket-holding pids, one `ls` per 250 processes; a link ls could not read has no ` -> `' },
  { name: SECTION.passwd, arg: 'none', always: true, bytes: '/etc/passwd lines of the uids of socket-holding processes and of the tables' },
];

/** The sections the script writes (what crosses the wire), in its order. */
export const WIRE_SECTIONS: readonly SectionSpec[] = SECTIONS.filter((s) => s.source !== 'unbatched');

/**
 * The one check every reader makes first: is this capture in the format this module describes?
 * An issue (kind `format-version`) when it is not; nothing in it is to be read then.
 */
export function formatIssue(sections: readonly CaptureSection[]): ParseIssue | undefined {
  const format = sections.find((s) => s.name === SECTION.format);
  const wanted = `this fleetstat reads capture formats ${READABLE_CAPTURE_FORMATS.slice(0, -1).join(', ')} and ${READABLE_CAPTURE_FORMATS.at(-1)}`;
  if (format === undefined) {
    return { kind: 'format-version', file: '(capture)', line: 0, message: `the capture has no format version (written before versions were): ${wanted}` };
  }
  const version = format.text.trim();
  if (format.status !== 'ok' || !READABLE_CAPTURE_FORMATS.includes(version)) {
    return { kind: 'format-version', file: '(capture)', line: 0, message: `capture format ${JSON.stringify(version.slice(0, 20))}: ${wanted}` };
  }
  return undefined;
}

/**
 * Whether a capture of this (readable) version writes the section: a format-2 capture has no
 * `proc.links`, and lacking it says nothing (exe and cwd are simply unknown there).
 */
export function writesSection(version: string, name: string): boolean {
  const since = SECTIONS.find((s) => s.name === name)?.since;
  return since === undefined || Number(version.trim()) >= since;
}
