// The network namespaces a capture read: the collector's own (`default`), then one per namespace the
// script found a reader pid in, labelled by `ip netns` name where there is one.
import { OWN_NETNS, SECTION } from '../capture/format.js';
import type { CaptureSections } from '../capture/sections.js';
import { decimal, decodeNumberPairs } from '../parse/script-sections.js';
import type { NetnsInfo, ParseIssue } from '../model/index.js';
import { take } from './issues.js';
import { parseNetnsNames } from '../parse/meta.js';

/** The label every socket of the collector's own namespace carries. */
export const DEFAULT_NETNS = 'default';

/** A namespace with what its `net.*` sections are keyed by (format.ts: OWN_NETNS, or the inode). */
export interface ReadNamespace extends NetnsInfo {
  sectionArg: string;
}

export function namespacesOf(sections: CaptureSections, issues: ParseIssue[]): ReadNamespace[] {
  const names = new Map<number, string>();
  const namesText = sections.text(SECTION.netnsNames);
  if (namesText !== undefined) {
    for (const { inode, name } of take(parseNetnsNames(namesText, '/run/netns'), issues)) names.set(inode, name);
  }
  // empty on a kernel without network namespaces: the host has one, and it is ours
  const own = decimal(sections.required(SECTION.ownNetns, '/proc/self/ns/net'));
  const result: ReadNamespace[] = [{ label: DEFAULT_NETNS, inode: own, readerPid: null, sectionArg: OWN_NETNS }];
  for (const reader of sections.all(SECTION.netnsReader)) {
    const inode = decimal(reader.arg);
    const pid = decimal(reader.text);
    if (inode === null || pid === null || pid === 0) {
      issues.push({ kind: 'bad-line', file: `(${SECTION.netnsReader})`, line: 1, field: 'pid', message: `bad netns reader ${JSON.stringify(`${reader.arg}: ${reader.text}`.slice(0, 80))}` });
      continue;
    }
    result.push({ label: names.get(inode) ?? `net:[${inode}]`, inode, readerPid: pid, sectionArg: reader.arg });
  }
  return result;
}

/** pid → the label of its namespace (`default` when the capture does not say: no namespaces). */
export function netnsOfPids(sections: CaptureSections, namespaces: readonly NetnsInfo[], issues: ParseIssue[]): (pid: number) => string {
  const labels = new Map(namespaces.filter((n) => n.inode !== null).map((n) => [n.inode as number, n.label]));
  const ofPid = new Map<number, number>();
  for (const [pid, inode] of decodeNumberPairs(sections.text(SECTION.netnsOfPids) ?? '', SECTION.netnsOfPids, ['pid', 'inode'], issues)) ofPid.set(pid, inode);
  return (pid) => {
    const inode = ofPid.get(pid);
    return inode === undefined ? DEFAULT_NETNS : (labels.get(inode) ?? `net:[${inode}]`);
  };
}
