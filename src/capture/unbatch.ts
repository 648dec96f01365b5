// Format 4 reads many files with one command (a `head` per namespace for all its tables, a grep per
// 250 processes for their status and cmdline files) to spare the host its forks. This turns those
// batched sections back into the one-file sections of earlier formats (net.tcp NS, proc.name PID …),
// byte for byte, so that every reader knows one shape. Pure: sections in, sections and issues out.
import type { CaptureSection, ParseIssue } from '../model/index.js';
import { NET_TABLES, SECTION } from './format.js';

/** The order the script hands the tables to `head`: unix last (see collect.sh, head_tables). */
export const HEAD_TABLE_ORDER: readonly string[] = [...NET_TABLES.filter((t) => t !== 'unix'), 'unix'];

const HEAD_FIRST = '==> /dev/null <==\n';
const HEADER = new RegExp(`\\n==> (${HEAD_TABLE_ORDER.join('|')}) <==\\n`, 'g');

type Status = CaptureSection['status'];

export interface Unbatched {
  sections: CaptureSection[];
  issues: ParseIssue[];
}

/**
 * `complete`: whether the capture reached its end marker; when not, its last section was cut off, and
 * the table a cut `net.tables` stops in reads as an error (as a cut `net.tcp` did).
 */
export function unbatchSections(sections: readonly CaptureSection[], complete: boolean): Unbatched {
  const out: CaptureSection[] = [];
  const issues: ParseIssue[] = [];
  const absentOf = new Map<string, string>();
  const cutOff = (s: CaptureSection) => !complete && s === sections.at(-1);
  const find = (name: string) => sections.find((s) => s.name === name);
  const listeningOf = new Map(sections.filter((s) => s.name === SECTION.netListening).map((s) => [s.arg, s]));
  for (const s of sections) {
    if (s.name === SECTION.netAbsent) absentOf.set(s.arg, s.status === 'ok' ? s.text : '');
    else if (s.name === SECTION.netTables) out.push(...unbatchTables(s, absentOf.get(s.arg) ?? '', listeningOf.get(s.arg), cutOff, issues));
    else if (s.name === SECTION.procHolders) out.push(...unbatchHolders(s, find(SECTION.procStatus), find(SECTION.procCmdlines), issues));
    else if (s.name !== SECTION.procStatus && s.name !== SECTION.procCmdlines && s.name !== SECTION.netListening) out.push(s);
  }
  return { sections: out, issues };
}

/** The tables `net.listening` carries when the scan wanted only listening TCP sockets (collect.sh L=1). */
const LISTENING_TABLES: readonly string[] = ['tcp', 'tcp6'];

/**
 * One namespace's `head` output → its twelve `net.*` sections, in the format's table order; tcp and
 * tcp6 from `listening` instead when the scan wanted only listeners (their text then holds only the
 * LISTEN rows).
 */
function unbatchTables(
  batch: CaptureSection,
  absentText: string,
  listening: CaptureSection | undefined,
  cutOff: (s: CaptureSection) => boolean,
  issues: ParseIssue[],
): CaptureSection[] {
  const absent = new Set(absentText.split(' ').filter((t) => t !== ''));
  const inListening = (t: string) => listening !== undefined && LISTENING_TABLES.includes(t);
  const main = readHeadSection(batch, HEAD_TABLE_ORDER.filter((t) => !absent.has(t) && !inListening(t)), cutOff(batch), issues);
  const listeners = listening ? readHeadSection(listening, LISTENING_TABLES.filter((t) => !absent.has(t)), cutOff(listening), issues) : new Map<string, CaptureSection>();
  return NET_TABLES.map((table): CaptureSection => {
    const name = `net.${table}`;
    if (absent.has(table)) return { name, arg: batch.arg, status: 'absent', text: '' };
    const read = (inListening(table) ? listeners : main).get(table);
    return { name, arg: batch.arg, status: read?.status ?? 'error', text: read?.text ?? '' };
  });
}

/** One section of head's output → each expected table's status and bytes. */
function readHeadSection(batch: CaptureSection, expected: readonly string[], cutOff: boolean, issues: ParseIssue[]): Map<string, CaptureSection> {
  const text = new Map<string, string>();
  if (expected.length > 0 && batch.text !== '') {
    if (!batch.text.startsWith(HEAD_FIRST)) {
      issues.push({ kind: 'bad-line', file: `(${batch.name} ${batch.arg})`, line: 1, message: `head's output does not start with ${JSON.stringify(HEAD_FIRST.trim())}` });
    } else {
      splitHeadOutput(batch.text, expected, text);
    }
  }
  // a table head never reached: its reader exited (gone), or head could not read it (error)
  const unread: Status = batch.status === 'gone' ? 'gone' : 'error';
  const last = expected.filter((t) => text.has(t)).pop();
  return new Map(
    expected.map((table): [string, CaptureSection] => {
      const bytes = text.get(table);
      const status: Status = bytes === undefined ? unread : cutOff && table === last ? 'error' : 'ok';
      return [table, { name: `net.${table}`, arg: batch.arg, status, text: bytes ?? '' }];
    }),
  );
}

/**
 * Headers are taken only in the order the tables were given, each after the one before: a header-like
 * line inside a table can only be in unix's paths (the other tables are numbers the kernel prints),
 * and unix is last, so nothing after its header is taken for one.
 */
