// `fleetstat check INPUT [--policy FILE]` as a user runs it: scan JSON or a snapshot in, findings out
// as table / JSON / CSV / JUnit / SARIF; waivers valid, expired, unknown; the policy's errors one line
// with file:line:col and key, exit 2; exit 1 on findings at or above --fail-on, plus 4 for an
// unreachable host. The JUnit and SARIF the command prints validate against their schemas.
import type { FindingsResult } from '../../src/model/finding.js';
import type { HostScan, ScanResult, Socket } from '../../src/model/index.js';
import { formatJson } from '../../src/report/json.js';
import { fleetstat, scratch } from '../helpers/run-cli.js';
import { readCsvWithPython } from '../helpers/python-csv.js';
import { schemaErrors } from '../helpers/schema.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { lintJunit, sarifErrors } from '../helpers/findings-schemas.js';
import { facts, inet, proc, web1 } from '../report/scan-fixtures.js';

const { file } = scratch('check');
const scanOf = (hosts: HostScan[]): ScanResult => ({ schema: 'fleetstat/scan@1', startedAt: '2026-06-01T00:00:00.000Z', finishedAt: '2026-06-01T00:00:01.000Z', hosts });
const host = (name: string, groups: string[], sockets: Socket[], status: HostScan['status'] = 'ok'): HostScan => ({ ...web1(), name, groups, status, sockets, facts: facts(), ...(status === 'ok' ? {} : { error: { kind: status, message: 'connect ECONNREFUSED 127.0.0.9:22' } }) });
const listen = (port: number, name: string, address = '0.0.0.0', cmdline = [name], pid = port): Socket => inet({ proto: 'tcp', state: 'LISTEN', local: { address, port }, inode: pid, processes: [proc(pid, name, 'root', 0, cmdline)] });
const sshd = listen(22, 'sshd', '0.0.0.0', ['/usr/sbin/sshd', '-D']);

const fleet = [
  host('web1', ['web'], [sshd, listen(80, 'nginx'), listen(4444, 'bash', '0.0.0.0', ['bash', '-i'])]),
  host('web2', ['web'], [sshd, listen(80, 'nginx')]),
  host('db1', ['db'], [sshd, listen(5432, 'postgres')]),
];
const withDown = file('fleet.json', formatJson(scanOf([...fleet, host('gw1', ['gw'], [], 'unreachable')])));
const allUp = file('up.json', formatJson(scanOf(fleet)));
const policy = file(
  'policy.yml',
  [
    'schema: fleetstat/policy@1',
    'groups:',
    '  all:',
    '    required:',
    '      - {proto: tcp, port: 22, process: sshd}',
    '  web:',
    '    forbidden:',
    '      - {proto: tcp, port: 80, process: nginx, severity: low, reason: TLS only}',
    'waivers:',
    '  - rule: FS008',
    '    hosts: [db1]',
    '    justification: replica network only, firewalled',
    '    expiration_date: 2027-03-31',
    '  - rule: FS001',
    '    hosts: [web1]',
    '    justification: a training box',
    '    expiration_date: 2026-06-01',
    '',
  ].join('\n'),
);
const json = (args: string[]) => {
  const run = fleetstat(['check', ...args, '--json']);
  return { run, result: JSON.parse(run.stdout) as FindingsResult };
};
const rows = (r: FindingsResult) => r.findings.map((f) => [f.host, f.ruleId, f.severity, f.subject.port, f.waiver === null ? 'open' : f.waiver.expired ? 'expired' : 'waived']);

