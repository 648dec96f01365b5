// `fleetstat diff OLD NEW` as a user runs it: scan JSON or snapshots in, table / JSON / CSV out; exit 0
// no drift, 1 drift, 2 bad input (one line naming the file).
import type { DiffResult } from '../../src/model/diff.js';
import type { HostScan, ScanResult, Socket } from '../../src/model/index.js';
import { formatJson } from '../../src/report/json.js';
import { fleetstat, scratch } from '../helpers/run-cli.js';
import { readCsvWithPython } from '../helpers/python-csv.js';
import { schemaErrors } from '../helpers/schema.js';
import { inet, proc, web1 } from '../report/scan-fixtures.js';

const demo = new URL('../../fixtures/demo/fleet.snap.gz', import.meta.url).pathname;
const { file } = scratch('diff');
const scanOf = (hosts: HostScan[]): ScanResult => ({ schema: 'fleetstat/scan@1', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', hosts });
const host = (name: string, sockets: Socket[], status: HostScan['status'] = 'ok'): HostScan => ({ ...web1(), name, status, sockets });
const listen = (port: number, name: string, address = '0.0.0.0', pid = port): Socket => inet({ proto: 'tcp', state: 'LISTEN', local: { address, port }, inode: pid, processes: [proc(pid, name, 'root', 0)] });

const before = file('before.json', formatJson(scanOf([host('web1', [listen(22, 'sshd')]), host('web2', [listen(22, 'sshd')]), host('db1', [listen(5432, 'postgres', '127.0.0.1')]), host('old1', [])])));
const after = file(
  'after.json',
  formatJson(scanOf([host('web1', [listen(22, 'sshd', '0.0.0.0', 4242)]), host('web2', [listen(22, 'sshd'), listen(9229, 'node')]), host('db1', [listen(5432, 'postgres', '0.0.0.0')]), host('new1', []), host('gw1', [], 'unreachable')])),
);

test('a snapshot against itself: no drift, exit 0', () => {
  const run = fleetstat(['diff', demo, demo]);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^No drift: 0 added, 0 removed, 0 changed; 0 hosts appeared, 0 vanished; 6 of 6 compared hosts unchanged\.$/m);
});

test('scan JSON: exactly the listener started, the bind that changed, hosts in one scan only; a restart is nothing; exit 1', () => {
  const run = fleetstat(['diff', before, after, '--json']);
  expect(run.status).toBe(1);
  const diff = JSON.parse(run.stdout) as DiffResult;
  expect(schemaErrors(diff, 'diff')).toEqual([]);
  expect(diff.hosts.map((h) => [h.name, h.kind, h.added.length, h.removed.length, h.changed.length])).toEqual([
    ['db1', 'compared', 0, 0, 1],
    ['gw1', 'appeared', 0, 0, 0],
    ['new1', 'appeared', 0, 0, 0],
    ['old1', 'vanished', 0, 0, 0],
    ['web2', 'compared', 1, 0, 0],
  ]);
  expect(diff.summary).toMatchObject({ hostsCompared: 3, hostsWithDrift: 2, added: 1, changed: 1, appeared: 2, vanished: 1, notCompared: 0 });
  // gw1 is new AND unreachable: it appeared; web1's sshd restarted (pid 4242): no change
  expect(diff.hosts.find((h) => h.name === 'web1')).toBeUndefined();
});

test('the table names each change with its value before; the CSV has one record per change', () => {
  const table = fleetstat(['diff', before, after]).stdout;
  expect(table).toContain('web2: 1 added\n  + tcp 0.0.0.0:9229  node (root)');
  expect(table).toContain('db1: 1 changed\n  ~ tcp 0.0.0.0:5432  postgres (root)  (was tcp 127.0.0.1:5432  postgres (root))');
  const records = readCsvWithPython(fleetstat(['diff', before, after, '--format', 'csv']).stdout);
  expect(records.map((r) => [r.host, r.change, r.port, r.before_address, r.after_address])).toEqual([
    ['db1', 'changed', '5432', '127.0.0.1', '0.0.0.0'],
    ['gw1', 'appeared', '', '', ''],
    ['new1', 'appeared', '', '', ''],
    ['old1', 'vanished', '', '', ''],
    ['web2', 'added', '9229', '', '0.0.0.0'],
  ]);
});

test('a host unreachable in the new scan is not compared, never "every listener removed"', () => {
  const down = file('down.json', formatJson(scanOf([host('web1', [], 'unreachable')])));
  const up = file('up.json', formatJson(scanOf([host('web1', [listen(22, 'sshd')])])));
  const run = fleetstat(['diff', up, down, '--json']);
  const diff = JSON.parse(run.stdout) as DiffResult;
  expect(diff.hosts).toEqual([expect.objectContaining({ name: 'web1', kind: 'not-compared', removed: [] })]);
  expect(run.status).toBe(0);
});

test('bad input: one line naming the file, exit 2', () => {
  const notScan = file('x.json', '{"hello": 1}');
  const run = fleetstat(['diff', notScan, after]);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(new RegExp(`^fleetstat: ${notScan.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a fleetstat/scan@1 document`));
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(fleetstat(['diff', '/nonexistent.json', after]).status).toBe(2);
});

test('scan --baseline: the diff against a snapshot in one go (exit 1 on drift); flags that narrow or change the view are refused', () => {
  const same = fleetstat(['scan', demo, '--baseline', demo, '-q']);
  expect(same.status).toBe(0);
  expect(same.stdout).toMatch(/^No drift: .*6 of 6 compared hosts unchanged\.$/m);
  // the demo against a scan JSON that lacks its hosts: all six appeared
  const other = JSON.parse(fleetstat(['scan', demo, '--baseline', before, '--json']).stdout) as DiffResult;
  expect(other.hosts.filter((h) => h.kind === 'appeared').map((h) => h.name)).toEqual(['db01', 'db02', 'web01', 'web02', 'web03', 'web04']);
  for (const args of [['--port', '22'], ['--view', 'matrix'], ['--format', 'ndjson'], ['-t']]) {
    const run = fleetstat(['scan', demo, '--baseline', demo, ...args]);
    expect({ args, status: run.status }).toEqual({ args, status: 2 });
    expect(run.stderr).toMatch(/^fleetstat: --baseline prints the diff of every listener \(as fleetstat diff\): .* does not apply$/m);
  }
});