function splitHeadOutput(output: string, expected: readonly string[], into: Map<string, string>): void {
  let next = 0; // index in `expected` of the first table whose header may come
  let open: string | undefined; // the table whose bytes are being read
  let from = 0;
  HEADER.lastIndex = HEAD_FIRST.length;
  for (let m = HEADER.exec(output); m !== null; m = HEADER.exec(output)) {
    const at = expected.indexOf(m[1]!, next);
    if (at === -1) continue;
    if (open !== undefined) into.set(open, output.slice(from, m.index));
    open = m[1]!;
    from = m.index + m[0].length;
    next = at + 1;
    if (next === expected.length) break;
  }
  if (open !== undefined) into.set(open, output.slice(from));
}

const STATUS_LINE = /^\/proc\/([0-9]{1,10})\/status:(Name|Uid):\t?(.*)$/;
/** How many socket holders without a status line (gone before it was read) become sections. */
export const MAX_UNSEEN_HOLDERS = 4096;
const CMDLINE_RECORD = /^\/proc\/([0-9]{1,10})\/cmdline:/;

/**
 * proc.holders (the pids), proc.status (grep -H of their Name: and Uid: lines) and proc.cmdlines
 * (grep -z -H of their cmdlines) → proc.name, proc.uid and proc.cmdline per pid. A pid with no Name:
 * line had exited: its sections say `gone`. Where the host's grep had no -z, proc.cmdlines is
 * `absent` and the script wrote per-pid proc.cmdline sections itself: they stay as they are.
 */
function unbatchHolders(
  holders: CaptureSection,
  status: CaptureSection | undefined,
  cmdlines: CaptureSection | undefined,
  issues: ParseIssue[],
): CaptureSection[] {
  const pids = [...new Set(holders.text.split(' ').filter((p) => /^[1-9][0-9]{0,9}$/.test(p)))];
  const names = new Map<string, string>();
  const uids = new Map<string, string>();
  const statusRead = status?.status === 'ok';
  if (status !== undefined) {
    status.text.split('\n').forEach((line, i) => {
      if (line === '') return;
      const m = STATUS_LINE.exec(line);
      if (m === null) {
        issues.push({ kind: 'bad-line', file: '/proc/*/status', line: i + 1, message: `not a /proc/PID/status:Name: or Uid: line: ${JSON.stringify(line.slice(0, 80))}` });
      } else if (m[2] === 'Name') {
        names.set(m[1]!, m[3]!);
      } else {
        // Uid: real, effective, saved, fs
        uids.set(m[1]!, m[3]!.split(/\s+/)[1] ?? '');
      }
    });
  }
  const batchedCmdlines = cmdlines !== undefined && cmdlines.status !== 'absent';
  const cmdlineOf = batchedCmdlines && cmdlines.status === 'ok' ? cmdlineRecords(cmdlines.text, issues) : new Map<string, string>();
  const missing: Status = statusRead ? 'gone' : 'error';
  // A pid costs the host a few bytes here, and three sections to us: the ones with no status line
  // (exited meanwhile: a few, normally) are kept up to a bound, so that a host cannot make a list of
  // millions into millions of sections (format 3 wrote a section per pid, ~60 bytes each).
  let unseen = 0;
  const kept = pids.filter((pid) => names.has(pid) || uids.has(pid) || ++unseen <= MAX_UNSEEN_HOLDERS);
  if (unseen > MAX_UNSEEN_HOLDERS) {
    issues.push({ kind: 'too-many-issues', file: '/proc/*/status', line: 0, message: `${unseen} socket holders have no status line: the first ${MAX_UNSEEN_HOLDERS} are kept` });
  }
  return kept.flatMap((pid) => {
    const name = names.get(pid);
    const uid = uids.get(pid);
    const sections: CaptureSection[] = [
      { name: SECTION.procName, arg: pid, status: name === undefined ? missing : 'ok', text: name ?? '' },
      { name: SECTION.procUid, arg: pid, status: uid === undefined ? missing : 'ok', text: uid ?? '' },
    ];
    if (batchedCmdlines) sections.push({ name: SECTION.procCmdline, arg: pid, status: cmdlines.status === 'ok' ? 'ok' : 'error', text: cmdlineOf.get(pid) ?? '' });
    return sections;
  });
}

/**
 * `/proc/PID/cmdline:STRING` records, each ended by a NUL: the file's strings, each given back its
 * NUL. (A file without a final NUL reads the same: parseCmdline drops one final NUL either way.)
 */
function cmdlineRecords(text: string, issues: ParseIssue[]): Map<string, string> {
  const byPid = new Map<string, string>();
  const records = text.split('\0');
  // the text ends with a record's NUL: the last piece is empty
  const unended = records.pop();
  if (unended !== '') issues.push({ kind: 'truncated-line', file: '/proc/*/cmdline', line: records.length + 1, message: 'the last cmdline string has no NUL' });
  records.forEach((record, i) => {
    const m = CMDLINE_RECORD.exec(record);
    if (m === null) {
      issues.push({ kind: 'bad-line', file: '/proc/*/cmdline', line: i + 1, message: `not a /proc/PID/cmdline: record: ${JSON.stringify(record.slice(0, 80))}` });
      return;
    }
    byPid.set(m[1]!, (byPid.get(m[1]!) ?? '') + record.slice(m[0].length) + '\0');
  });
  return byPid;
}
