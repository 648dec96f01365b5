// Drift's table and CSV: a line (a record) per deviation under its group, failed hosts and groups too
// small said as such, remote strings inert; and the demo fleet's odd host found in its saved scan.
import { DriftBuilder } from '../../src/merge/drift.js';
import { bundledServices } from '../../src/merge/services.js';
import type { DriftResult } from '../../src/model/drift.js';
import type { HostScan } from '../../src/model/index.js';
import { DRIFT_CSV_COLUMNS, formatDriftCsv } from '../../src/report/drift-csv.js';
import { formatDriftTable } from '../../src/report/drift-table.js';
import { readSavedScan } from '../../src/scan/saved-scan.js';
import { readCsvWithPython } from '../helpers/python-csv.js';
import { schemaErrors } from '../helpers/schema.js';
import { host, NGINX, oddFleet, SSHD } from '../merge/drift-fleet.js';
import { ESC_RED, FORMULA } from './scan-fixtures.js';

const demo = new URL('../../fixtures/demo/fleet.snap.gz', import.meta.url).pathname;

function drift(hosts: Iterable<HostScan>): DriftResult {
  const builder = new DriftBuilder();
  for (const h of hosts) builder.onHost(h);
  return builder.end({ source: 'fleet.json', startedAt: '2026-01-01T00:00:00.000Z' });
}

const fleet = () => [...oddFleet(), host('web5', ['web'], [], 'unreachable'), host('gw1', ['gw'], [SSHD]), host('gw2', ['gw'], [SSHD, NGINX])];

test('the table: a block per group, a line per deviation with what the group has, then the totals', () => {
  expect(formatDriftTable(drift(fleet()))).toBe(
    [
      'cache: 4 hosts cache[1-4]: 2 listeners in consensus',
      '  cache4: 1 missing',
      '    - tcp 6379  (the group: 127.0.0.1 redis-server (redis))',
      'db: 4 hosts db[1-4]: 2 listeners in consensus',
      '  db2: 1 different',
      '    ~ tcp 5432  0.0.0.0 postgres (postgres)  (the group: 127.0.0.1 postgres (postgres))',
      'gw: 2 hosts gw[1-2]: too small to judge (fewer than 3 scanned hosts)',
      'web: 4 hosts web[1-4]; not scanned: web5 (unreachable): 2 listeners in consensus',
      '  web3: 1 extra',
      '    + tcp 9229  0.0.0.0 node (app)  (1 of 4 hosts)',
      '',
      'Drift: 1 missing, 1 extra, 1 different; 9 of 12 judged hosts like their groups; 1 group too small, 1 host not scanned.',
      '',
    ].join('\n'),
  );
});

test('no deviation: every group says so, and the last line says No drift', () => {
  const quiet = ['web1', 'web2', 'web3'].map((n) => host(n, ['web'], [SSHD, NGINX]));
  expect(formatDriftTable(drift(quiet))).toBe("web: 3 hosts web[1-3]: every host has the group's 2 listeners\n\nNo drift: 0 missing, 0 extra, 0 different; 3 of 3 judged hosts like their groups.\n");
});

test('the CSV: one record per deviation, failed host and small group; formula- and control-safe', () => {
  const hostile = fleet();
  hostile[2] = host('web3', ['web'], [SSHD, NGINX, { port: 9229, name: FORMULA, user: `${ESC_RED}app` }]);
  const records = readCsvWithPython(formatDriftCsv(drift(hostile)));
  expect(Object.keys(records[0]!)).toEqual([...DRIFT_CSV_COLUMNS]);
  expect(records.map((r) => [r.group, r.host, r.deviation, r.port, r.host_addresses, r.host_processes, r.host_users, r.group_addresses, r.hosts_with_it, r.group_hosts, r.status])).toEqual([
    ['cache', 'cache4', 'missing', '6379', '', '', '', '127.0.0.1', '', '4', ''],
    ['db', 'db2', 'different', '5432', '0.0.0.0', 'postgres', 'postgres', '127.0.0.1', '', '4', ''],
    ['gw', '', 'too-small', '', '', '', '', '', '', '2', ''],
    ['web', 'web3', 'extra', '9229', '0.0.0.0', `'${FORMULA}`, '\\x1b[31mapp', '', '1', '4', ''],
    ['web', 'web5', 'not-scanned', '', '', '', '', '', '', '4', 'unreachable'],
  ]);
});

test('the table escapes remote names', () => {
  const hostile = ['a1', 'a2', 'a3'].map((n) => host(n, ['app'], [SSHD]));
  hostile.push(host(`a4${ESC_RED}`, ['app'], [SSHD, { port: 8080, name: `x\ny`, user: 'u' }]));
  const table = formatDriftTable(drift(hostile));
  expect(table).toContain('  a4\\x1b[31m: 1 extra\n    + tcp 8080  0.0.0.0 x\\ny (u)  (1 of 4 hosts)\n');
  expect(table).not.toContain('\x1b');
});

test('the demo fleet: web03 has an extra 9229 in web; db (two hosts) is too small to judge', async () => {
  const saved = await readSavedScan(demo, bundledServices(), 'drift');
  const builder = new DriftBuilder();
  for await (const h of saved.hosts) builder.onHost(h);
  const result = builder.end({ source: saved.source, startedAt: saved.startedAt });
  expect(schemaErrors(result, 'drift')).toEqual([]);
  expect(result.groups.map((g) => [g.name, g.kind, g.hosts, g.failed.length])).toEqual([
    ['db', 'too-small', ['db01', 'db02'], 0],
    ['web', 'judged', ['web01', 'web02', 'web03', 'web04'], 0],
  ]);
  const web = result.groups[1]!;
  expect(web.deviations.map((d) => [d.name, d.missing.length, d.different.length, d.extra.map((e) => [e.listener.proto, e.listener.port, e.hosts, e.host.map((s) => s.owners[0]!.process)])])).toEqual([
    ['web03', 0, 0, [['tcp', 9229, 1, ['node']]]],
  ]);
  expect(web.consensus.map((c) => c.listener.port)).toEqual(expect.arrayContaining([80, 443]));
});
