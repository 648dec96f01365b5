// Findings as SARIF 2.1.0, for code scanning (GitHub's, and any SARIF viewer): one run, fleetstat as
// its tool with every rule of the run, one result per finding.
// - ruleId is the finding's rule id, which is stable (FS… for built-in rules, policy/… for policy lines).
// - level: critical/high → error, medium → warning, low/info → note; the severity itself is kept in
//   properties, and rules carry GitHub's `security-severity` score and `security` tag.
// - Every result has a location, since GitHub rejects one without: the finding's own (the policy line,
//   the host's inventory line), else line 1 of the checked input. URIs are relative to `%SRCROOT%`
//   (the repository, `srcRoot`) where the file lies under it, else absolute `file:` URIs.
// - partialFingerprints carry the finding's fingerprint hashed (no pid, inode or queues in it), so
//   the same finding on the next run is the same alert, and a fixed one closes.
// - A waived finding (waiver in force) is a result with an external suppression whose justification
//   is the waiver's; one whose waiver expired is unsuppressed, as it counts again. No `status`: the
//   OASIS schema (errata01) names it `status`, the draft-07 copy in the same repository `state`.
// - Hosts that could not be checked are error notifications of the run's invocation: the run
//   succeeded, those hosts are data (house rule 4).
// A result's message is for people, so remote text in it is escaped as for a terminal; properties
// hold the data as it is, in JSON that is safe to print (escape.ts).
import { createHash } from 'node:crypto';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, FindingsResult, RuleDescription, Severity, SourceLocation } from '../model/finding.js';
import { escapeForTerminal, jsonForTerminal } from './escape.js';
import { findingsByHost, findingStatus } from './findings-common.js';

export interface SarifOptions {
  /** fleetstat's version (package.json), for tool.driver.version */
  toolVersion: string;
  /** an absolute URI where fleetstat is described, for tool.driver.informationUri (optional in SARIF: absent, left out) */
  informationUri?: string;
  /** absolute: the directory result URIs are relative to (usually the repository root, the current
   * directory); relative file names are taken as relative to it. Absent: relative names stay as
   * written, absolute ones become `file:` URIs. */
  srcRoot?: string;
}

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const FINGERPRINT_KEY = 'fleetstatFingerprint/v1';
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';
const LEVELS: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub's ranges: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low; info has none
const SECURITY_SEVERITY: Record<Severity, string | undefined> = { critical: '9.5', high: '8.0', medium: '5.0', low: '2.0', info: undefined };

/** `name/with space.yml` → `name/with%20space.yml`: each segment percent-encoded, the slashes kept. */
const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

function artifactLocation(file: string, srcRoot: string | undefined): { uri: string; uriBaseId?: string } {
  if (srcRoot === undefined) return isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: encodePath(posix.normalize(file)), uriBaseId: SRCROOT };
  const absolute = resolve(srcRoot, file);
  const inside = relative(srcRoot, absolute);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { uri: pathToFileURL(absolute).href };
  return { uri: encodePath(inside.split(sep).join('/')), uriBaseId: SRCROOT };
}

function physicalLocation(where: SourceLocation, srcRoot: string | undefined) {
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(where.file, srcRoot),
      region: { startLine: Math.max(1, where.line), ...(where.column !== undefined ? { startColumn: Math.max(1, where.column) } : {}) },
    },
  };
}

function driverRule(r: RuleDescription) {
  const score = SECURITY_SEVERITY[r.severity];
  return {
    id: r.id,
    name: r.name,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.explanation },
    help: { text: `${r.explanation}\n\nTo except it: ${r.exception}` },
    defaultConfiguration: { level: LEVELS[r.severity] },
    properties: { severity: r.severity, tags: ['security'], ...(score !== undefined ? { 'security-severity': score } : {}) },
  };
}

function sarifResult(f: Finding, ruleIndex: ReadonlyMap<string, number>, input: string, srcRoot: string | undefined) {
  const index = ruleIndex.get(f.ruleId);
  const status = findingStatus(f);
  return {
    ruleId: f.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVELS[f.severity],
    message: { text: `${escapeForTerminal(f.host)}: ${escapeForTerminal(f.message)} (evidence: ${escapeForTerminal(f.evidence)})` },
    locations: [physicalLocation(f.location ?? { file: input, line: 1 }, srcRoot)],
    partialFingerprints: { [FINGERPRINT_KEY]: createHash('sha256').update(f.fingerprint).digest('hex') },
    ...(status === 'waived' && f.waiver !== null ? { suppressions: [{ kind: 'external', justification: f.waiver.justification }] } : {}),
    properties: {
      host: f.host,
      groups: f.groups,
      severity: f.severity,
      status,
      evidence: f.evidence,
      subject: f.subject,
      ...(f.waiver !== null ? { waiver: { justification: f.waiver.justification, expires: f.waiver.expires, expired: f.waiver.expired } } : {}),
    },
  };
}

/** The findings as a SARIF 2.1.0 log (JSON, 2-space indent, ending with a newline). */
export function formatFindingsSarif(result: FindingsResult, options: SarifOptions): string {
  const { srcRoot } = options;
  const ruleIndex = new Map(result.rules.map((r, i) => [r.id, i]));
  const findings = findingsByHost(result).flatMap((h) => h.findings);
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'fleetstat', version: options.toolVersion, ...(options.informationUri !== undefined ? { informationUri: options.informationUri } : {}), rules: result.rules.map(driverRule) } },
        ...(srcRoot !== undefined ? { originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(srcRoot.endsWith(sep) ? srcRoot : srcRoot + sep).href } } } : {}),
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: result.source.startedAt,
            toolExecutionNotifications: result.unchecked.map((u) => ({
              level: 'error',
              message: { text: `${escapeForTerminal(u.host)} could not be checked: ${escapeForTerminal(u.status)}: ${escapeForTerminal(u.message)}` },
              properties: { host: u.host, groups: u.groups, status: u.status },
            })),
          },
        ],
        results: findings.map((f) => sarifResult(f, ruleIndex, result.source.input, srcRoot)),
      },
    ],
  };
  return jsonForTerminal(log);
}
