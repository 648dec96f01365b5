// Findings for a terminal, host by host (what an SRE fixes is a host): each host with findings gets a
// heading and, most severe first, a block per finding: severity, rule, socket and process on the first
// line, then what is wrong, the evidence and the waiver, if any, indented under it. Then the hosts with
// no findings (folded as `nodeset -f` does), the hosts that could not be checked and why, and a
// summary line. Blocks rather than a grid: rule ids, addresses and evidence vary too much in length
// for columns to stay readable at 80 columns. Every line fits the width; every remote string is escaped.
import type { Finding, FindingsResult } from '../model/finding.js';
import { foldNodeset } from '../merge/nodeset.js';
import { escapeForTerminal } from './escape.js';
import { counts, findingsByHost, findingStatus, processText, severityCounts, subjectText } from './findings-common.js';
import { padToWidth, wrapAtCommas, wrapAtSpaces } from './text-layout.js';

export interface FindingsTableOptions {
  /** terminal columns; undefined: no limit */
  width?: number;
  /** severities in colour (ANSI) */
  color?: boolean;
}

/** `  HIGH      `: where a finding's block starts; its other lines are indented as far. */
const SEVERITY_WIDTH = 8;
const INDENT = 2;
const BODY_INDENT = INDENT + SEVERITY_WIDTH + 2;

const RESET = '\x1b[0m';
const SEVERITY_COLOURS: Record<string, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `text` wrapped to `width`, its first line after `first`, the others indented to the same column. */
function hanging(first: string, text: string, width: number | undefined, indent: number): string[] {
  const lines = wrapAtSpaces(text, width === undefined ? undefined : Math.max(8, width - indent));
  // a break at the two spaces between parts leaves one of them at the line's end
  return lines.map((line, i) => ((i === 0 ? first : ' '.repeat(indent)) + line).trimEnd());
}

function waiverLine(f: Finding): string | null {
  const w = f.waiver;
  if (w === null) return null;
  const where = `(${escapeForTerminal(w.location.file)}:${w.location.line})`;
  const why = escapeForTerminal(w.justification);
  if (w.expired) return `waiver expired ${w.expires ?? ''}, counts again: ${why} ${where}`;
  return `waived${w.expires !== null ? ` until ${w.expires}` : ''}: ${why} ${where}`;
}

function findingBlock(f: Finding, rules: ReadonlyMap<string, string>, options: FindingsTableOptions): string[] {
  const { width } = options;
  const label = padToWidth(f.severity.toUpperCase(), SEVERITY_WIDTH, 'left');
  const colour = options.color ? SEVERITY_COLOURS[f.severity] : undefined;
  const shownLabel = colour !== undefined && counts(f) ? `${colour}${label}${RESET}` : label;
  const name = rules.get(f.ruleId);
  const head = [escapeForTerminal(f.ruleId) + (name !== undefined ? ` ${escapeForTerminal(name)}` : ''), escapeForTerminal(subjectText(f.subject)), escapeForTerminal(processText(f.subject.process))]
    .filter((part) => part !== '')
    .join('  ');
  // the waiver first: a waived finding must not read as one that counts until its last line
  const body = [waiverLine(f), escapeForTerminal(f.message), `evidence: ${escapeForTerminal(f.evidence)}`].filter((line): line is string => line !== null);
  return [...hanging(`${' '.repeat(INDENT)}${shownLabel}  `, head, width, BODY_INDENT), ...body.flatMap((line) => hanging(' '.repeat(BODY_INDENT), line, width, BODY_INDENT))];
}

function hostHeading(host: string, groups: readonly string[], findings: readonly Finding[], width: number | undefined): string[] {
  const counted = findings.filter(counts);
  const waived = findings.length - counted.length;
  const tally = [counted.length > 0 ? `${plural(counted.length, 'finding')} (${severityCounts(counted)})` : 'no finding that counts', ...(waived > 0 ? [`${waived} waived`] : [])].join(', ');
  const groupText = groups.length > 0 ? `  [${groups.map(escapeForTerminal).join(', ')}]` : '';
  return wrapAtSpaces(`${escapeForTerminal(host)}${groupText}: ${tally}`, width);
}

function summaryLine(result: FindingsResult): string {
  const counted = result.findings.filter(counts);
  const waived = result.findings.length - counted.length;
  const expired = result.findings.filter((f) => findingStatus(f) === 'expired-waiver').length;
  const checked = `${plural(result.hostsChecked.length, 'host')} checked${result.unchecked.length > 0 ? `, ${result.unchecked.length} could not be` : ''}`;
  const found = counted.length === 0 ? 'no findings' : `${plural(counted.length, 'finding')} (${severityCounts(counted)})`;
  const extra = [...(expired > 0 ? [`${expired} of them with an expired waiver`] : []), ...(waived > 0 ? [`${waived} waived`] : [])];
  return `${checked}: ${found}${extra.length > 0 ? `; ${extra.join(', ')}` : ''}.`;
}

/** The findings as a terminal shows them, ending with a newline. */
export function formatFindingsTable(result: FindingsResult, options: FindingsTableOptions = {}): string {
  const { width } = options;
  const ruleNames = new Map(result.rules.map((r) => [r.id, r.name]));
  const hosts = findingsByHost(result);
  const lines: string[] = [];
  for (const h of hosts.filter((e) => e.findings.length > 0)) {
    if (lines.length > 0) lines.push('');
    lines.push(...hostHeading(h.host, h.groups, h.findings, width));
    for (const f of h.findings) lines.push(...findingBlock(f, ruleNames, options));
  }
  const clean = hosts.filter((e) => e.findings.length === 0).map((e) => e.host);
  if (clean.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(...wrapAtCommas(`No findings on ${plural(clean.length, 'host')}: ${foldNodeset(clean)}`, width, 2));
  }
  if (result.unchecked.length > 0) {
    if (lines.length > 0) lines.push('');
    // a host that could not be scanned has no findings to show, which is not the same as none
    lines.push(...wrapAtSpaces(`Not checked (${plural(result.unchecked.length, 'host')}):`, width));
    for (const u of result.unchecked) {
      lines.push(...hanging(' '.repeat(INDENT), `${escapeForTerminal(u.host)}  ${escapeForTerminal(u.status)}: ${escapeForTerminal(u.message)}`, width, INDENT + 2));
    }
  }
  if (lines.length > 0) lines.push('');
  lines.push(...wrapAtSpaces(result.hostsChecked.length + result.unchecked.length === 0 ? 'No host was checked.' : summaryLine(result), width));
  return `${lines.join('\n')}\n`;
}
