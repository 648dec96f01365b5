// known_hosts files: read them (a missing file is fine), and append one line safely. The only I/O
// of host-key handling; parsing and checking are pure (parse.ts, check.ts).
import { mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readFailureReason, readInputText } from '../../local/input-file.js';
import { LocalResourceError } from '../../local/resource-error.js';
import { parseKnownHosts } from './parse.js';
import type { KnownHostEntry, KnownHostsIssue } from './types.js';

/** One known_hosts file: its entries, its issues, and how many lines it has (the next one appended is lines + 1). */
export async function readKnownHostsFile(file: string): Promise<{ entries: KnownHostEntry[]; issues: KnownHostsIssue[]; lines: number }> {
  let text: string;
  try {
    text = readInputText(file, 'known-hosts');
  } catch (err) {
    if (err instanceof LocalResourceError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { entries: [], issues: [], lines: 0 }; // no such file: nothing known there
    const message = `cannot read: ${readFailureReason(err)}`;
    return { entries: [], issues: [{ kind: 'unreadable', file, line: 0, field: 'file', message }], lines: 0 };
  }
  const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return { ...parseKnownHosts(text, file), lines };
}

/** Every entry of the files, in order (user files then global ones, as the caller lists them). */
export async function readKnownHosts(files: readonly string[]): Promise<{ entries: KnownHostEntry[]; issues: KnownHostsIssue[] }> {
  const entries: KnownHostEntry[] = [];
  const issues: KnownHostsIssue[] = [];
  for (const file of files) {
    const read = await readKnownHostsFile(file);
    entries.push(...read.entries);
    issues.push(...read.issues);
  }
  return { entries, issues };
}

/** One queue per file: appends from concurrent host scans in this process never interleave. */
const queues = new Map<string, Promise<void>>();

async function appendNow(file: string, line: string): Promise<void> {
  // hostfile.c hostfile_create_user_ssh_dir(): the directory is created private
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const handle = await open(file, 'a+', 0o600); // O_APPEND | O_CREAT: never rewrites what is there
  try {
    // hostfile.c add_host_to_hostfile(): end an unterminated last line first, or ours would join it
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.write(`${prefix}${line}\n`); // one write(2): O_APPEND keeps it whole against other processes
  } finally {
    await handle.close();
  }
}

/**
 * Appends one known_hosts line (as knownHostsLine() makes it) to `file`, creating the file 0600 and
 * its directory 0700 if missing. Refuses anything that is not exactly one well-formed entry.
 */
export function appendKnownHost(file: string, line: string): Promise<void> {
  const parsed = parseKnownHosts(line, file);
  if (/[\r\n]/.test(line) || parsed.entries.length !== 1 || parsed.issues.length > 0) {
    return Promise.reject(new TypeError(`not one well-formed known_hosts line: ${JSON.stringify(line.slice(0, 80))}`));
  }
  const key = resolve(file);
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => appendNow(file, line));
  queues.set(key, next);
  // forget the queue once it drains, so the map does not grow with every file ever written
  void next.catch(() => undefined).then(() => {
    if (queues.get(key) === next) queues.delete(key);
  });
  return next;
}
