// Every view × format on the fixture fleet (scan-fixtures.ts: several hosts, every proto, a failed host,
// partial attribution, a container namespace, hostile strings), hosts arriving last first:
// - against golden files (test/report/golden/views/; FLEETSTAT_UPDATE_GOLDEN=1 rewrites them, to be read
//   and committed with the change that made them differ);
// - JSON and NDJSON against the shipped schemas;
// - CSV read back by Python's csv module equals the data it was made of.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { HostScan } from '../../src/model/index.js';
import type { PortMatrix } from '../../src/model/matrix.js';
import type { HostSummary } from '../../src/model/host-summary.js';
import type { OutputFormat } from '../../src/report/index.js';
import { openView, VIEWS, type View } from '../../src/report/views.js';
import { filterHost } from '../../src/result/filter.js';
import { LISTENERS_CSV_COLUMNS } from '../../src/report/listeners-csv.js';
import { readCsvWithPython } from '../helpers/python-csv.js';
import { schemaErrors } from '../helpers/schema.js';
import { FINISHED, SlowSink, STARTED } from './output-helpers.js';
import { fleet } from './scan-fixtures.js';

const FORMATS: OutputFormat[] = ['table', 'json', 'ndjson', 'csv'];
const goldenDir = new URL('./golden/views/', import.meta.url);
const update = process.env.FLEETSTAT_UPDATE_GOLDEN === '1';

/** The fixture fleet, each host with the times a scan gives it. */
function hosts(): HostScan[] {
  return fleet().hosts.map((h, i) => ({ ...h, timing: { startedAt: STARTED, finishedAt: new Date(Date.parse(STARTED) + 250 * (i + 1)).toISOString() } }));
}

async function render(view: View, format: OutputFormat, width?: number): Promise<string> {
  const sink = new SlowSink();
  const output = openView(view, format, sink, { color: false, protos: new Set(['tcp', 'udp']), hostsAsRows: false, ...(width !== undefined ? { width } : {}) });
  await output.start({ startedAt: STARTED });
  const all = hosts();
  // as the command does for this view: -l
  const shown = view === 'listeners' ? all.map((h) => filterHost(h, { listeningOnly: true, protocols: [], addressFamilies: [] })) : all;
  for (const [i, h] of [...shown.entries()].reverse()) await output.host(i, h);
  await output.end({ finishedAt: FINISHED });
  sink.end();
  await finished(sink);
  return sink.text;
}

describe.each(VIEWS.map((v) => [v]))('--view %s', (view) => {
  test.each(FORMATS.map((f) => [f]))('%s: as the golden file', async (format) => {
    const text = await render(view, format, format === 'table' ? 80 : undefined);
    const name = `${view}.${format === 'table' ? 'w80.txt' : format}`;
    if (update) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(new URL(name, goldenDir), text);
    }
    expect(text).toBe(readFileSync(new URL(name, goldenDir), 'utf8'));
    if (format === 'table') for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });
});

describe('contracts', () => {
  const lines = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);

  test('JSON of each view validates: scan@1 (sockets, listeners), matrix@1, hosts@1', async () => {
    expect(schemaErrors(JSON.parse(await render('sockets', 'json')))).toEqual([]);
    expect(schemaErrors(JSON.parse(await render('listeners', 'json')))).toEqual([]);
    expect(schemaErrors(JSON.parse(await render('matrix', 'json')), 'matrix')).toEqual([]);
    expect(schemaErrors(JSON.parse(await render('hosts', 'json')), 'hosts')).toEqual([]);
  });

  test('NDJSON of each view validates line by line: socket@1, host-summary@1; the matrix\'s rows as matrix@1 rows', async () => {
    for (const line of lines(await render('sockets', 'ndjson'))) expect(schemaErrors(line, 'socket')).toEqual([]);
    for (const line of lines(await render('listeners', 'ndjson'))) expect(schemaErrors(line, 'socket')).toEqual([]);
    for (const line of lines(await render('hosts', 'ndjson'))) expect(schemaErrors(line, 'hostSummary')).toEqual([]);
    const [head, ...rows] = lines(await render('matrix', 'ndjson')) as Array<Record<string, unknown>>;
    const { schema: _rowSchema, ...firstRow } = (rows[0] ?? {}) as Record<string, unknown>;
    expect(schemaErrors({ ...head, rows: rows.map(({ schema: _s, ...row }) => row) }, 'matrix')).toEqual([]);
    expect(firstRow).toHaveProperty('cells');
  });

  test('listeners CSV read back by Python: one record per listener per host, every host present, exact values', async () => {
    const records = readCsvWithPython(await render('listeners', 'csv'));
    const all = hosts();
    const expected = all.flatMap((h) => {
      const listening = h.sockets.filter((s) => s.direction === 'listen' && s.collector !== true);
      if (listening.length === 0) return [{ host: h.name, status: h.status, port: '' }];
      return listening.map((s) => ({ host: h.name, status: h.status, port: s.local !== null && 'port' in s.local ? String(s.local.port) : '' }));
    });
    expect(records.map((r) => ({ host: r.host, status: r.status, port: r.port }))).toEqual(expected.map((e) => ({ ...e, host: e.host.replace(/\x1b/g, '\\x1b') })));
    expect(Object.keys(records[0]!)).toEqual(['host', 'groups', 'status', 'proto', 'bind_address', 'port', 'service', 'process', 'pid', 'user', 'cmdline', 'netns', 'scan_time', 'host_key_fingerprint', 'error']);
    // formula-safe: no cell starts with = + - @ unless it is a plain number
    for (const r of records) for (const cell of Object.values(r)) expect(/^[=+@]|^-(?![0-9])/.test(cell)).toBe(false);
  });

  test('hosts CSV read back by Python equals the JSON summaries', async () => {
    const summaries = (JSON.parse(await render('hosts', 'json')) as { hosts: HostSummary[] }).hosts;
    const records = readCsvWithPython(await render('hosts', 'csv'));
    expect(records.map((r) => [r.status, Number(r.listeners), Number(r.tcp), Number(r.unix), r.duration_ms])).toEqual(
      summaries.map((s) => [s.status, s.listeners, s.sockets.tcp.total, s.sockets.unix, String(s.durationMs ?? '')]),
    );
  });

  test('matrix CSV read back by Python: one record per endpoint per host set', async () => {
    const matrix = JSON.parse(await render('matrix', 'json')) as PortMatrix;
    const records = readCsvWithPython(await render('matrix', 'csv'));
    expect(records.map((r) => `${r.proto}|${r.bind_address}|${r.port}|${r.host_count}`)).toEqual(
      matrix.rows.flatMap((row) => row.cells.flatMap((c, i) => (c === null ? [] : [`${row.proto}|${row.address ?? ''}|${row.port ?? ''}|${matrix.columns[i]!.count}`]))),
    );
  });
});

test('the README documents every column of the audit export, in order', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### The audit export'), readme.indexOf('### The port matrix'));
  const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
  expect(documented).toEqual([...LISTENERS_CSV_COLUMNS]);
});
