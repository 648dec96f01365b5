// csv-record.ts writes what csv-stringify writes (the library every CSV of fleetstat was written with
// before, and still is where a whole result is formatted at once): the same bytes for every kind of cell.
import { stringify } from 'csv-stringify/sync';
import { csvField, csvHeader, csvRecord, type CsvCell } from '../../src/report/csv-record.js';

const CELLS: ReadonlyArray<[string, CsvCell]> = [
  ['empty', ''],
  ['plain', 'sshd'],
  ['comma', 'a,b'],
  ['quote', 'say "hi"'],
  ['only a quote', '"'],
  ['quote and comma', '",'],
  ['LF', 'a\nb'],
  ['CR', 'a\rb'],
  ['CRLF at the end', 'tail\r\n'],
  ['TAB', 'a\tb'],
  ['leading space', ' padded '],
  ['formula', "'=cmd|' /C calc'!A0"],
  ['semicolons', 'nginx;php-fpm'],
  ['non-ASCII', 'Grüße, 世界 "ok"'],
  ['escaped ESC', '\\x1b[31m'],
  ['zero', 0],
  ['integer', 65535],
  ['negative', -1],
  ['fraction', 1.5],
  ['big', 18446744073709552000],
];

describe('csvRecord', () => {
  it.each(CELLS)('a %s cell is written as csv-stringify writes it', (_, cell) => {
    const columns = ['before', 'cell', 'after'] as const;
    const row = { before: 'x', cell, after: 'y' };
    expect(csvRecord(columns, row)).toBe(stringify([row], { columns: [...columns] }));
  });

  it('writes a whole row of them, in the columns\' order, as csv-stringify does', () => {
    const columns = CELLS.map(([name]) => name);
    const row = Object.fromEntries(CELLS);
    expect(csvHeader(columns) + csvRecord(columns, row)).toBe(stringify([row], { header: true, columns }));
    // the row's own key order does not matter, the columns' does
    const reversed = Object.fromEntries([...CELLS].reverse());
    expect(csvRecord(columns, reversed)).toBe(csvRecord(columns, row));
  });

  it('quotes exactly the cells holding a comma, a quote, CR or LF', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('a\tb')).toBe('a\tb');
    expect(csvField('')).toBe('');
    expect(csvField(-1)).toBe('-1');
  });

  it('quotes a header name as it would quote a cell', () => {
    expect(csvHeader(['host', 'a,b', 'q"'])).toBe('host,"a,b","q"""\n');
    expect(csvHeader(['host', 'a,b', 'q"'])).toBe(stringify([], { header: true, columns: ['host', 'a,b', 'q"'] }));
  });
});
