// The findings as JUnit XML: as the golden file; one suite per host, one testcase per host × rule,
// failures, skips and errors where they belong; valid against Jenkins xunit's junit-10.xsd (checked by
// xmllint, which CI installs); hostile strings escaped, characters XML cannot hold made visible.
import { formatFindingsJunit, xmlText } from '../../src/report/findings-junit.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { lintJunit as lint } from '../helpers/findings-schemas.js';
import { cleanResult, findingsResult, golden, RULES } from './findings-fixtures.js';

test('as the golden file', () => {
  const xml = formatFindingsJunit(findingsResult());
  expect(xml).toBe(golden('findings.junit.xml', xml));
});

test('one testsuite per host, checked ones in inventory order then the unchecked, with their totals', () => {
  const xml = formatFindingsJunit(findingsResult());
  expect([...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/g)].map((m) => m.slice(1).join(' '))).toEqual([
    'web1 6 3 0 0',
    'web2 6 1 0 0',
    'web3 6 0 0 0',
    'db1 6 1 0 1',
    'db9 1 0 1 0',
  ]);
  expect(xml).toContain('<testsuites name="fleetstat check" tests="25" failures="5" errors="1">');
});

test('every rule is a testcase on every checked host: a rule nothing breaks passes', () => {
  const xml = formatFindingsJunit(cleanResult());
  expect(xml.match(/<testcase /g)).toHaveLength(3 * RULES.length);
  expect(xml).toContain('    <testcase name="FS007 packet-socket" classname="web2"/>\n');
  expect(xml).not.toMatch(/<failure|<skipped|<error/);
});

test('two findings of one rule on one host: one testcase, one failure listing both', () => {
  const xml = formatFindingsJunit(findingsResult());
  expect(xml).toContain(
    '    <testcase name="FS010 unnamed-port" classname="web1">\n' +
      '      <failure type="low" message="2 findings: tcp 127.0.0.1:8081 is named by no services table nor policy; udp [::]:31337 is named by no services table nor policy">' +
      '[low] tcp 127.0.0.1:8081 node (app): node server.js\n[low] udp [::]:31337 python3 (www-data): python3 -m http.server 31337</failure>\n' +
      '    </testcase>\n',
  );
});

test('waived: skipped with its justification; expired waiver: a failure again; unchecked: an error', () => {
  const xml = formatFindingsJunit(findingsResult());
  expect(xml).toContain('<testcase name="FS010 unnamed-port" classname="db1">\n      <skipped message="waived: Metrics exporter, scraped by Prometheus; ticket OPS-12">');
  expect(xml).toContain('<testcase name="FS004 database-bound-to-all" classname="db1">\n      <failure type="medium" message="redis-server listens on tcp 0.0.0.0:6379 (all addresses)">');
  expect(xml).toContain('(waiver expired 2025-06-30: Cache for the batch VLAN until it moves, OPS-7)</failure>');
  expect(xml).toContain('<testcase name="checked" classname="db9">\n      <error type="unreachable" message="unreachable: connect ECONNREFUSED 10.0.0.9:22\\x1b[31m\\x01"/>');
});

test('a finding of a rule the run does not describe still gets a testcase', () => {
  const result = findingsResult();
  result.findings = [{ ...result.findings[0]!, ruleId: 'policy/db/required/2' }];
  expect(formatFindingsJunit(result)).toContain('<testcase name="policy/db/required/2" classname="web1">\n      <failure type="low"');
});

describe('xmlText', () => {
  test.each([
    ['markup', `a<b>&"c'`, 'a&lt;b&gt;&amp;&quot;c&apos;'],
    ['C0 controls, DEL and C1', 'a\x00b\x01c\x1bd\x7fe\x9b', 'a\\x00b\\x01c\\x1bd\\x7fe\\x9b'],
    ['CR LF TAB (not kept: attribute values would lose them)', 'a\r\nb\tc', 'a\\r\\nb\\tc'],
    ['a backslash, so an escape cannot be forged', 'a\\x01', 'a\\\\x01'],
    ['non-characters and lone surrogates', 'a\ufffeb\uffffc\ud800d\udc00e', 'a\\ufffeb\\uffffc\\ud800d\\udc00e'],
    ['a surrogate pair (an emoji) kept', 'ok \u{1f600}', 'ok \u{1f600}'],
    ['bidi overrides', 'x\u202ey', 'x\\u202ey'],
  ])('%s', (_, input, expected) => {
    expect(xmlText(input)).toBe(expected);
  });
});

describeIf(hasCommand('xmllint') ? [] : ['xmllint (libxml2-utils)'], 'against junit-10.xsd', () => {
  test.each([
    ['the fixture fleet', () => formatFindingsJunit(findingsResult())],
    ['a clean check', () => formatFindingsJunit(cleanResult())],
    ['nothing checked', () => formatFindingsJunit({ ...cleanResult(), hostsChecked: [] })],
    [
      'every character a host could send',
      () => {
        const result = findingsResult();
        const hostile = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('') + '\ud800\ufffe\uffff]]><!--&amp;';
        result.findings = result.findings.map((f) => ({ ...f, evidence: hostile, message: hostile, host: f.host === 'web1' ? `web1${hostile}` : f.host }));
        result.hostsChecked = result.hostsChecked.map((h) => (h.host === 'web1' ? { ...h, host: `web1${hostile}` } : h));
        result.unchecked = [{ ...result.unchecked[0]!, message: hostile, status: hostile }];
        return formatFindingsJunit(result);
      },
    ],
  ])('%s validates', (_, make) => {
    const run = lint(make());
    expect(run.stderr).toBe('- validates\n');
    expect(run.status).toBe(0);
  });

  test('the check can fail: a testsuite without its counts does not validate', () => {
    const run = lint(formatFindingsJunit(cleanResult()).replace(' failures="0" errors="0" skipped="0" hostname="web1"', ''));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("The attribute 'failures' is required but missing.");
  });
});
