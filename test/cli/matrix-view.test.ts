// `scan --view`: the matrix is the table's default when there are several hosts, and every format of
// it is what its contract says; one host, or any other format, keeps the socket list.
import { join } from 'node:path';
import { fleetstat, scratch } from '../helpers/run-cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { readCsvWithPython } from '../helpers/python-csv.js';
import { captureFromFixture, header, hostRecord, specs, trailer, writeSnapshot } from '../capture/snapshot-records.js';
import type { PortMatrix } from '../../src/model/matrix.js';
import { MATRIX_CSV_COLUMNS } from '../../src/report/matrix-csv.js';

let fleetSnap: string;
let oneSnap: string;
beforeAll(async () => {
  const { dir } = scratch('matrix-view');
  const capture = captureFromFixture(new URL('../../fixtures/captures/root-zoo/capture.out', import.meta.url));
  const hosts = specs(4);
  // host03 failed: in no column
  const records = hosts.map((spec, i) => hostRecord(i, spec, i === 3 ? null : capture));
  fleetSnap = join(dir, 'fleet.snap.gz');
  await writeSnapshot(fleetSnap, header(hosts), records, trailer(records));
  oneSnap = join(dir, 'one.snap.gz');
  await writeSnapshot(oneSnap, header(hosts.slice(0, 1)), records.slice(0, 1), trailer(records.slice(0, 1)));
}, 60_000);

test('several hosts: the table is the matrix, alike hosts in one column, the failed one named', () => {
  const run = fleetstat(['scan', fleetSnap], { env: { COLUMNS: '100' } });
  expect(run.stdout).toMatch(/^Listening on 3 hosts: 1 listening set; 1 host not scanned$/m);
  expect(run.stdout).toMatch(/#1 {2}host\[00-02\] {2}\(3 hosts\)/);
  expect(run.stdout).toMatch(/not scanned \(unreachable\): host03/);
  for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
});

test('one host, or --view sockets: the socket list, as before', () => {
  const one = fleetstat(['scan', oneSnap]);
  expect(one.stdout).not.toMatch(/listening set/);
  expect(one.stdout).toMatch(/Proto +Recv-Q|Local Address/);
  const sockets = fleetstat(['scan', fleetSnap, '--view', 'sockets']);
  expect(sockets.stdout).not.toMatch(/listening set/);
});

test('--json keeps the scan@1 document; --view matrix --json is matrix@1, valid', () => {
  expect(JSON.parse(fleetstat(['scan', fleetSnap, '--json']).stdout).schema).toBe('fleetstat/scan@1');
  const matrix = JSON.parse(fleetstat(['scan', fleetSnap, '--view', 'matrix', '--json']).stdout) as PortMatrix;
  expect(schemaErrors(matrix, 'matrix')).toEqual([]);
  expect(matrix.columns).toEqual([{ nodeset: 'host[00-02]', hosts: ['host00', 'host01', 'host02'], count: 3 }]);
  expect(matrix.unscanned).toEqual([{ status: 'unreachable', nodeset: 'host03', hosts: ['host03'], count: 1 }]);
  expect(matrix.rows.length).toBeGreaterThan(0);
  expect(matrix.rows.every((r) => ['tcp', 'udp'].includes(r.proto))).toBe(true);
});

test('-x adds unix listeners, -t alone keeps only tcp', () => {
  const protos = (args: string[]) => new Set((JSON.parse(fleetstat(['scan', fleetSnap, '--view', 'matrix', '--json', ...args]).stdout) as PortMatrix).rows.map((r) => r.proto));
  expect(protos(['-t'])).toEqual(new Set(['tcp']));
  expect(protos(['-tx']).has('unix')).toBe(true);
});

test('--view matrix as CSV (read back by a CSV parser) and NDJSON (each line valid JSON) say the same as its JSON', () => {
  const matrix = JSON.parse(fleetstat(['scan', fleetSnap, '--view', 'matrix', '--json']).stdout) as PortMatrix;
  const records = readCsvWithPython(fleetstat(['scan', fleetSnap, '--view', 'matrix', '--format', 'csv']).stdout);
  expect(Object.keys(records[0]!)).toEqual([...MATRIX_CSV_COLUMNS]);
  expect(records).toHaveLength(matrix.rows.reduce((n, r) => n + r.cells.filter((c) => c !== null).length, 0));
  expect(records.map((r) => `${r.proto} ${r.bind_address} ${r.port} ${r.hosts}`)).toEqual(
    matrix.rows.flatMap((r) => r.cells.flatMap((c, i) => (c === null ? [] : [`${r.proto} ${r.address ?? ''} ${r.port ?? ''} ${matrix.columns[i]!.nodeset}`]))),
  );
  const lines = fleetstat(['scan', fleetSnap, '--view', 'matrix', '--format', 'ndjson']).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { schema: string });
  expect(lines[0]!.schema).toBe('fleetstat/matrix@1');
  expect(lines.slice(1)).toHaveLength(matrix.rows.length);
});
