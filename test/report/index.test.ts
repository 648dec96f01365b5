import { formatCsv, formatJson, formatTable, formats } from '../../src/report/index.js';
import { fleet } from './scan-fixtures.js';

describe('formats registry', () => {
  it('offers table, json and csv, each the output of its formatter', () => {
    expect(Object.keys(formats).sort()).toEqual(['csv', 'json', 'table']);
    const result = fleet();
    expect(formats.json(result, { color: true })).toBe(formatJson(result));
    expect(formats.csv(result, { color: true })).toBe(formatCsv(result));
    expect(formats.table(result, { color: false })).toBe(formatTable(result, { color: false }));
    expect(formats.table(result, { color: true })).toBe(formatTable(result, { color: true }));
    expect(formats.table(result, { color: true })).not.toBe(formats.table(result, { color: false }));
  });
});
