// The findings as SARIF 2.1.0: as the golden file; valid against both SARIF 2.1.0 JSON schemas of
// oasis-tcs/sarif-spec (test/report/schemas/README.md: the draft-07 copy, and the OASIS errata01 text,
// draft-04 in name only) with ajv, formats checked by ajv-formats (uri, uri-reference, date-time:
// GitHub rejects a log whose URIs do not parse); what code scanning needs of each result:
// a stable ruleId, a level, a location, a fingerprint, a suppression for a waiver in force.
import { createHash } from 'node:crypto';
import { FINGERPRINT_KEY, formatFindingsSarif, SARIF_SCHEMA_URI, type SarifOptions } from '../../src/report/findings-sarif.js';
import { cleanResult, findingsResult, golden, INVENTORY, POLICY, RULES } from './findings-fixtures.js';
import { sarifErrors } from '../helpers/findings-schemas.js';


const OPTIONS: SarifOptions = { toolVersion: '0.1.0', informationUri: 'https://example.org/fleetstat' };

interface Result {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn?: number } } }>;
  partialFingerprints: Record<string, string>;
  suppressions?: unknown[];
  properties: { host: string; status: string; evidence: string };
}
interface Log {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<{ id: string; defaultConfiguration: { level: string }; properties: Record<string, unknown> }> } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }>;
    results: Result[];
  }>;
}

const sarif = (options: SarifOptions = OPTIONS, result = findingsResult()) => JSON.parse(formatFindingsSarif(result, options)) as Log;
const results = (options?: SarifOptions) => sarif(options).runs[0]!.results;

test('as the golden file', () => {
  const text = formatFindingsSarif(findingsResult(), OPTIONS);
  expect(text).toBe(golden('findings.sarif.json', text));
});

describe('against the SARIF 2.1.0 schema', () => {
  test.each([
    ['the fixture fleet', () => sarif()],
    ['a clean check', () => sarif(OPTIONS, cleanResult())],
    ['with a source root', () => sarif({ ...OPTIONS, srcRoot: '/srv/repo' })],
  ])('%s validates', (_, make) => {
    expect(sarifErrors(make())).toEqual([]);
  });

  test('the check can fail: a result without a message, a URI with a space', () => {
    const log = sarif();
    delete (log.runs[0]!.results[0] as Partial<Result>).message;
    log.runs[0]!.results[1]!.locations[0]!.physicalLocation.artifactLocation.uri = 'inventory/prod hosts.yml';
    expect(sarifErrors(log)).toEqual([
      '/runs/0/results/0: must have required property \'message\'',
      '/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri: must match format "uri-reference"',
    ]);
  });

  test('both schemas are applied: only errata01 wants a region to say where it starts', () => {
    const log = sarif();
    log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region = {} as { startLine: number };
    expect(sarifErrors(log)).toContain('/runs/0/results/0/locations/0/physicalLocation/region: must match a schema in anyOf');
  });
});

test('the log: its schema, version, one run, fleetstat with every rule', () => {
  const log = sarif();
  expect([log.$schema, log.version, log.runs.length]).toEqual([SARIF_SCHEMA_URI, '2.1.0', 1]);
  const driver = log.runs[0]!.tool.driver;
  expect([driver.name, driver.version, driver.informationUri]).toEqual(['fleetstat', '0.1.0', 'https://example.org/fleetstat']);
  expect(driver.rules.map((r) => [r.id, r.defaultConfiguration.level, r.properties.severity, r.properties['security-severity']])).toEqual([
    ['FS001', 'error', 'high', '8.0'],
    ['FS003', 'error', 'high', '8.0'],
    ['FS004', 'warning', 'medium', '5.0'],
    ['FS007', 'error', 'high', '8.0'],
    ['FS010', 'note', 'low', '2.0'],
    ['policy/web/forbidden/1', 'error', 'critical', '9.5'],
  ]);
  expect(driver.rules).toHaveLength(RULES.length);
});

