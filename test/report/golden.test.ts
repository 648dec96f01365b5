// The streamed outputs against what the formatters wrote before streaming (test/report/golden/, written
// by the whole-result formatters of commit 13fb086): byte for byte, but for JSON's finishedAt, which
// now comes after `hosts`.
import { readFileSync } from 'node:fs';
import type { ScanResult } from '../../src/model/index.js';
import { formatCsv, formatJson, formatTable } from '../../src/report/index.js';
import { render, reversed } from './output-helpers.js';
import { db1, fleet, gw1, scan, web1 } from './scan-fixtures.js';

const golden = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');

/** The document of before, with its finishedAt line moved to the end, where the contract now puts it. */
function finishedAtLast(json: string): string {
  const line = /\n {2}"finishedAt": "[^"]*",/.exec(json)?.[0];
  if (line === undefined) throw new Error('no finishedAt line');
  return json.replace(line, '').replace(/\n}\n$/, `,${line.slice(0, -1)}\n}\n`);
}

const sets: Record<string, ScanResult> = { fleet: fleet(), web1: scan([web1()]), db1: scan([db1()]), gw1: scan([gw1()]), empty: scan([]), twoHosts: scan([web1(), gw1()]) };
const tables: Record<string, { color: boolean; width?: number }> = { plain: { color: false }, color: { color: true }, w80: { color: false, width: 80 }, w60: { color: false, width: 60 }, w30: { color: true, width: 30 } };

describe.each(Object.entries(sets))('%s, as before streaming', (name, result) => {
  it('JSON: the same bytes, finishedAt last', async () => {
    const expected = finishedAtLast(golden(`${name}.json`));
    expect(JSON.parse(expected)).toEqual(JSON.parse(golden(`${name}.json`)));
    expect(formatJson(result)).toBe(expected);
    expect(await render('json', reversed(result.hosts))).toBe(expected);
  });

  it('CSV: the same bytes', async () => {
    expect(formatCsv(result)).toBe(golden(`${name}.csv`));
    expect(await render('csv', reversed(result.hosts))).toBe(golden(`${name}.csv`));
  });

  it.each(Object.entries(tables))('table (%s): the same bytes', async (tag, opts) => {
    expect(formatTable(result, opts)).toBe(golden(`${name}.${tag}.table.txt`));
    expect(await render('table', reversed(result.hosts), opts)).toBe(golden(`${name}.${tag}.table.txt`));
  });
});
