// The findings table: against golden files (test/report/golden/findings/, FLEETSTAT_UPDATE_GOLDEN=1
// rewrites them), within the width given, no control character raw, waived and unchecked hosts shown.
import { formatFindingsTable } from '../../src/report/findings-table.js';
import { displayWidth } from '../../src/report/text-width.js';
import { cleanResult, findingsResult, golden } from './findings-fixtures.js';

const WIDTHS = [80, 60, 40];

describe('formatFindingsTable', () => {
  test.each(WIDTHS.map((w) => [w]))('at %i columns: as the golden file, no line wider', (width) => {
    const text = formatFindingsTable(findingsResult(), { width });
    expect(text).toBe(golden(`table.w${width}.txt`, text));
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  });

  test('without a width: each finding on one line, as the golden file', () => {
    const text = formatFindingsTable(findingsResult());
    expect(text).toBe(golden('table.txt', text));
    expect(text).toContain("  HIGH      FS001 shell-listening  tcp 0.0.0.0:4444  =cmd|' /C calc'!A0 (root)\n");
  });

  test('hostile strings are escaped, not written', () => {
    const text = formatFindingsTable(findingsResult(), { width: 200 });
    expect(text).toContain("evidence: =cmd|' /C calc'!A0 -c 'x'\\r\\n=1+1\\tnext\\x1b[31m\n");
    expect(text).toContain('  db9  unreachable: connect ECONNREFUSED 10.0.0.9:22\\x1b[31m\\x01\n');
  });

  test('a waived finding says so first, an expired waiver says the finding counts again', () => {
    const lines = formatFindingsTable(findingsResult(), { width: 200 }).split('\n');
    const waived = lines.findIndex((l) => l.includes('FS010 unnamed-port  tcp [::]:9999'));
    expect(lines[waived + 1]).toBe('            waived until 2027-01-31: Metrics exporter, scraped by Prometheus; ticket OPS-12 (policy/waivers.yml:9)');
    const expired = lines.findIndex((l) => l.includes('FS004 database-bound-to-all'));
    expect(lines[expired + 1]).toBe('            waiver expired 2025-06-30, counts again: Cache for the batch VLAN until it moves, OPS-7 (policy/waivers.yml:4)');
    expect(lines).toContain('db1  [db]: 1 finding (1 medium), 1 waived');
  });

  test('the summary line counts findings that count, expired waivers among them, and waived ones apart', () => {
    const text = formatFindingsTable(findingsResult());
    expect(text.endsWith('\n4 hosts checked, 1 could not be: 6 findings (1 critical, 2 high, 1 medium, 2 low); 1 of them with an expired waiver, 1 waived.\n')).toBe(true);
    expect(text).toContain('\nNo findings on 1 host: web3\n');
    expect(text).toContain('\nNot checked (1 host):\n  db9  unreachable:');
  });

  test('findings are shown most severe first within a host, hosts in inventory order', () => {
    const heads = formatFindingsTable(findingsResult()).split('\n').filter((l) => /^\S/.test(l) || /^  [A-Z]/.test(l));
    expect(heads.slice(0, 9).map((l) => l.split(/\s+/).filter(Boolean).slice(0, 2).join(' '))).toEqual([
      'web1 [web,', 'CRITICAL policy/web/forbidden/1', 'HIGH FS001', 'LOW FS010', 'LOW FS010', 'web2 [web,', 'HIGH FS003', 'db1 [db]:', 'MEDIUM FS004',
    ]);
  });

  test('clean hosts folded, and a check of nothing says so', () => {
    expect(formatFindingsTable(cleanResult())).toBe('No findings on 3 hosts: web[1-3]\n\n3 hosts checked: no findings.\n');
    expect(formatFindingsTable({ ...cleanResult(), hostsChecked: [] })).toBe('No host was checked.\n');
  });

  test('colour: only the severity labels of findings that count', () => {
    const text = formatFindingsTable(findingsResult(), { color: true });
    expect(text).toContain('  \x1b[1;31mCRITICAL\x1b[0m  policy/web/forbidden/1');
    expect(text).toContain('  \x1b[33mMEDIUM  \x1b[0m  FS004');
    expect(text).toContain('\n  LOW       FS010 unnamed-port  tcp [::]:9999');
    expect(text.replace(/\x1b\[[0-9;]*m/g, '')).toBe(formatFindingsTable(findingsResult()));
  });
});