test('built-in rules only: the bind shell and the exposed postgres; the unreachable host is not checked; exit 1 + 4', () => {
  const { run, result } = json([withDown, '--as-of', '2026-06-01']);
  expect(schemaErrors(result, 'findings')).toEqual([]);
  expect(rows(result)).toEqual([
    ['db1', 'FS008', 'medium', 5432, 'open'],
    ['web1', 'FS001', 'high', 4444, 'open'],
    ['web1', 'FS010', 'low', 4444, 'open'],
  ]);
  expect(result.unchecked).toEqual([{ host: 'gw1', groups: ['gw'], status: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.9:22' }]);
  expect(result.hostsChecked.map((h) => h.host)).toEqual(['db1', 'web1', 'web2']);
  expect(run.status).toBe(5);
});

test('with the policy: a valid waiver silences FS008, an expired one (from its expiration_date on) does not; forbidden entries are findings', () => {
  const { run, result } = json([allUp, '--policy', policy, '--as-of', '2026-06-01']);
  expect(schemaErrors(result, 'findings')).toEqual([]);
  expect(rows(result)).toEqual([
    ['db1', 'FS008', 'medium', 5432, 'waived'],
    ['web1', 'FS001', 'high', 4444, 'expired'],
    ['web1', 'FS010', 'low', 4444, 'open'],
    ['web1', 'policy.forbidden', 'low', 80, 'open'],
    ['web2', 'policy.forbidden', 'low', 80, 'open'],
  ]);
  expect(result.summary).toMatchObject({ findings: 5, waived: 1 });
  expect(run.status).toBe(1);
  // the day before its expiration_date, the FS001 waiver still holds
  expect(rows(json([allUp, '--policy', policy, '--as-of', '2026-05-31']).result)[1]).toEqual(['web1', 'FS001', 'high', 4444, 'waived']);
});

test('--fail-on: exit 1 only for findings at or above it that count (waived ones never)', () => {
  const status = (failOn: string, asOf = '2026-06-01') => fleetstat(['check', allUp, '--policy', policy, '--as-of', asOf, '--fail-on', failOn, '-q']).status;
  expect([status('critical'), status('high'), status('none')]).toEqual([0, 1, 0]);
  // with FS001 waived, nothing high counts
  expect(status('high', '2026-05-31')).toBe(0);
  expect(status('low', '2026-05-31')).toBe(1);
  // the default is medium: low findings (an unnamed port, a low forbidden entry) are reported, not failed on
  expect(fleetstat(['check', allUp, '--policy', policy, '--as-of', '2026-05-31', '-q']).status).toBe(0);
});

test('a waiver that matches nothing is a warning naming its line; the run goes on', () => {
  const stale = file('stale.yml', 'schema: fleetstat/policy@1\nwaivers:\n  - rule: FS002\n    justification: old netcat relay\n');
  const run = fleetstat(['check', allUp, '--policy', stale, '--fail-on', 'none']);
  expect(run.status).toBe(0);
  expect(run.stderr).toMatch(new RegExp(`^fleetstat: warning: ${stale}:3:5: the waiver for FS002 matched no finding$`, 'm'));
});

test('the policy\'s errors: one line, file:line:col: key: what, exit 2 (unknown rule, unknown key, bad date)', () => {
  for (const [text, message] of [
    ['schema: fleetstat/policy@1\nwaivers:\n  - rule: FS099\n    justification: x\n', /:3:11: waivers\[0\]\.rule: .*FS099/],
    ['schema: fleetstat/policy@1\ngroups:\n  web:\n    alowed: []\n', /:4:5: groups\.web\.alowed: .*allowed/],
    ['schema: fleetstat/policy@1\nwaivers:\n  - rule: FS001\n    justification: x\n    expiration_date: 2027-02-30\n', /:5:22: waivers\[0\]\.expiration_date: /],
  ] as const) {
    const bad = file('bad.yml', text);
    const run = fleetstat(['check', allUp, '--policy', bad]);
    expect({ text, status: run.status }).toEqual({ text, status: 2 });
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^fleetstat: ${bad.replace(/[.]/g, '\\.')}${message.source}`));
  }
  expect(fleetstat(['check', allUp, '--as-of', '2026-02-30']).stderr).toMatch(/--as-of "2026-02-30": a date as YYYY-MM-DD/);
});

test('the CSV: one row per finding, and a row per unchecked host, readable by Python\'s csv', () => {
  const records = readCsvWithPython(fleetstat(['check', withDown, '--policy', policy, '--as-of', '2026-06-01', '--format', 'csv']).stdout);
  expect(records.map((r) => [r.host, r.rule, r.status, r.port])).toEqual([
    ['db1', 'FS008', 'waived', '5432'],
    ['web1', 'FS001', 'expired-waiver', '4444'],
    ['web1', 'FS010', 'open', '4444'],
    ['web1', 'policy.forbidden', 'open', '80'],
    ['web2', 'policy.forbidden', 'open', '80'],
    ['gw1', '', 'not-checked', ''],
  ]);
});

test('SARIF: valid against both 2.1.0 schemas, one result per finding, the waived one suppressed', () => {
  const run = fleetstat(['check', allUp, '--policy', policy, '--as-of', '2026-06-01', '--format', 'sarif']);
  const log = JSON.parse(run.stdout) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown[] }> }> };
  expect(sarifErrors(log)).toEqual([]);
  expect(log.runs[0]!.results.map((r) => [r.ruleId, r.suppressions !== undefined])).toEqual([
    ['FS008', true], ['FS001', false], ['FS010', false], ['policy.forbidden', false], ['policy.forbidden', false],
  ]);
});

describeIf(hasCommand('xmllint') ? [] : ['xmllint (libxml2-utils)'], 'JUnit', () => {
  test('valid against junit-10.xsd: one testsuite per host, a testcase per rule, the waived one skipped', () => {
    const xml = fleetstat(['check', withDown, '--policy', policy, '--as-of', '2026-06-01', '--format', 'junit']).stdout;
    expect(lintJunit(xml)).toEqual({ status: 0, stderr: '- validates\n' });
    expect(xml).toMatch(/<testsuites name="fleetstat check" tests="\d+" failures="4" errors="1"/);
    expect((xml.match(/<skipped /g) ?? []).length).toBe(1);
  });
});
