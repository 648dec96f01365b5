// The proc lines of /proc/self/mountinfo (`grep ' - proc '`; proc_pid_mountinfo → show_mountinfo):
//   `22 27 0:21 / /proc rw,relatime shared:12 - proc proc rw,hidepid=invisible`
// the mount point with its spaces, tabs, newlines and backslashes written as octal escapes (`\040`).
import type { ParseIssue } from '../model/index.js';
import { excerpt, issueAt, splitLines, FileIssues } from './lines.js';

export interface ProcMount {
  mountPoint: string;
  /** per-mount and super-block options together, e.g. rw, relatime, hidepid=invisible, gid=27 */
  options: string[];
}

/** Every proc mount; a line that is not a mountinfo line is an issue, another filesystem is skipped. */
export function parseProcMounts(text: string, file: string): { mounts: ProcMount[]; issues: ParseIssue[] } {
  const mounts: ProcMount[] = [];
  const issues = new FileIssues(file);
  for (const line of splitLines(text)) {
    const [left = '', right] = line.text.split(' - ');
    const fields = left.split(' ');
    if (right === undefined || fields.length < 6) {
      issues.push(issueAt(file, line.number, { kind: line.terminated ? 'bad-line' : 'truncated-line', message: `not a mountinfo line: ${excerpt(line.text)}` }));
      continue;
    }
    const [fstype, , superOptions = ''] = right.split(' ');
    // grep matched ' - proc ' somewhere: only a proc filesystem's own line counts
    if (fstype !== 'proc') continue;
    const mountPoint = (fields[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    mounts.push({ mountPoint, options: [...(fields[5] ?? '').split(','), ...superOptions.split(',')] });
  }
  return { mounts, issues: issues.done() };
}
