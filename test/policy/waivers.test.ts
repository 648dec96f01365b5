// Waivers as InSpec has them: the first that matches is set on the finding; one expires at 00:00 on
// its expiration_date (the day before is its last), then the finding counts again; waivers that
// matched nothing are returned for the command to warn about. An unknown rule is a load error.
import type { Finding } from '../../src/model/finding.js';
import { applyWaivers } from '../../src/policy/index.js';
import { policyErrorOf, policyOf } from './policy-fixtures.js';

const finding = (host: string, ruleId: string, port: number, process: string | null): Finding => ({
  host, groups: [], ruleId, severity: 'high', message: 'm', evidence: 'e', fingerprint: `${host}/${ruleId}/${port}`, waiver: null, location: null,
  subject: { proto: 'tcp', address: '0.0.0.0', port, netns: null, process: process === null ? null : { pid: 1, name: process, user: 'root', cmdline: [] } },
});

const POLICY = policyOf(
  'schema: fleetstat/policy@1',
  'waivers:',
  '  - {rule: FS008, hosts: ["db0?"], port: 5432, justification: replica VLAN, expiration_date: 2027-03-31}',
  '  - {rule: FS008, justification: every datastore, run: false}',
  '  - {rule: policy.unlisted, hosts: [web1], proto: tcp, port: 9100-9199, process: "node_exp*", justification: monitoring}',
  '  - {rule: FS001, hosts: [nowhere], justification: stale}',
);

test('the first matching waiver is set, with its justification, expiry, run and line', () => {
  const { findings, unmatched } = applyWaivers([finding('db02', 'FS008', 5432, 'postgres'), finding('cache1', 'FS008', 6379, 'redis-server')], POLICY, '2027-03-30');
  expect(findings.map((f) => f.waiver)).toEqual([
    { justification: 'replica VLAN', expires: '2027-03-31', run: true, expired: false, location: { file: 'p.yml', line: 3, column: 5 } },
    { justification: 'every datastore', expires: null, run: false, expired: false, location: { file: 'p.yml', line: 4, column: 5 } },
  ]);
  expect(unmatched.map((w) => w.index)).toEqual([2, 3]);
});

test('expired from 00:00 on its expiration_date: kept on the finding, marked expired', () => {
  const on = (today: string) => applyWaivers([finding('db02', 'FS008', 5432, 'postgres')], POLICY, today).findings[0]!.waiver;
  expect(on('2027-03-30')).toMatchObject({ expires: '2027-03-31', expired: false });
  expect(on('2027-03-31')).toMatchObject({ expires: '2027-03-31', expired: true });
  expect(on('2028-01-01')).toMatchObject({ justification: 'replica VLAN', expired: true });
});

test('narrowing: hosts, proto, port range and process must all match', () => {
  const apply = (f: Finding) => applyWaivers([f], POLICY, '2026-01-01').findings[0]!.waiver?.justification ?? null;
  expect(apply(finding('web1', 'policy.unlisted', 9100, 'node_exporter'))).toBe('monitoring');
  expect(apply(finding('web2', 'policy.unlisted', 9100, 'node_exporter'))).toBeNull();
  expect(apply(finding('web1', 'policy.unlisted', 9200, 'node_exporter'))).toBeNull();
  expect(apply(finding('web1', 'policy.unlisted', 9100, 'python3'))).toBeNull();
  expect(apply(finding('web1', 'policy.unlisted', 9100, null))).toBeNull();
  expect(apply(finding('web1', 'policy.forbidden', 9100, 'node_exporter'))).toBeNull();
  expect(apply({ ...finding('web1', 'policy.unlisted', 9100, 'node_exporter'), subject: { ...finding('web1', 'x', 9100, 'node_exporter').subject, proto: 'udp' } })).toBeNull();
  // db0? is a glob: db10 is not db0?
  expect(apply(finding('db10', 'FS008', 5432, 'postgres'))).toBe('every datastore');
});

test('no findings: every waiver matched nothing; the findings given are not changed', () => {
  const given = [finding('web9', 'FS010', 1234, 'x')];
  const { findings, unmatched } = applyWaivers(given, POLICY, '2026-01-01');
  expect(findings).toEqual(given);
  expect(given[0]!.waiver).toBeNull();
  expect(unmatched).toHaveLength(4);
});

test('a waiver of an unknown rule does not load', () => {
  expect(policyErrorOf('schema: fleetstat/policy@1', 'waivers: [{rule: FS404, justification: x}]').message).toBe('p.yml:2:18: waivers[0].rule: unknown rule "FS404" (did you mean FS004?)');
});
