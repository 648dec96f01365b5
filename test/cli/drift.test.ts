// `fleetstat drift INPUT` as a user runs it: a snapshot or scan JSON in, table / JSON / CSV out; exit 0
// no host deviates, 1 some host does, 2 bad input or command line (one line), plus 4 when a host was
// unreachable (as scan's exit status has it).
import type { DriftResult } from '../../src/model/drift.js';
import type { ScanResult } from '../../src/model/index.js';
import { formatJson } from '../../src/report/json.js';
import { fleetstat, scratch } from '../helpers/run-cli.js';
import { readCsvWithPython } from '../helpers/python-csv.js';
import { schemaErrors } from '../helpers/schema.js';
import { host, NGINX, oddFleet, SSHD } from '../merge/drift-fleet.js';

const demo = new URL('../../fixtures/demo/fleet.snap.gz', import.meta.url).pathname;
const { file } = scratch('drift');
const scanOf = (hosts: ScanResult['hosts']): ScanResult => ({ schema: 'fleetstat/scan@1', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', hosts });

const odd = file('odd.json', formatJson(scanOf([...oddFleet(), host('web5', ['web'], [], 'unreachable')])));
const quiet = file('quiet.json', formatJson(scanOf(['web1', 'web2', 'web3'].map((n) => host(n, ['web'], [SSHD, NGINX])))));

test('the demo snapshot: web03 and its debug port, db too small; exit 1', () => {
  const run = fleetstat(['drift', demo]);
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/^db: 2 hosts db\[01-02\]: too small to judge \(fewer than 3 scanned hosts\)$/m);
  expect(run.stdout).toMatch(/^ {2}web03: 1 extra\n {4}\+ tcp 9229 {2}\S+ node \(root\) {2}\(1 of 4 hosts\)$/m);
});

test('scan JSON: exactly the odd host of each group, and what differs; JSON valid against its schema', () => {
  const run = fleetstat(['drift', odd, '--json']);
  // deviations (1) and an unreachable host (4)
  expect(run.status).toBe(5);
  const result = JSON.parse(run.stdout) as DriftResult;
  expect(schemaErrors(result, 'drift')).toEqual([]);
  expect(result.groups.map((g) => [g.name, g.deviations.map((d) => [d.name, d.missing.length, d.extra.length, d.different.length]), g.failed.map((f) => f.name)])).toEqual([
    ['cache', [['cache4', 1, 0, 0]], []],
    ['db', [['db2', 0, 0, 1]], []],
    ['web', [['web3', 0, 1, 0]], ['web5']],
  ]);
  // --format json prints the same document
  expect(JSON.parse(fleetstat(['drift', odd, '--format', 'json']).stdout)).toEqual(result);
});

test('--group narrows, --threshold decides; no deviation is exit 0', () => {
  const web = JSON.parse(fleetstat(['drift', odd, '--group', 'web', '--json']).stdout) as DriftResult;
  expect(web.groups.map((g) => g.name)).toEqual(['web']);
  expect(web.summary.notInGroups).toBe(8);
  const none = fleetstat(['drift', quiet]);
  expect(none.status).toBe(0);
  expect(none.stdout).toBe("web: 3 hosts web[1-3]: every host has the group's 2 listeners\n\nNo drift: 0 missing, 0 extra, 0 different; 3 of 3 judged hosts like their groups.\n");
  expect((JSON.parse(fleetstat(['drift', odd, '--threshold', '0.8', '--json']).stdout) as DriftResult).threshold).toBe(0.8);
});

test('the CSV: one record per deviation and per failed host', () => {
  const records = readCsvWithPython(fleetstat(['drift', odd, '--format', 'csv']).stdout);
  expect(records.map((r) => [r.group, r.host, r.deviation, r.port])).toEqual([
    ['cache', 'cache4', 'missing', '6379'],
    ['db', 'db2', 'different', '5432'],
    ['web', 'web3', 'extra', '9229'],
    ['web', 'web5', 'not-scanned', ''],
  ]);
});

test('bad input, a bad threshold, a group no host is in: one line, exit 2', () => {
  const notScan = file('x.json', '{"hello": 1}');
  for (const [args, message] of [
    // JSON that is no scan is read as an inventory (ansible-inventory --list's), and refused as one
    [[notScan], /^fleetstat: .*x\.json:1:11: group "hello" must be a mapping/],
    [['/nonexistent.json'], /^fleetstat: /],
    [[odd, '--threshold', '1'], /^fleetstat: drift: --threshold "1": a number at least 0 and below 1/],
    [[odd, '--threshold', 'half'], /^fleetstat: drift: --threshold "half"/],
    [[odd, '--group', 'wbe'], /^fleetstat: drift: --group "wbe": no host of .* is in it/],
  ] as const) {
    const run = fleetstat(['drift', ...args]);
    expect({ args, status: run.status }).toEqual({ args, status: 2 });
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  }
});
