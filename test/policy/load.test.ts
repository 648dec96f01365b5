// The policy loader: what a file says, as the evaluation reads it; and every kind of mistake as one
// line naming FILE:LINE:COL and the key, with the kind asserted (not just "it threw").
import { policyErrorOf, policyOf } from './policy-fixtures.js';

const HEAD = 'schema: fleetstat/policy@1';

test('a policy: entries per group with their lines, lists and ranges normalised, waivers with defaults', () => {
  const p = policyOf(
    HEAD,
    'unlisted: low',
    'groups:',
    '  all:',
    '    required: [{proto: tcp, port: 22, process: sshd}]',
    '    forbidden:',
    '      - {proto: [tcp, udp], port: [23, 6000-6063], severity: critical, reason: cleartext}',
    '  web:',
    '    allowed:',
    '      - {proto: tcp, port: 8000-8099, bind: [loopback, "::1", "FE80::0:1"], process: "gunicorn*", user: www-data}',
    '      - {proto: unix, path: /run/php/*.sock}',
    'waivers:',
    '  - {rule: FS008, justification: replica, hosts: [db02], port: 5432, expiration_date: 2027-03-31}',
    '  - {rule: policy.unlisted, justification: lab, run: no}',
  );
  expect(p.unlisted).toEqual({ severity: 'low', location: { file: 'p.yml', line: 2, column: 1 } });
  expect(p.groups).toEqual(['all', 'web']);
  expect(p.entries.map((e) => [e.group, e.kind, e.index, e.location.line, e.location.column])).toEqual([
    ['all', 'required', 0, 5, 16], ['all', 'forbidden', 0, 7, 9], ['web', 'allowed', 0, 10, 9], ['web', 'allowed', 1, 11, 9],
  ]);
  expect(p.entries[0]).toMatchObject({ protos: ['tcp'], ports: [{ low: 22, high: 22 }], processes: ['sshd'], users: null, bind: null, severity: 'high', reason: null });
  expect(p.entries[1]).toMatchObject({ protos: ['tcp', 'udp'], ports: [{ low: 23, high: 23 }, { low: 6000, high: 6063 }], severity: 'critical', reason: 'cleartext' });
  // addresses as scans write them: IPv6 lowercase and compressed
  expect(p.entries[2]).toMatchObject({ bind: [{ scope: 'loopback' }, { address: '::1' }, { address: 'fe80::1' }], processes: ['gunicorn*'], users: ['www-data'], severity: null });
  expect(p.entries[3]).toMatchObject({ protos: ['unix'], paths: ['/run/php/*.sock'], ports: null });
  expect(p.waivers).toEqual([
    { rule: 'FS008', hosts: ['db02'], protos: null, ports: [{ low: 5432, high: 5432 }], processes: null, justification: 'replica', expirationDate: '2027-03-31', run: true, index: 0, location: { file: 'p.yml', line: 13, column: 5 } },
    { rule: 'policy.unlisted', hosts: null, protos: null, ports: null, processes: null, justification: 'lab', expirationDate: null, run: false, index: 1, location: { file: 'p.yml', line: 14, column: 5 } },
  ]);
});

test('the smallest policy: only its schema', () => {
  expect(policyOf(HEAD)).toEqual({ file: 'p.yml', unlisted: null, entries: [], groups: [], waivers: [] });
});

