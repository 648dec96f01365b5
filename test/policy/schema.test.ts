// The example policy validates against schema/policy-v1.schema.json AND loads; the loader and the
// schema reject the same bad files (the schema says less than the loader: a calendar date, a
// forwards range, a known rule id; those are the loader's alone, tested in load.test.ts).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { schemaErrors } from '../helpers/schema.js';
import { BUILT_IN_RULES, policyErrorOf, policyOf } from './policy-fixtures.js';
import { loadPolicy } from '../../src/policy/index.js';

const EXAMPLE = readFileSync(new URL('../../examples/policy.yml', import.meta.url), 'utf8');

test('examples/policy.yml validates against the schema and loads', () => {
  expect(schemaErrors(parse(EXAMPLE), 'policy')).toEqual([]);
  const policy = loadPolicy(EXAMPLE, 'examples/policy.yml', BUILT_IN_RULES);
  expect(policy.groups).toEqual(['all', 'web', 'db']);
  expect(policy.entries.map((e) => `${e.group}.${e.kind}`)).toEqual([
    'all.required', 'all.allowed', 'all.allowed', 'all.allowed', 'all.forbidden', 'all.forbidden', 'all.forbidden',
    'web.allowed', 'web.allowed', 'db.required', 'db.allowed', 'db.forbidden',
  ]);
  expect(policy.waivers.map((w) => [w.rule, w.expirationDate])).toEqual([['FS008', '2027-03-31'], ['policy.unlisted', null]]);
});

const HEAD = 'schema: fleetstat/policy@1';
const GOOD: Array<[string, string[]]> = [
  ['only the schema', [HEAD]],
  ['lists and single values', [HEAD, 'groups:', '  web:', '    allowed: [{proto: [tcp, udp], port: [53, 8000-8099], bind: [loopback, 10.0.0.5], process: named, user: [bind]}]']],
  ['a required unix path', [HEAD, 'groups:', '  all:', '    required: [{proto: unix, path: /run/dbus/system_bus_socket, severity: low}]']],
  ['a waiver with yes', [HEAD, 'waivers: [{rule: policy.required, justification: x, run: yes, expiration_date: 2027-01-01}]']],
];
const BAD: Array<[string, string[]]> = [
  ['an unknown top key', [HEAD, 'owner: x']],
  ['an unknown entry key', [HEAD, 'groups:', '  web:', '    allowed: [{proto: tcp, prot: 80}]']],
  ['an unknown group key', [HEAD, 'groups:', '  web:', '    denied: []']],
  ['an unknown waiver key', [HEAD, 'waivers: [{rule: FS001, justification: x, expires: 2027-01-01}]']],
  ['no schema', ['groups: {}']],
  ['another schema', ['schema: fleetstat/policy@2']],
  ['a family-specific protocol', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp6}]']],
  ['a port out of range', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, port: 70000}]']],
  ['a port that is a word', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, port: http}]']],
  ['a port on a unix entry', [HEAD, 'groups:', '  all:', '    allowed: [{proto: unix, port: 80}]']],
  ['unix with tcp', [HEAD, 'groups:', '  all:', '    allowed: [{proto: [unix, tcp]}]']],
  ['a path on a tcp entry', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, path: /run/x}]']],
  ['severity on an allowed entry', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, severity: low}]']],
  ['a required list of ports', [HEAD, 'groups:', '  all:', '    required: [{proto: tcp, port: [80, 443]}]']],
  ['a required entry without a port', [HEAD, 'groups:', '  all:', '    required: [{proto: tcp}]']],
  ['a bad severity', [HEAD, 'unlisted: severe']],
  ['a waiver without justification', [HEAD, 'waivers: [{rule: FS001}]']],
  ['a waiver without a rule', [HEAD, 'waivers: [{justification: x}]']],
  ['a waiver of a misspelt rule', [HEAD, 'waivers: [{rule: FS1, justification: x}]']],
  ['a date without its zeros', [HEAD, 'waivers: [{rule: FS001, justification: x, expiration_date: 2027-3-31}]']],
  ['run: maybe', [HEAD, 'waivers: [{rule: FS001, justification: x, run: maybe}]']],
  ['an empty list', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, user: []}]']],
  ['an empty justification', [HEAD, 'waivers: [{rule: FS001, justification: " "}]']],
  ['a group that is a list', [HEAD, 'groups:', '  all: []']],
];

test.each(GOOD)('both accept: %s', (_what, lines) => {
  expect(schemaErrors(parse(`${lines.join('\n')}\n`), 'policy')).toEqual([]);
  expect(() => policyOf(...lines)).not.toThrow();
});

test.each(BAD)('both reject: %s', (_what, lines) => {
  expect(schemaErrors(parse(`${lines.join('\n')}\n`), 'policy')).not.toEqual([]);
  expect(policyErrorOf(...lines).kind).toMatch(/./);
});