test('results: rule id and index, level by severity, a location for every one', () => {
  expect(results().map((r) => [r.properties.host, r.ruleId, r.ruleIndex, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region])).toEqual([
    ['web1', 'policy/web/forbidden/1', 5, 'error', 'policy/ports.yml', { startLine: 12, startColumn: 5 }],
    ['web1', 'FS001', 0, 'error', 'inventory/prod%20hosts.yml', { startLine: 3 }],
    ['web1', 'FS010', 4, 'note', 'inventory/prod%20hosts.yml', { startLine: 3 }],
    ['web1', 'FS010', 4, 'note', 'inventory/prod%20hosts.yml', { startLine: 3 }],
    // no location of its own: line 1 of the checked input
    ['web2', 'FS003', 1, 'error', 'inventory/prod%20hosts.yml', { startLine: 1 }],
    ['db1', 'FS004', 2, 'warning', 'inventory/prod%20hosts.yml', { startLine: 3 }],
    ['db1', 'FS010', 4, 'note', 'inventory/prod%20hosts.yml', { startLine: 3 }],
  ]);
  for (const r of results()) expect(r.locations[0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
});

test('a waiver in force is an external suppression; an expired one is not', () => {
  const byStatus = Object.fromEntries(results().map((r) => [r.properties.status, r]));
  expect(byStatus.waived!.suppressions).toEqual([{ kind: 'external', justification: 'Metrics exporter, scraped by Prometheus; ticket OPS-12' }]);
  expect(byStatus['expired-waiver']!.suppressions).toBeUndefined();
  expect(byStatus.open!.suppressions).toBeUndefined();
});

test('partialFingerprints: the finding’s fingerprint hashed, the same whatever the pid', () => {
  const first = findingsResult();
  const restarted = findingsResult();
  restarted.findings = restarted.findings.map((f) => ({ ...f, subject: { ...f.subject, process: f.subject.process && { ...f.subject.process, pid: f.subject.process.pid + 1000 } } }));
  const prints = (r: ReturnType<typeof findingsResult>) => (JSON.parse(formatFindingsSarif(r, OPTIONS)) as Log).runs[0]!.results.map((x) => x.partialFingerprints[FINGERPRINT_KEY]);
  expect(prints(restarted)).toEqual(prints(first));
  expect(prints(first)[1]).toBe(createHash('sha256').update(first.findings[1]!.fingerprint).digest('hex'));
  expect(new Set(prints(first)).size).toBe(first.findings.length);
});

test('messages: the host first, remote text escaped; properties keep it as it was', () => {
  const shell = results()[1]!;
  expect(shell.message.text).toBe("web1: A shell listens on tcp 0.0.0.0:4444 (evidence: =cmd|' /C calc'!A0 -c 'x'\\r\\n=1+1\\tnext\\x1b[31m)");
  expect(shell.properties.evidence).toBe(findingsResult().findings[1]!.evidence);
  expect(formatFindingsSarif(findingsResult(), OPTIONS)).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
});

test('hosts that could not be checked: error notifications of a successful invocation', () => {
  const invocation = sarif().runs[0]!.invocations[0]!;
  expect(invocation.executionSuccessful).toBe(true);
  expect(invocation.toolExecutionNotifications.map((n) => [n.level, n.message.text])).toEqual([['error', 'db9 could not be checked: unreachable: connect ECONNREFUSED 10.0.0.9:22\\x1b[31m\\x01']]);
});

describe('URIs against a source root', () => {
  const uris = (srcRoot: string, files: string[]) => {
    const result = findingsResult();
    result.findings = files.map((file) => ({ ...result.findings[0]!, location: { file, line: 2 } }));
    const log = sarif({ ...OPTIONS, srcRoot }, result);
    expect(sarifErrors(log)).toEqual([]);
    return { base: log.runs[0]!.originalUriBaseIds, uris: log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation) };
  };

  test('relative names are taken from the root, absolute ones under it made relative, others file: URIs', () => {
    expect(uris('/srv/repo', [POLICY, '/srv/repo/inventory/prod hosts.yml', '/etc/ansible/hosts', '../other/x.yml', './a/../b#1.yml'])).toEqual({
      base: { '%SRCROOT%': { uri: 'file:///srv/repo/' } },
      uris: [
        { uri: 'policy/ports.yml', uriBaseId: '%SRCROOT%' },
        { uri: 'inventory/prod%20hosts.yml', uriBaseId: '%SRCROOT%' },
        { uri: 'file:///etc/ansible/hosts' },
        { uri: 'file:///srv/other/x.yml' },
        { uri: 'b%231.yml', uriBaseId: '%SRCROOT%' },
      ],
    });
  });

  test('without a root, an absolute name is a file: URI', () => {
    const result = findingsResult();
    result.findings = [{ ...result.findings[0]!, location: { file: `/home/me/${INVENTORY}`, line: 7 } }];
    expect(sarif(OPTIONS, result).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'file:///home/me/inventory/prod%20hosts.yml' });
  });
});
