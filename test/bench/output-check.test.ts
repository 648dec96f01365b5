// The scale bench's output checks (bench/output-check.ts): they must see a cut, a broken or a
// schema-invalid output, and count sockets per host exactly, hostile strings included.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutput, type BenchFormat } from '../../bench/output-check.js';
import { formatCsv } from '../../src/report/csv.js';
import { formatJson } from '../../src/report/json.js';
import { openNdjsonWriter } from '../../src/report/ndjson.js';
import { Writable } from 'node:stream';
import { formatTable } from '../../src/report/table.js';
import { scratch } from '../helpers/run-cli.js';
import { fleet } from '../report/scan-fixtures.js';

const { dir } = scratch('output-check');
let files = 0;
const write = (text: string) => {
  const path = join(dir, `out-${files++}`);
  writeFileSync(path, text);
  return path;
};
const result = fleet();
const names = new Set(result.hosts.map((h) => h.name));
const expected = result.hosts.map((h) => [h.name, h.sockets.length, h.sockets.filter((s) => s.proto === 'tcp' || s.proto === 'tcp6').length]);
const counted = async (format: BenchFormat, text: string) => {
  const check = await checkOutput(format, write(text), names);
  return { problems: check.problems, hosts: [...check.hosts].map(([name, c]) => [name, c.sockets, c.tcp]), sockets: check.sockets };
};

describe('JSON', () => {
  const json = formatJson(result);

  test('a valid document: every host and socket counted, in order', async () => {
    expect(await counted('json', json)).toEqual({ problems: [], hosts: expected, sockets: result.hosts.reduce((n, h) => n + h.sockets.length, 0) });
  });

  test('brackets, quotes and backslashes inside strings do not cut a host', async () => {
    const doc = JSON.parse(json);
    doc.hosts[0].sockets[0].processes[0].cmdline = ['}]}"\\\\"{[ ]', '"'];
    const check = await counted('json', JSON.stringify(doc));
    expect(check.problems).toEqual([]);
    expect(check.hosts).toEqual(expected);
  });

  test('a document cut in the middle of a host is not valid', async () => {
    const cut = json.indexOf('"sockets"', json.indexOf('"hosts"'));
    expect((await counted('json', json.slice(0, cut))).problems).toEqual([expect.stringMatching(/^not one JSON document: the document ends inside host 0/)]);
  });

  test('a host that breaks the schema is named', async () => {
    const doc = JSON.parse(json);
    delete doc.hosts[1].status;
    expect((await counted('json', JSON.stringify(doc))).problems).toEqual([expect.stringMatching(/^hosts\[1\]: .*status/)]);
  });

  test('a host that is not an object, and a broken skeleton', async () => {
    const doc = JSON.parse(json);
    doc.hosts.push(null);
    expect((await counted('json', JSON.stringify(doc))).problems).toEqual(['hosts[] has an element that is not an object']);
    const noSchema = JSON.parse(json);
    delete noSchema.schema;
    expect((await counted('json', JSON.stringify(noSchema))).problems).toEqual([expect.stringMatching(/^document: .*schema/)]);
  });
});

describe('CSV', () => {
  const csv = formatCsv(result);

  test('quoted fields with commas, quotes and line breaks: every socket counted', async () => {
    expect(csv).toMatch(/"[^"]*\n/); // the fixtures do put a line break inside a quoted field
    expect(await counted('csv', csv)).toMatchObject({ problems: [], hosts: expected });
  });

  test('a record of the wrong width, a cut inside quotes, a stray quote', async () => {
    const lines = csv.split('\n');
    expect((await counted('csv', [lines[0], 'a,b', ''].join('\n'))).problems).toEqual([expect.stringMatching(/^record 2: 2 fields, the header has \d+/)]);
    const open = csv.indexOf('"');
    expect((await counted('csv', csv.slice(0, open + 2))).problems).toEqual(['the file ends inside a quoted field']);
    expect((await counted('csv', `${lines[0]}\nab"c\n`)).problems).toContain('record 2: a quote inside an unquoted field');
  });
});

describe('NDJSON and table', () => {
  test('NDJSON as the writer makes it: every socket counted under its host, a host without sockets as one line', async () => {
    const chunks: string[] = [];
    const out = new Writable({ write: (chunk, _enc, done) => (chunks.push(String(chunk)), done()) });
    const writer = openNdjsonWriter(out);
    await writer.start({ startedAt: result.startedAt });
    for (const host of result.hosts) await writer.host(host);
    await writer.end({ finishedAt: result.finishedAt });
    const check = await counted('ndjson', chunks.join(''));
    expect(check).toMatchObject({ problems: [], hosts: expected });
  });

  test('NDJSON: a bad line is named', async () => {
    const line = '{"schema":"fleetstat/socket@1","host":{"name":"a","status":"ok"},"socket":{"proto":"tcp"}}';
    const check = await checkOutput('ndjson', write([line, '{"host":'].join('\n')), names);
    expect(check.problems).toEqual([expect.stringMatching(/^line 2: /)]);
    expect([...check.hosts]).toEqual([['a', { status: 'ok', sockets: 1, tcp: 1 }]]);
  });

  test('table: the rows of the inventory\'s hosts, tcp among them', async () => {
    const check = await counted('table', formatTable(result, { color: false }));
    // the table leaves out the scan's own session sockets (marked collector)
    const shown = result.hosts.map((h) => {
      const kept = h.sockets.filter((s) => !s.collector);
      return [h.name, kept.length, kept.filter((s) => s.proto === 'tcp' || s.proto === 'tcp6').length];
    }).filter(([, n]) => n !== 0);
    expect(check).toMatchObject({ problems: [], hosts: shown });
  });
});
