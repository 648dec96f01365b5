// The findings CSV: as the golden file; read back by Python's csv module (an independent reader, as a
// spreadsheet reads it), every hostile cell is inert: no formula, no raw CR, LF or TAB, no ESC.
import { FINDINGS_CSV_COLUMNS, formatFindingsCsv } from '../../src/report/findings-csv.js';
import { readCsvWithPython } from '../helpers/python-csv.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { cleanResult, findingsResult, golden } from './findings-fixtures.js';

test('as the golden file', () => {
  const text = formatFindingsCsv(findingsResult());
  expect(text).toBe(golden('findings.csv', text));
});

test('a clean check: the header alone', () => {
  expect(formatFindingsCsv(cleanResult())).toBe(`${FINDINGS_CSV_COLUMNS.join(',')}\n`);
});

describeIf(hasCommand('python3') ? [] : ['python3'], 'read by Python’s csv module', () => {
  const records = () => readCsvWithPython(formatFindingsCsv(findingsResult()));

  test('one record per finding, in the table’s order, then the host that could not be checked', () => {
    const rows = records();
    expect(Object.keys(rows[0]!)).toEqual([...FINDINGS_CSV_COLUMNS]);
    expect(rows.map((r) => [r.host, r.rule, r.severity, r.status, r.port])).toEqual([
      ['web1', 'policy/web/forbidden/1', 'critical', 'open', '23'],
      ['web1', 'FS001', 'high', 'open', '4444'],
      ['web1', 'FS010', 'low', 'open', '8081'],
      ['web1', 'FS010', 'low', 'open', '31337'],
      ['web2', 'FS003', 'high', 'open', '51234'],
      ['db1', 'FS004', 'medium', 'expired-waiver', '6379'],
      ['db1', 'FS010', 'low', 'waived', '9999'],
      ['db9', '', '', 'not-checked', ''],
    ]);
  });

  test('the hostile process and evidence: formulas neutralised, controls visible, nothing split', () => {
    const shell = records()[1]!;
    expect(shell.process).toBe("'=cmd|' /C calc'!A0");
    expect(shell.evidence).toBe("'=cmd|' /C calc'!A0 -c 'x'\\r\\n=1+1\\tnext\\x1b[31m");
    expect(shell.groups).toBe('web;prod');
    expect(shell.location).toBe('inventory/prod hosts.yml:3');
    for (const row of records()) {
      for (const cell of Object.values(row)) {
        expect(cell).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
        expect(cell).not.toMatch(/^[=+\-@]/);
      }
    }
  });

  test('waivers: justification and expiry beside the finding; a peer and a namespace where there are', () => {
    const rows = records();
    expect([rows[5]!.waiver, rows[5]!.expires]).toEqual(['Cache for the batch VLAN until it moves, OPS-7', '2025-06-30']);
    expect([rows[6]!.waiver, rows[6]!.expires]).toEqual(['Metrics exporter, scraped by Prometheus; ticket OPS-12', '2027-01-31']);
    expect([rows[4]!.remote, rows[4]!.netns, rows[4]!.user, rows[4]!.location]).toEqual(['203.0.113.9:4444', 'container:4f1c', '', '']);
    expect(rows[7]!.message).toBe('unreachable: connect ECONNREFUSED 10.0.0.9:22\\x1b[31m\\x01');
  });

  test('a group named like a formula is neutralised inside the list too', () => {
    const result = findingsResult();
    result.findings = [{ ...result.findings[0]!, groups: ['web', '@SUM(A1)', '-1+2'] }];
    expect(readCsvWithPython(formatFindingsCsv(result))[0]!.groups).toBe("web;'@SUM(A1);'-1+2");
  });
});
