// Findings as JUnit XML, as Jenkins' xunit plugin reads it (its junit-10.xsd, the schema pytest
// targets): one <testsuite> per host, one <testcase> per host × rule, every rule of the run for every
// checked host, so a rule that passed shows as a passing test.
// Suites are hosts, not rules: a host is what an SRE fixes and what a CI page should total ("web1: 2
// failures"), and a host that could not be checked is one suite with one <error>, not an error
// scattered over every rule.
// - A rule broken on a host: one <failure> (type = the most severe finding's severity), however many
//   findings of that rule the host has (JUnit readers show a testcase's first failure only), its
//   text one line per finding. A finding whose waiver expired counts again, so it is a failure too.
// - A rule whose findings on a host are all waived: <skipped message="waived: …">.
// - A host that could not be checked: a suite with one testcase `checked`, an <error> typed by status.
// Every string is escaped for a terminal first (escape.ts: control characters become visible `\x01`,
// `\n`, …), then for XML; a character XML 1.0 cannot hold (U+FFFE, a lone surrogate) is written
// `\uXXXX` too. No control character reaches the document raw.
import type { Finding, FindingsResult, UncheckedHost } from '../model/finding.js';
import { escapeForTerminal } from './escape.js';
import { counts, findingsByHost, findingStatus, processText, SEVERITIES_DESCENDING, subjectText } from './findings-common.js';

// what escapeForTerminal leaves that XML 1.0's Char production excludes: lone surrogates, U+FFFE, U+FFFF
const NOT_XML_CHAR = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;
const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** `text` as XML character data or attribute value: control characters made visible, then markup escaped. */
export function xmlText(text: string): string {
  return escapeForTerminal(text)
    .replace(NOT_XML_CHAR, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]!);
}

/** Lines of fleetstat's own text (each already escaped) as XML character data. */
const xmlLines = (lines: readonly string[]) => lines.map(xmlText).join('\n');

function attributes(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? v : xmlText(v)}"`)
    .join('');
}

function findingLine(f: Finding): string {
  const what = [subjectText(f.subject), processText(f.subject.process)].filter((t) => t !== '').join(' ');
  const w = f.waiver;
  const status = findingStatus(f);
  const note = w === null ? '' : status === 'waived' ? ` (waived${w.expires !== null ? ` until ${w.expires}` : ''}: ${w.justification})` : ` (waiver expired ${w.expires ?? ''}: ${w.justification})`;
  return `[${f.severity}] ${what}: ${f.evidence}${note}`;
}

interface Testcase {
  xml: string;
  outcome: 'passed' | 'failure' | 'skipped' | 'error';
}

function testcase(host: string, name: string, findings: readonly Finding[]): Testcase {
  const open = attributes({ name, classname: host });
  if (findings.length === 0) return { xml: `    <testcase${open}/>`, outcome: 'passed' };
  const counted = findings.filter(counts);
  const lines = xmlLines(findings.map(findingLine));
  if (counted.length === 0) {
    const message = `waived: ${[...new Set(findings.map((f) => f.waiver?.justification ?? ''))].join('; ')}`;
    return { xml: `    <testcase${open}>\n      <skipped${attributes({ message })}>${lines}</skipped>\n    </testcase>`, outcome: 'skipped' };
  }
  const type = SEVERITIES_DESCENDING.find((s) => counted.some((f) => f.severity === s))!;
  const message = counted.length === 1 ? counted[0]!.message : `${counted.length} findings: ${counted.map((f) => f.message).join('; ')}`;
  return { xml: `    <testcase${open}>\n      <failure${attributes({ type, message })}>${lines}</failure>\n    </testcase>`, outcome: 'failure' };
}

function suite(name: string, extra: Record<string, string | undefined>, properties: Record<string, string>, cases: readonly Testcase[]): string {
  const count = (o: Testcase['outcome']) => cases.filter((c) => c.outcome === o).length;
  const head = attributes({ name, tests: String(cases.length), failures: String(count('failure')), errors: String(count('error')), skipped: String(count('skipped')), ...extra });
  const props = Object.entries(properties).map(([k, v]) => `      <property${attributes({ name: k, value: v })}/>`);
  const propsXml = props.length > 0 ? [`    <properties>`, ...props, `    </properties>`] : [];
  return [`  <testsuite${head}>`, ...propsXml, ...cases.map((c) => c.xml), `  </testsuite>`].join('\n');
}

function uncheckedSuite(u: UncheckedHost, timestamp: string): { xml: string; cases: Testcase[] } {
  const cases: Testcase[] = [
    { xml: `    <testcase${attributes({ name: 'checked', classname: u.host })}>\n      <error${attributes({ type: u.status, message: `${u.status}: ${u.message}` })}/>\n    </testcase>`, outcome: 'error' },
  ];
  return { xml: suite(u.host, { hostname: u.host, timestamp }, { groups: u.groups.join(','), status: u.status }, cases), cases };
}

/** The findings as a JUnit XML document (UTF-8, ending with a newline). */
export function formatFindingsJunit(result: FindingsResult): string {
  const timestamp = result.source.startedAt;
  const locations = new Map(result.hostsChecked.map((h) => [h.host, h.location]));
  const suites: string[] = [];
  const all: Testcase[] = [];
  for (const h of findingsByHost(result)) {
    const byRule = new Map<string, Finding[]>(result.rules.map((r) => [r.id, []]));
    // a finding of a rule the run does not describe still gets its testcase, after the described ones
    for (const f of h.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    const names = new Map(result.rules.map((r) => [r.id, `${r.id} ${r.name}`]));
    const cases = [...byRule].map(([id, findings]) => testcase(h.host, names.get(id) ?? id, findings));
    const location = locations.get(h.host);
    const properties: Record<string, string> = { groups: h.groups.join(',') };
    if (location) properties.location = `${location.file}:${location.line}`;
    suites.push(suite(h.host, { hostname: h.host, timestamp }, properties, cases));
    all.push(...cases);
  }
  for (const u of result.unchecked) {
    const s = uncheckedSuite(u, timestamp);
    suites.push(s.xml);
    all.push(...s.cases);
  }
  const count = (o: Testcase['outcome']) => String(all.filter((c) => c.outcome === o).length);
  const head = attributes({ name: 'fleetstat check', tests: String(all.length), failures: count('failure'), errors: count('error') });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${head}>`, ...suites, '</testsuites>', ''].join('\n');
}
