// `grep -H -e '^Name:' -e '^VmSize:'` over /proc/PID/status files (the `fd.unreadable.status`
// section): `/proc/PID/status:Name:\tcomm` and `/proc/PID/status:VmSize:\t  1234 kB`.
import type { ParseIssue } from '../model/index.js';
import { excerpt, issueAt, parseDecimal, splitLines, FileIssues } from './lines.js';

/**
 * The Name: of /proc/PID/status: comm with `\n` and `\\` escaped by the kernel
 * (proc_task_name → seq_escape_str(…, "\n\\")), so it is always one line.
 */
export function unescapeStatusName(text: string): string {
  return text.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export interface StatusSummary {
  name: string | null;
  /** a VmSize: line: the process has memory (a kernel thread or a zombie has none, and no fds either) */
  hasMemory: boolean;
}

const STATUS_LINE = /^\/proc\/([0-9]{1,10})\/status:(Name|VmSize):\t?(.*)$/;

/** Name and memory per pid; a line of any other form is an issue (grep writes no other). */
export function parseStatusLines(text: string, file: string): { byPid: Map<number, StatusSummary>; issues: ParseIssue[] } {
  const byPid = new Map<number, StatusSummary>();
  const issues = new FileIssues(file);
  for (const line of splitLines(text)) {
    const m = STATUS_LINE.exec(line.text);
    const pid = parseDecimal(m?.[1] ?? '');
    if (m === null || pid === null) {
      issues.push(issueAt(file, line.number, { kind: line.terminated ? 'bad-line' : 'truncated-line', message: `not a /proc/PID/status:Name: or VmSize: line: ${excerpt(line.text)}` }));
      continue;
    }
    const summary = byPid.get(pid) ?? { name: null, hasMemory: false };
    if (m[2] === 'Name') summary.name = unescapeStatusName(m[3] ?? '');
    else summary.hasMemory = true;
    byPid.set(pid, summary);
  }
  return { byPid, issues: issues.done() };
}
