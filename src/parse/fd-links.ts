// Which process holds which socket: the `fdlinks` section, i.e. the output of
//   ls -ln /proc/[0-9]*/fd/ | grep -e '^/proc/' -e ' -> socket:\[' -e ' -> \[0000\]:' -e '^l[^>]*$'
// which keeps the directory headers, the socket links (and the legacy `[0000]:N` form, used by old
// kernels for sockets), and link lines without ` -> `: links ls was not allowed to read.
//   /proc/123/fd/:
//   lrwx------ 1 0 0 64 Nov 26 14:08 7 -> socket:[12345]
//   lrwx------ 1 0 0 64 Nov 26 14:08 8
// The date's form varies (GNU, busybox, old files), so the fd is found as the last word before ` -> `.
import type { ParseIssue, Parsed } from '../model/index.js';
import { excerpt, issueAt, lastWord, parseDecimal, splitLines, FileIssues } from './lines.js';

export interface FdLink {
  pid: number;
  fd: number;
  /** the socket's inode, as in the `inode` column of /proc/net/* */
  inode: number;
}

const HEADER = /^\/proc\/([0-9]+)\/fd\/?:$/;
const SOCKET_TARGET = /^socket:\[([0-9]+)\]$/;
const LEGACY_SOCKET_TARGET = /^\[0000\]:([0-9]+)$/;
const ARROW = ' -> ';

export function parseFdLinks(
  text: string,
  file: string,
): { links: FdLink[]; unreadable: number[]; issues: ParseIssue[] } {
  const links: FdLink[] = [];
  // a Set: a hostile host may list any number of unreadable links, and each pid is kept once
  const unreadable = new Set<number>();
  const issues = new FileIssues(file);
  // undefined: no header yet; null: the last header's pid was unusable
  let pid: number | null | undefined;

  for (const line of splitLines(text)) {
    const bad = (kind: ParseIssue['kind'], field: string | undefined, why: string): void => {
      issues.push(
        issueAt(file, line.number, {
          kind: line.terminated ? kind : 'truncated-line',
          ...(field === undefined ? {} : { field }),
          message: `${why}: ${excerpt(line.text)}`,
        }),
      );
    };
    // ls separates directories with blank lines, and the script ends the section with a newline
    if (line.text.trim() === '') continue;

    const header = HEADER.exec(line.text);
    if (header) {
      pid = parseDecimal(header[1] ?? '');
      if (pid === null) bad('bad-number', 'pid', 'pid out of range');
      continue;
    }
    if (!line.text.startsWith('l')) {
      bad('bad-line', undefined, 'neither a /proc/PID/fd/: header nor a link line');
      continue;
    }
    if (pid === undefined) {
      bad('bad-line', 'pid', 'link line before any /proc/PID/fd/: header');
      continue;
    }
    if (pid === null) {
      bad('bad-line', 'pid', 'link line under a header with a bad pid');
      continue;
    }

    const arrow = line.text.indexOf(ARROW);
    // fd names are numbers, so the first ` -> ` ends the name even if the target contains another
    const left = arrow === -1 ? line.text : line.text.slice(0, arrow);
    const fdText = lastWord(left);
    const fd = parseDecimal(fdText);
    if (fd === null) {
      bad('bad-number', 'fd', `bad fd "${fdText}"`);
      continue;
    }
    if (arrow === -1 && !line.terminated) {
      // a cut line may have lost its ` -> target`: do not count it as unreadable
      bad('truncated-line', 'target', 'no link target');
      continue;
    }
    if (arrow === -1) {
      // ls could not read the link (another user's process, without root): the socket stays unattributed
      unreadable.add(pid);
      continue;
    }
    const target = line.text.slice(arrow + ARROW.length);
    const socket = SOCKET_TARGET.exec(target) ?? LEGACY_SOCKET_TARGET.exec(target);
    const inode = socket ? parseDecimal(socket[1] ?? '') : null;
    if (inode === null) {
      bad('bad-line', 'target', 'link target is not socket:[INODE] or [0000]:INODE');
      continue;
    }
    links.push({ pid, fd, inode });
  }
  return { links, unreadable: [...unreadable], issues: issues.done() };
}

/** The `fd.unreadable` section: one pid per line, for fd directories that could not be listed at all. */
export function parseUnreadablePids(text: string, file: string): Parsed<number> {
  const rows = new Set<number>();
  const issues = new FileIssues(file);
  for (const line of splitLines(text)) {
    const pid = parseDecimal(line.text.trim());
    if (pid === null) {
      issues.push(
        issueAt(file, line.number, {
          kind: line.terminated ? 'bad-number' : 'truncated-line',
          field: 'pid',
          message: `not a pid: ${excerpt(line.text)}`,
        }),
      );
      continue;
    }
    rows.add(pid);
  }
  return { rows: [...rows], issues: issues.done() };
}