// [what, lines, kind, message]
const MISTAKES: Array<[string, string[], string, string]> = [
  ['a misspelt key, with the nearest one', [HEAD, 'groups:', '  web:', '    allowed:', '      - {prot: tcp, port: 80}'], 'unknown-key',
    'p.yml:5:10: groups.web.allowed[0].prot: unknown key (did you mean proto?)'],
  ['a misspelt list (it would forbid nothing)', [HEAD, 'groups:', '  all:', '    forbiden: []'], 'unknown-key',
    'p.yml:4:5: groups.all.forbiden: unknown key (did you mean forbidden?)'],
  ['an unknown key far from any', [HEAD, 'owner: secteam'], 'unknown-key',
    'p.yml:2:1: owner: unknown key; expected schema, unlisted, groups, waivers'],
  ['severity on an allowed entry', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, port: 22, severity: low}]'], 'unknown-key',
    'p.yml:4:38: groups.all.allowed[0].severity: unknown key; expected proto, port, path, bind, process, user, reason'],
  ['a duplicate key', [HEAD, 'groups:', '  web: {}', '  web: {}'], 'duplicate-key',
    'p.yml:4:3: groups.web: duplicate key (first at line 3)'],
  ['no schema', ['groups: {}'], 'missing-key', 'p.yml:1:1: schema: missing: a policy starts with schema: fleetstat/policy@1'],
  ['another schema', ['schema: fleetstat/policy@2'], 'bad-value', 'p.yml:1:9: schema: must be fleetstat/policy@1'],
  ['not a mapping', ['- tcp:22'], 'wrong-type', 'p.yml:1:1: a policy is a mapping that starts with schema: fleetstat/policy@1'],
  ['not YAML', [HEAD, 'groups: {web: [}'], 'yaml-syntax', 'p.yml:2:16: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ['a port that is a word', [HEAD, 'groups:', '  web:', '    allowed: [{proto: tcp, port: http}]'], 'wrong-type',
    'p.yml:4:34: groups.web.allowed[0].port: must be a port, a list of them, or a range A-B (8000-8099)'],
  ['a port out of range', [HEAD, 'groups:', '  web:', '    allowed: [{proto: tcp, port: [80, 70000]}]'], 'bad-value',
    'p.yml:4:39: groups.web.allowed[0].port[1]: 70000 is not a port (1-65535)'],
  ['a range that runs backwards', [HEAD, 'groups:', '  web:', '    allowed: [{proto: tcp, port: 8099-8000}]'], 'bad-value',
    'p.yml:4:34: groups.web.allowed[0].port: range 8099-8000 runs backwards (write 8000-8099)'],
  ['a raw protocol number past 255', [HEAD, 'groups:', '  all:', '    allowed: [{proto: raw, port: 300}]'], 'bad-value',
    'p.yml:4:34: groups.all.allowed[0].port: 300 is not an IP protocol number (1-255)'],
  ['a port with a fraction', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, port: 22.5}]'], 'wrong-type',
    'p.yml:4:34: groups.all.allowed[0].port: 22.5 is not a whole number'],
  ['a family-specific protocol', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp6, port: 22}]'], 'bad-value',
    'p.yml:4:23: groups.all.allowed[0].proto: "tcp6": families are folded: write tcp (and bind: to say which addresses)'],
  ['an unknown protocol', [HEAD, 'groups:', '  all:', '    allowed: [{proto: sctp}]'], 'bad-value',
    'p.yml:4:23: groups.all.allowed[0].proto: "sctp": must be one of tcp, udp, raw, unix'],
  ['no protocol', [HEAD, 'groups:', '  all:', '    allowed: [{port: 22}]'], 'missing-key', 'p.yml:4:15: groups.all.allowed[0].proto: missing: one of tcp, udp, raw, unix, or a list of them'],
  ['a port on a unix entry', [HEAD, 'groups:', '  all:', '    forbidden: [{proto: unix, port: 22}]'], 'bad-value',
    'p.yml:4:31: groups.all.forbidden[0].port: unix sockets have no port: match them by path'],
  ['a bind that is no scope nor address', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, bind: everywhere}]'], 'bad-value',
    'p.yml:4:34: groups.all.allowed[0].bind: "everywhere" is neither all, loopback, address nor an IP address'],
  ['a process name the kernel would have cut', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, process: postgres_exporter}]'], 'bad-value',
    'p.yml:4:37: groups.all.allowed[0].process: "postgres_exporter" can never match: the kernel keeps 15 bytes of a process name (write postgres_export*)'],
  ['an empty list', [HEAD, 'groups:', '  all:', '    allowed: [{proto: tcp, user: []}]'], 'bad-value',
    'p.yml:4:34: groups.all.allowed[0].user: is an empty list (leave the key out to match anything)'],
  ['a required range', [HEAD, 'groups:', '  all:', '    required: [{proto: tcp, port: 8000-8099}]'], 'bad-value',
    'p.yml:4:35: groups.all.required[0].port: a required entry names one port (write one entry per required port)'],
  ['a required entry without a port', [HEAD, 'groups:', '  all:', '    required: [{proto: tcp, process: sshd}]'], 'missing-key',
    'p.yml:4:16: groups.all.required[0].port: missing: a required entry names one port'],
  ['an unknown severity', [HEAD, 'unlisted: severe'], 'bad-value', 'p.yml:2:11: unlisted: "severe" is no severity (info, low, medium, high, critical)'],
  ['a waiver without justification', [HEAD, 'waivers:', '  - rule: FS001', '    hosts: [web1]'], 'missing-key',
    'p.yml:3:5: waivers[0].justification: missing: a waiver says why (and who signed it off)'],
  ['a waiver with an empty justification', [HEAD, 'waivers:', '  - {rule: FS001, justification: "  "}'], 'bad-value',
    'p.yml:3:34: waivers[0].justification: is empty'],
  ['a waiver of an unknown rule', [HEAD, 'waivers:', '  - {rule: FS099, justification: x}'], 'unknown-rule',
    'p.yml:3:12: waivers[0].rule: unknown rule "FS099" (did you mean FS009?)'],
  ['a waiver of a misspelt policy rule', [HEAD, 'waivers:', '  - {rule: policy.forbiden, justification: x}'], 'unknown-rule',
    'p.yml:3:12: waivers[0].rule: unknown rule "policy.forbiden" (did you mean policy.forbidden?)'],
  ['a waiver without a rule', [HEAD, 'waivers:', '  - {justification: x}'], 'missing-key',
    'p.yml:3:5: waivers[0].rule: missing: the id of the rule it waives (FS001 …, policy.forbidden, policy.required, policy.unlisted)'],
  ['a date that is not in the calendar', [HEAD, 'waivers:', '  - {rule: FS001, justification: x, expiration_date: 2027-02-30}'], 'bad-date',
    'p.yml:3:54: waivers[0].expiration_date: "2027-02-30" is not a date (YYYY-MM-DD)'],
  ['a date without its zeros', [HEAD, 'waivers:', '  - {rule: FS001, justification: x, expiration_date: 2027-3-31}'], 'bad-date',
    'p.yml:3:54: waivers[0].expiration_date: "2027-3-31" is not a date (YYYY-MM-DD)'],
  ['a date that is a number', [HEAD, 'waivers:', '  - {rule: FS001, justification: x, expiration_date: 20270331}'], 'wrong-type',
    'p.yml:3:54: waivers[0].expiration_date: must be a string, not number 20270331'],
  ['run that is neither yes nor no', [HEAD, 'waivers:', '  - {rule: FS001, justification: x, run: maybe}'], 'wrong-type',
    'p.yml:3:42: waivers[0].run: must be true or false (yes or no)'],
  ['entries that are not a list', [HEAD, 'groups:', '  all:', '    allowed: {proto: tcp}'], 'wrong-type',
    'p.yml:4:14: groups.all.allowed: must be a list, not a mapping'],
  ['a group that is a list', [HEAD, 'groups:', '  all: []'], 'wrong-type', 'p.yml:3:8: groups.all: must be a mapping (key: value), not a list'],
];

test.each(MISTAKES)('%s', (_what, lines, kind, message) => {
  const err = policyErrorOf(...lines);
  expect([err.kind, err.message]).toEqual([kind, message]);
});

test('control characters in a key cannot break the one-line message', () => {
  const err = policyErrorOf(HEAD, '"own\\ner": x');
  expect(err.message).toBe('p.yml:2:1: own\\ner: unknown key; expected schema, unlisted, groups, waivers');
  expect(err.key).toBe('own\ner');
});
