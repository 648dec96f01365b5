// Shared plumbing of the table parsers: lines with their numbers, the header check, issues.
import type { ParseIssue, ParseIssueKind } from '../model/index.js';

export interface TextLine {
  text: string;
  /** 1-based, as an editor or `sed -n Np` counts */
  number: number;
  /** false only for a last line with no newline after it: the read may have been cut there */
  terminated: boolean;
}

/** Splits a file's text into lines. The empty string after a final newline is not a line. */
export function splitLines(text: string): TextLine[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const terminated = parts[parts.length - 1] === '';
  if (terminated) parts.pop();
  return parts.map((line, i) => ({
    text: line,
    number: i + 1,
    terminated: terminated || i < parts.length - 1,
  }));
}

/** What went wrong on one line, before the file name and line number are added. */
export interface LineProblem {
  kind: ParseIssueKind;
  field?: string;
  message: string;
}

export function issueAt(file: string, line: number, problem: LineProblem): ParseIssue {
  const issue: ParseIssue = { kind: problem.kind, file, line, message: problem.message };
  if (problem.field !== undefined) issue.field = problem.field;
  return issue;
}

/**
 * Any problem on a last line that has no newline is reported as `truncated-line`: the kernel ends
 * every line with one, so the likely cause is a read that was cut, not a bad kernel line.
 */
export function lineIssue(file: string, line: TextLine, problem: LineProblem): ParseIssue {
  if (line.terminated) return issueAt(file, line.number, problem);
  return issueAt(file, line.number, {
    kind: 'truncated-line',
    ...(problem.field === undefined ? {} : { field: problem.field }),
    message: `last line ends without a newline and is incomplete: ${problem.message}`,
  });
}

/** The issues kept of one file: a hostile file of bad lines (64 MiB of newlines) would otherwise make one per line. */
export const MAX_ISSUES_PER_FILE = 100;

/** One file's issues: the first MAX_ISSUES_PER_FILE as they come, then done() adds one that counts the rest. */
export class FileIssues {
  private readonly kept: ParseIssue[] = [];
  private dropped = 0;

  constructor(private readonly file: string) {}

  push(issue: ParseIssue): void {
    if (this.kept.length < MAX_ISSUES_PER_FILE) this.kept.push(issue);
    else this.dropped++;
  }

  done(): ParseIssue[] {
    if (this.dropped === 0) return this.kept;
    return [...this.kept, { kind: 'too-many-issues', file: this.file, line: 0, message: `${this.dropped} more issues in this file were not kept` }];
  }
}

/**
 * The data lines of a table whose first line is the kernel's header (e.g. `sl  local_address …`).
 * Checked loosely, by its first word. Without it a `missing-header` issue is raised and every line,
 * the first one included, is still read as data. A header ending in CR marks a copy whose line ends
 * were converted to CRLF (the kernel prints none): one CR is then taken off the end of every line.
 */
export function tableLines(
  text: string,
  file: string,
  headerStart: string,
): { data: TextLine[]; issues: FileIssues } {
  const lines = splitLines(text);
  if (lines[0]?.text.endsWith('\r')) for (const line of lines) if (line.text.endsWith('\r')) line.text = line.text.slice(0, -1);
  const issues = new FileIssues(file);
  const problem = headerProblem(lines[0]?.text, file, headerStart);
  if (problem) issues.push(problem);
  return { data: lines[0] !== undefined && problem === null ? lines.slice(1) : lines, issues };
}

/** The issue of a table's first line (undefined: an empty file) that is not its header; null when it is. */
export function headerProblem(first: string | undefined, file: string, headerStart: string): ParseIssue | null {
  if (first === undefined) return issueAt(file, 1, { kind: 'missing-header', message: `empty file: expected a header starting with "${headerStart}"` });
  if (first.trim().startsWith(headerStart)) return null;
  return issueAt(file, 1, { kind: 'missing-header', message: `the first line is not the header starting with "${headerStart}": ${excerpt(first)}` });
}

/** A line shortened for a message (it may be long or hostile; escaping is the reporter's job). */
export function excerpt(text: string): string {
  const max = 80;
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

const DECIMAL = /^[0-9]+$/;
const HEX = /^[0-9A-Fa-f]+$/;

/** A non-negative decimal integer that fits a JS number exactly, else null. */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** A non-negative hex integer (no 0x) that fits a JS number exactly, else null. */
export function parseHex(text: string): number | null {
  if (!HEX.test(text)) return null;
  const n = parseInt(text, 16);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * A 32-bit unsigned kernel value as printed with `%u`, or with `%d` by older kernels (uid until 4.x,
 * drops until 2019, 5.x), where values of 2^31 and above come out negative: `-2` is 4294967294.
 */
export function parseUnsigned32(text: string): number | null {
  if (!SIGNED_DECIMAL.test(text)) return null;
  const n = Number(text);
  if (n >= 0) return n <= 0xffffffff ? n : null;
  return n >= -0x80000000 ? n + 0x100000000 : null;
}
const SIGNED_DECIMAL = /^-?[0-9]{1,10}$/;

/** A decimal integer, negative allowed (the kernel's `%d`), that fits a JS number exactly, else null. */
export function parseSignedDecimal(text: string): number | null {
  if (!/^-?[0-9]+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** The last blank-separated word of a text, found from its end (a hostile line may hold millions). */
export function lastWord(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  let start = end;
  while (start > 0 && text[start - 1] !== ' ' && text[start - 1] !== '\t') start--;
  return text.slice(start, end);
}

/**
 * The first `max` whitespace-separated columns of a line, and how many there are in all. One pass,
 * and never more than `max` strings however many columns a hostile line has.
 */
export function leadingColumns(text: string, max: number): { columns: string[]; count: number } {
  const columns: string[] = [];
  let count = 0;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const blank = c === 32 || c === 9;
    if (!blank && start === -1) start = i;
    else if (blank && start !== -1) {
      if (count < max) columns.push(text.slice(start, i));
      count++;
      start = -1;
    }
  }
  return { columns, count };
}

/**
 * One row per key. A read of a big table is not atomic, so one socket may be printed twice: the
 * LATER print is the newer state and wins, in the place of the first.
 */
export function keepLastOfEachKey<T>(rows: ReadonlyArray<{ row: T; key: string }>): T[] {
  const at = new Map<string, number>();
  const kept: T[] = [];
  for (const { row, key } of rows) {
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, kept.length);
      kept.push(row);
    } else kept[i] = row;
  }
  return kept;
}
