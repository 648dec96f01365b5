// docs/rules.md is the built-in rules as the code has them (id, name, severity, summary, explanation,
// how to except it): written from BUILT_IN_RULES, so the page cannot drift from the rules.
// FLEETSTAT_UPDATE_GOLDEN=1 rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';
import { BUILT_IN_RULES } from '../../src/rules/index.js';

const page = new URL('../../docs/rules.md', import.meta.url);

function rulesPage(): string {
  const lines = [
    '# Built-in rules',
    '',
    '`fleetstat check` runs every one of these on every host it can see, in this order; `--policy FILE` adds',
    'the written policy\'s rules (`policy.forbidden`, `policy.required`, `policy.unlisted`: [policy.md](policy.md)).',
    'Each finding names its rule id; a waiver in the policy file excepts it (rule, optionally hosts, proto, port,',
    'process; a justification always; an expiration_date maybe). Severities: info < low < medium < high < critical;',
    '`--fail-on` picks the lowest that fails the run. This page is written from `src/rules/` by',
    '`FLEETSTAT_UPDATE_GOLDEN=1 npm test -- test/docs/rules-doc.test.ts`.',
    '',
    '| id | name | severity | what |',
    '| --- | --- | --- | --- |',
    ...BUILT_IN_RULES.map((r) => `| ${r.id} | ${r.name} | ${r.severity} | ${r.summary} |`),
    '',
  ];
  for (const r of BUILT_IN_RULES) lines.push(`## ${r.id} ${r.name} (${r.severity})`, '', r.summary, '', r.explanation, '', `**Excepting it:** ${r.exception}`, '');
  return lines.join('\n');
}

test('docs/rules.md is written from the rules themselves', () => {
  const expected = rulesPage();
  if (process.env.FLEETSTAT_UPDATE_GOLDEN === '1') writeFileSync(page, expected);
  expect(readFileSync(page, 'utf8')).toBe(expected);
});
