// Per-process files the collection reads for pids that hold sockets.
import type { ParseIssue, Parsed } from '../model/index.js';
import { excerpt, parseDecimal } from './lines.js';

/**
 * /proc/PID/cmdline: argv joined by NULs, normally with a NUL after the last one. Only that one
 * trailing NUL is dropped: more NULs are empty arguments (or setproctitle padding) and are kept as
 * the kernel gave them. Empty (kernel threads, zombies, unreadable) → [].
 */
export function parseCmdline(raw: string): string[] {
  if (raw === '') return [];
  const body = raw.endsWith('\0') ? raw.slice(0, -1) : raw;
  return body.split('\0');
}

/** /proc/PID/comm: the name and one newline. Only that newline goes; the name itself is kept verbatim. */
export function parseComm(raw: string): string {
  return raw.endsWith('\n') ? raw.slice(0, -1) : raw;
}

/**
 * The effective uid the script took from the `Uid:` line of /proc/PID/status (decimal). Empty means
 * the process exited or its status could not be read.
 */
export function parseUid(raw: string, file: string): Parsed<number> {
  const text = raw.trim();
  const uid = parseDecimal(text);
  if (uid !== null && uid <= 0xffffffff) return { rows: [uid], issues: [] };
  const issue: ParseIssue = {
    kind: text === '' ? 'too-few-fields' : 'bad-number',
    file,
    line: 1,
    field: 'Uid',
    message: text === '' ? 'no uid (the process may have exited)' : `bad uid ${excerpt(raw)}`,
  };
  return { rows: [], issues: [issue] };
}
