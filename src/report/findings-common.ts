// What every findings format says alike: a finding's status (open, waived, or back because its waiver
// expired), the order findings are shown in, and a socket or process in one line. The text here is
// raw: each format escapes it for where it goes (terminal, CSV, XML, SARIF).
import type { Finding, FindingProcess, FindingSubject, FindingsResult, Severity } from '../model/finding.js';

/** Most severe first: the order of every list of findings and of `bySeverity` in a summary line. */
export const SEVERITIES_DESCENDING: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** `open`: counts; `waived`: a waiver in force excepts it; `expired-waiver`: its waiver ran out, so it counts again. */
export type FindingStatus = 'open' | 'waived' | 'expired-waiver';

export function findingStatus(f: Finding): FindingStatus {
  if (f.waiver === null) return 'open';
  return f.waiver.expired ? 'expired-waiver' : 'waived';
}

/** Findings that count: open ones and those whose waiver expired. */
export function counts(f: Finding): boolean {
  return findingStatus(f) !== 'waived';
}

const severityRank = (s: Severity) => SEVERITIES_DESCENDING.indexOf(s);

/** Most severe first, then those that count before waived ones, then by rule id and fingerprint: the same order on every run. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    Number(!counts(a)) - Number(!counts(b)) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Each checked host (in inventory order) with its findings in compareFindings order; a finding of a host not listed as checked gets its own entry after them, so none is lost. */
export function findingsByHost(result: FindingsResult): Array<{ host: string; groups: string[]; findings: Finding[] }> {
  const byHost = new Map<string, { host: string; groups: string[]; findings: Finding[] }>();
  for (const h of result.hostsChecked) byHost.set(h.host, { host: h.host, groups: h.groups, findings: [] });
  for (const f of result.findings) {
    let entry = byHost.get(f.host);
    if (entry === undefined) {
      entry = { host: f.host, groups: f.groups, findings: [] };
      byHost.set(f.host, entry);
    }
    entry.findings.push(f);
  }
  const entries = [...byHost.values()];
  for (const e of entries) e.findings.sort(compareFindings);
  return entries;
}

/** `tcp 0.0.0.0:3306`, `tcp [::]:22`, `udp 10.0.0.5:53 -> 10.0.0.1:4444`, `unix /run/x.sock`, `packet`, with ` (netns NAME)` when not the host's own; `(no socket)` for a missing required listener. */
export function subjectText(s: FindingSubject): string {
  if (s.proto === null) return s.port !== null ? `(no socket) port ${s.port}` : '(no socket)';
  const endpoint = (address: string | null, port: number | null) => {
    if (s.proto === 'unix') return address ?? '(unbound)';
    if (address === null) return port === null ? '' : `*:${port}`;
    const shown = address.includes(':') ? `[${address}]` : address;
    return port === null ? shown : `${shown}:${port}`;
  };
  const local = endpoint(s.address, s.port);
  const parts = [s.proto, ...(local !== '' ? [local] : [])];
  if (s.remote !== undefined) parts.push('->', endpoint(s.remote.address, s.remote.port));
  if (s.netns !== null) parts.push(`(netns ${s.netns})`);
  return parts.join(' ');
}

/** `sshd (root)`, `bash (uid unknown)`: a process by name and user, never by pid (pids change on restart). */
export function processText(p: FindingProcess | null): string {
  if (p === null) return '';
  return `${p.name} (${p.user ?? 'user unknown'})`;
}

/** `2 high, 1 medium`: the counted findings by severity, most severe first, none when there are none. */
export function severityCounts(findings: readonly Finding[]): string {
  return SEVERITIES_DESCENDING.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}
