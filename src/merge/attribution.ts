// Which process holds which socket, and how far that can be trusted: the processes whose fd links
// could not be read (by pid and name), and processes /proc does not show at all (hidepid). A link or
// a process that vanished while the collection ran is normal and counts for nothing.
import { SECTION, writesSection } from '../capture/format.js';
import type { CaptureSections } from '../capture/sections.js';
import { decimal, decodeNumberPairs } from '../parse/script-sections.js';
import type { HiddenProcesses, ParseIssue, UnreadableProcess } from '../model/index.js';
import { take } from './issues.js';
import { parseFdLinks, parseUnreadablePids, type FdLink } from '../parse/fd-links.js';
import { parseCmdline, parseUid } from '../parse/process.js';
import { parseProcLinks, type ProcessLinks } from '../parse/proc-links.js';
import { parsePasswd } from '../parse/passwd.js';
import { parseProcMounts } from '../parse/mountinfo.js';
import { parseStatusLines, unescapeStatusName } from '../parse/proc-status.js';
import type { ProcessInfo } from './processes.js';

export interface Attribution {
  /** every socket fd link read */
  links: FdLink[];
  /** the processes holding sockets, by pid */
  processes: Map<number, ProcessInfo>;
  /** uid → user name, from the host's passwd lines */
  userNames: Map<number, string>;
  unreadable: UnreadableProcess[];
  hidden: HiddenProcesses | null;
}

/** `full` only when every process was seen and every link of every process was read. */
export function isFull(a: Pick<Attribution, 'unreadable' | 'hidden'>): boolean {
  return a.unreadable.length === 0 && a.hidden === null;
}

export function readAttribution(sections: CaptureSections, collectorUid: number | null, issues: ParseIssue[]): Attribution {
  const fdText = sections.required(SECTION.fdLinks, '/proc/*/fd') ?? '';
  // parseFdLinks' own `unreadable` counts links that vanished too: fd.denied has the ones that did not
  const { links, issues: linkIssues } = parseFdLinks(fdText, '/proc/*/fd');
  for (const issue of linkIssues) issues.push(issue);

  const { mounts, issues: mountIssues } = parseProcMounts(sections.text(SECTION.procMounts) ?? '', '/proc/self/mountinfo');
  for (const issue of mountIssues) issues.push(issue);
  // the last /proc mount is the one on top, the one the collection read
  const options = mounts.filter((m) => m.mountPoint === '/proc').pop()?.options ?? [];
  const hidepid = options.find((o) => o.startsWith('hidepid='))?.slice('hidepid='.length) ?? '0';

  return {
    links,
    processes: socketHolders(sections, issues),
    userNames: userNames(sections, issues),
    unreadable: unreadableProcesses(sections, hidepid, issues),
    hidden: hiddenProcesses(sections, hidepid, options, collectorUid, issues),
  };
}

/** The pids of fd.denied (with how many links) and of fd.unreadable (no count), named. */
function unreadableProcesses(sections: CaptureSections, hidepid: string, issues: ParseIssue[]): UnreadableProcess[] {
  const denied = decodeNumberPairs(sections.text(SECTION.fdDenied) ?? '', SECTION.fdDenied, ['pid', 'count'], issues);
  const closed = take(parseUnreadablePids(sections.text(SECTION.fdUnreadable) ?? '', '/proc/*/fd'), issues);
  const { byPid: status, issues: statusIssues } = parseStatusLines(sections.text(SECTION.unreadableStatus) ?? '', '/proc/*/status');
  for (const issue of statusIssues) issues.push(issue);
  // status files are world-readable unless hidepid forbids it: without one the process has exited
  const statusReadable = hidepid === '0' || hidepid === 'off';
  const result = new Map<number, UnreadableProcess>();
  const add = (pid: number, count: number | null) => {
    const summary = status.get(pid);
    if (summary === undefined && statusReadable) return; // vanished: normal
    if (summary !== undefined && !summary.hasMemory) return; // a kernel thread or a zombie: no fds to read
    if (!result.has(pid)) result.set(pid, { pid, name: summary?.name ?? '', count });
  };
  for (const [pid, count] of denied) add(pid, count);
  for (const pid of closed) add(pid, null);
  return [...result.values()].sort((a, b) => a.pid - b.pid);
}

const HIDING = new Set(['2', 'invisible', '4', 'ptraceable']);

/**
 * hidepid=2/invisible (and 4/ptraceable) leave other users' processes out of /proc: their sockets are
 * listed, their holders never are. Root (CAP_SYS_PTRACE) and members of the mount's gid= see them all.
 * Pid 1 exists in every pid namespace: not seeing it means something hides processes, whatever the
 * mount options say.
 */
function hiddenProcesses(
  sections: CaptureSections,
  hidepid: string,
  options: readonly string[],
  collectorUid: number | null,
  issues: ParseIssue[],
): HiddenProcesses | null {
  const gid = decimal(options.find((o) => o.startsWith('gid='))?.slice('gid='.length));
  const groups = (sections.text(SECTION.groups) ?? '').trim().split(/\s+/).map(decimal);
  const exempt = collectorUid === 0 || (gid !== null && groups.includes(gid));
  if (HIDING.has(hidepid) && !exempt) return { reason: 'hidepid', detail: `/proc is mounted with hidepid=${hidepid}: other users' processes are not listed` };
  const pid1 = sections.text(SECTION.pid1)?.trim();
  if (pid1 === '0') return { reason: 'pid1', detail: '/proc/1 is not visible: /proc hides processes' };
  if (pid1 !== '1') issues.push({ kind: 'missing-section', file: '(meta.pid1)', line: 0, message: 'the capture does not say whether /proc/1 is visible' });
  return null;
}

/** name (Name: of status), effective uid, cmdline, exe and cwd of every pid that holds a socket. */
function socketHolders(sections: CaptureSections, issues: ParseIssue[]): Map<number, ProcessInfo> {
  const processes = new Map<number, ProcessInfo>();
  const links = processLinks(sections, issues);
  for (const name of sections.all(SECTION.procName)) {
    const pid = decimal(name.arg);
    if (pid === null) continue;
    const uid = sections.find(SECTION.procUid, name.arg);
    const cmdline = sections.find(SECTION.procCmdline, name.arg);
    const uids = uid?.status === 'ok' ? take(parseUid(uid.text, `/proc/${pid}/status`), issues) : [];
    processes.set(pid, {
      pid,
      name: name.status === 'ok' ? unescapeStatusName(name.text) : '',
      uid: uids[0] ?? null,
      cmdline: cmdline?.status === 'ok' ? parseCmdline(cmdline.text) : [],
      vanished: name.status !== 'ok',
      ...links.get(pid),
    });
  }
  return processes;
}

/** The exe and cwd links by pid; none from a format-2 capture, which did not read them. */
function processLinks(sections: CaptureSections, issues: ParseIssue[]): Map<number, ProcessLinks> {
  if (!sections.writes(SECTION.procLinks)) return new Map();
  const file = '/proc/*/{exe,cwd}';
  const { byPid, issues: linkIssues } = parseProcLinks(sections.required(SECTION.procLinks, file) ?? '', file);
  for (const issue of linkIssues) issues.push(issue);
  return byPid;
}

function userNames(sections: CaptureSections, issues: ParseIssue[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const { uid, name } of take(parsePasswd(sections.text(SECTION.passwd) ?? '', '/etc/passwd'), issues)) {
    if (!names.has(uid)) names.set(uid, name);
  }
  return names;
}
