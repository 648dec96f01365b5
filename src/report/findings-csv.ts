// Findings for auditors: one record per finding, in the table's order (host by host, most severe
// first), with its status: `open`, `waived` (a waiver in force: its justification and expiry beside
// it) or `expired-waiver` (the waiver ran out, so the finding counts again). A host that could not be
// checked gets one record too, status `not-checked`: in a sheet, a host with no record must mean a
// host with no findings, never one that was not looked at.
// Remote strings are escaped as in every fleetstat CSV (escape.ts); quoting is csv-stringify's.
import { stringify } from 'csv-stringify/sync';
import type { Finding, FindingsResult, UncheckedHost } from '../model/finding.js';
import { csvList, escapeForCsv } from './escape.js';
import { findingsByHost, findingStatus } from './findings-common.js';

export const FINDINGS_CSV_COLUMNS = [
  'host',
  'groups',
  'rule',
  'rule_name',
  'severity',
  'status',
  'message',
  'proto',
  'address',
  'port',
  'netns',
  'remote',
  'process',
  'user',
  'evidence',
  'waiver',
  'expires',
  'location',
] as const;

type Row = Record<(typeof FINDINGS_CSV_COLUMNS)[number], string | number>;

const place = (l: { file: string; line: number; column?: number } | null) => (l === null ? '' : escapeForCsv(`${l.file}:${l.line}${l.column !== undefined ? `:${l.column}` : ''}`));

function findingRow(f: Finding, ruleNames: ReadonlyMap<string, string>): Row {
  const s = f.subject;
  return {
    host: escapeForCsv(f.host),
    groups: csvList(f.groups),
    rule: escapeForCsv(f.ruleId),
    rule_name: escapeForCsv(ruleNames.get(f.ruleId) ?? ''),
    severity: f.severity,
    status: findingStatus(f),
    message: escapeForCsv(f.message),
    proto: escapeForCsv(s.proto ?? ''),
    address: escapeForCsv(s.address ?? ''),
    port: s.port ?? '',
    netns: escapeForCsv(s.netns ?? ''),
    // `address:port` as ss writes a peer, brackets around IPv6
    remote: s.remote === undefined ? '' : escapeForCsv(`${s.remote.address.includes(':') ? `[${s.remote.address}]` : s.remote.address}:${s.remote.port}`),
    process: escapeForCsv(s.process?.name ?? ''),
    user: escapeForCsv(s.process?.user ?? ''),
    evidence: escapeForCsv(f.evidence),
    waiver: escapeForCsv(f.waiver?.justification ?? ''),
    expires: escapeForCsv(f.waiver?.expires ?? ''),
    location: place(f.location),
  };
}

function uncheckedRow(u: UncheckedHost): Row {
  const row = Object.fromEntries(FINDINGS_CSV_COLUMNS.map((c) => [c, ''])) as Row;
  return { ...row, host: escapeForCsv(u.host), groups: csvList(u.groups), status: 'not-checked', message: escapeForCsv(`${u.status}: ${u.message}`) };
}

/** Header, one record per finding, then one per host that could not be checked. */
export function formatFindingsCsv(result: FindingsResult): string {
  const ruleNames = new Map(result.rules.map((r) => [r.id, r.name]));
  const rows = [...findingsByHost(result).flatMap((h) => h.findings.map((f) => findingRow(f, ruleNames))), ...result.unchecked.map(uncheckedRow)];
  return stringify(rows, { header: true, columns: [...FINDINGS_CSV_COLUMNS] });
}
