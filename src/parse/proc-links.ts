// The exe and cwd links of the socket-holding processes: the `proc.links` section, i.e.
//   ls -lnqd /proc/123/exe /proc/123/cwd …
//   lrwxrwxrwx 1 0 0 0 Dec  2 10:00 /proc/123/cwd -> /srv/app
//   lrwxrwxrwx 1 0 0 0 Dec  2 10:00 /proc/123/exe -> /tmp/.x/foo (deleted)
//   lrwxrwxrwx 1 0 0 0 Dec  2 10:00 /proc/2/exe
// The link name is ours (no spaces) and ends at the first ` -> `; the target is a path any local user
// chose: it may hold ` -> `, `(deleted)` or `?` (ls's mark for an unprintable byte, a newline too), so
// everything after that first arrow is the target, as is. A line without ` -> ` is a link ls could
// not read (another user's process without root, a kernel thread's exe): exe or cwd unknown.
import type { ParseIssue, ParseIssueKind } from '../model/index.js';
import { excerpt, issueAt, lastWord, parseDecimal, splitLines, FileIssues } from './lines.js';

export interface ProcessLinks {
  /** the executable's path as the kernel prints it, without the ` (deleted)` it appends to an unlinked file */
  exe?: string;
  /** the executable was unlinked (replaced by an upgrade, or deleted to hide it) */
  exeDeleted?: true;
  /** the working directory as the kernel prints it (one since removed ends in ` (deleted)`) */
  cwd?: string;
}

const LINK_NAME = /^\/proc\/([0-9]+)\/(exe|cwd)$/;
const ARROW = ' -> ';
/** d_path's mark of a file whose last name was unlinked (fs/d_path.c, prepend " (deleted)") */
const DELETED = ' (deleted)';

export function parseProcLinks(
  text: string,
  file: string,
): { byPid: Map<number, ProcessLinks>; unreadable: number; issues: ParseIssue[] } {
  const byPid = new Map<number, ProcessLinks>();
  let unreadable = 0;
  const issues = new FileIssues(file);

  for (const line of splitLines(text)) {
    const bad = (kind: ParseIssueKind, field: string, why: string): void => {
      issues.push(issueAt(file, line.number, { kind: line.terminated ? kind : 'truncated-line', field, message: `${why}: ${excerpt(line.text)}` }));
    };
    if (!line.text.startsWith('l')) {
      bad('bad-line', 'mode', 'not a symbolic link line of ls -l');
      continue;
    }
    const arrow = line.text.indexOf(ARROW);
    const name = LINK_NAME.exec(lastWord(arrow === -1 ? line.text : line.text.slice(0, arrow)));
    if (name === null) {
      bad('bad-line', 'name', 'the link is not /proc/PID/exe or /proc/PID/cwd');
      continue;
    }
    const pid = parseDecimal(name[1] ?? '');
    if (pid === null) {
      bad('bad-number', 'pid', 'pid out of range');
      continue;
    }
    if (!line.terminated) {
      // the read was cut: the target (or the arrow before it) may be missing its end
      bad('truncated-line', 'target', 'the link target may be cut');
      continue;
    }
    if (arrow === -1) {
      unreadable++;
      continue;
    }
    const target = line.text.slice(arrow + ARROW.length);
    const kind = name[2] === 'exe' ? 'exe' : 'cwd';
    const links = byPid.get(pid) ?? {};
    if (links[kind] !== undefined) {
      bad('bad-line', kind, `a second ${kind} link of pid ${pid}`);
      continue;
    }
    const deleted = kind === 'exe' && target.endsWith(DELETED);
    const path = deleted ? target.slice(0, -DELETED.length) : target;
    if (path === '') {
      bad('bad-line', 'target', 'an empty link target');
      continue;
    }
    if (kind === 'cwd') links.cwd = path;
    else {
      links.exe = path;
      if (deleted) links.exeDeleted = true;
    }
    byPid.set(pid, links);
  }
  return { byPid, unreadable, issues: issues.done() };
}
