// One host against the written policy, hosts built in code: forbidden, required and unlisted, each
// positive and negative; port ranges, bind scopes and literal addresses, process globs, users; a host
// in two groups; listeners as drift sees them (UDP clients and the scan's own session never count).
import type { HostScan, Socket } from '../../src/model/index.js';
import { checkPolicy } from '../../src/policy/index.js';
import { facts, inet, proc, unix } from '../report/scan-fixtures.js';
import { policyOf } from './policy-fixtures.js';

const POLICY = policyOf(
  'schema: fleetstat/policy@1',
  'unlisted: medium',
  'groups:',
  '  all:',
  '    required: [{proto: tcp, port: 22, process: sshd}]',
  '    forbidden:',
  '      - {proto: tcp, port: 23, severity: critical, reason: telnet is cleartext}',
  '      - {proto: tcp, process: ["nc*", socat]}',
  '      - {proto: unix, path: "/var/run/docker*.sock"}',
  '  web:',
  '    allowed:',
  '      - {proto: tcp, port: [80, 443], process: nginx}',
  '      - {proto: tcp, port: 8000-8099, bind: loopback, user: www-data}',
  '  db:',
  '    required: [{proto: tcp, port: 22, process: sshd}, {proto: tcp, port: 5432, process: postgres, severity: critical}]',
  '    allowed: [{proto: udp, port: 5353, bind: 10.0.0.9}]',
);

const host = (groups: string[], sockets: Socket[], name = 'h1'): HostScan => ({
  name, address: '10.0.0.9', port: 22, groups, status: 'ok', facts: facts(), sockets, issues: [],
});
const tcp = (port: number, name: string | null, user = 'root', address = '0.0.0.0', pid = port * 10): Socket =>
  inet({ proto: address.includes(':') ? 'tcp6' : 'tcp', state: 'LISTEN', local: { address, port }, inode: port, processes: name === null ? [] : [proc(pid, name, user, 0, [`/usr/sbin/${name}`, '-D'])] });
const udp = (port: number, name: string, address = '0.0.0.0'): Socket =>
  inet({ proto: 'udp', state: 'UNCONN', local: { address, port }, inode: port, processes: [proc(port * 10, name, 'root', 0)] });
const sshd = tcp(22, 'sshd');
const rules = (h: HostScan) => checkPolicy(h, POLICY).map((f) => `${f.ruleId} ${f.subject.proto} ${f.subject.address ?? '-'}:${f.subject.port ?? '-'}`);

test('a host as its groups allow it: no findings', () => {
  const web = host(['web'], [sshd, tcp(80, 'nginx', 'root', '::'), tcp(443, 'nginx', 'www-data'), tcp(8080, 'gunicorn', 'www-data', '127.0.0.1'), tcp(8099, 'gunicorn', 'www-data', '::1')]);
  expect(checkPolicy(web, POLICY)).toEqual([]);
});

test('a forbidden listener: its entry\'s severity, line, reason; evidence and a fingerprint without pid or inode', () => {
  const findings = checkPolicy(host(['web'], [sshd, tcp(23, 'in.telnetd')]), POLICY);
  expect(findings).toEqual([{
    host: 'h1',
    groups: ['web'],
    ruleId: 'policy.forbidden',
    severity: 'critical',
    message: 'tcp 0.0.0.0:23 held by in.telnetd (root) is forbidden by groups.all.forbidden[0]: telnet is cleartext',
    subject: { proto: 'tcp', address: '0.0.0.0', port: 23, netns: null, process: { pid: 230, name: 'in.telnetd', user: 'root', cmdline: ['/usr/sbin/in.telnetd', '-D'] } },
    evidence: 'tcp 0.0.0.0:23 held by in.telnetd (pid 230, user root): /usr/sbin/in.telnetd -D',
    fingerprint: '["h1","policy.forbidden",null,"tcp","0.0.0.0",23,"in.telnetd"]',
    waiver: null,
    location: { file: 'p.yml', line: 7, column: 9 },
  }]);
  // restarted: new pid, new inode, same fingerprint
  const again = checkPolicy(host(['web'], [sshd, { ...tcp(23, 'in.telnetd', 'root', '0.0.0.0', 999), inode: 4242 }]), POLICY);
  expect(again.map((f) => f.fingerprint)).toEqual([findings[0]!.fingerprint]);
});

test('forbidden by process glob, on any port; one forbidden holder is enough; other names are not', () => {
  expect(checkPolicy(host(['db'], [sshd, tcp(5432, 'postgres'), tcp(4444, 'ncat')]), POLICY).map((f) => [f.ruleId, f.severity, f.subject.port, f.subject.process?.name, f.location?.line]))
    .toEqual([['policy.forbidden', 'high', 4444, 'ncat', 8]]);
  const shared = inet({ proto: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 9000 }, processes: [proc(1, 'bash', 'root', 0), proc(2, 'socat', 'root', 0)] });
  expect(checkPolicy(host(['db'], [sshd, tcp(5432, 'postgres'), shared]), POLICY).map((f) => [f.ruleId, f.subject.process?.name])).toEqual([['policy.forbidden', 'socat']]);
  // `nc*` is not `*nc*`: rsync is only unlisted
  expect(rules(host(['db'], [sshd, tcp(5432, 'postgres'), tcp(873, 'rsync')]))).toEqual(['policy.unlisted tcp 0.0.0.0:873']);
});

test('a forbidden unix socket, by path glob; unix sockets are never unlisted', () => {
  expect(rules(host(['web'], [sshd, unix('/var/run/docker.sock'), unix('/run/systemd/private')]))).toEqual(['policy.forbidden unix /var/run/docker.sock:-']);
});

test('port ranges, bind scopes and users: a listener must fit every part of one entry', () => {
  const at = (port: number, address: string, user = 'www-data') => rules(host(['web'], [sshd, tcp(port, 'gunicorn', user, address)]));
  expect(at(8000, '127.0.0.1')).toEqual([]);
  expect(at(8099, '127.0.0.5')).toEqual([]); // all of 127/8 is loopback
  expect(at(8100, '127.0.0.1')).toEqual(['policy.unlisted tcp 127.0.0.1:8100']);
  expect(at(8080, '0.0.0.0')).toEqual(['policy.unlisted tcp 0.0.0.0:8080']);
  expect(at(8080, '10.0.0.9')).toEqual(['policy.unlisted tcp 10.0.0.9:8080']);
  expect(at(8080, '127.0.0.1', 'root')).toEqual(['policy.unlisted tcp 127.0.0.1:8080']);
});

test('an unlisted listener: the `unlisted` line, and the entry that nearly allows it in the evidence', () => {
  const [finding] = checkPolicy(host(['web'], [sshd, tcp(8080, 'gunicorn', 'www-data', '0.0.0.0')]), POLICY);
  expect(finding).toMatchObject({
    ruleId: 'policy.unlisted',
    severity: 'medium',
    message: 'tcp 0.0.0.0:8080 held by gunicorn (www-data) is allowed by no entry of groups all, web',
    evidence: 'tcp 0.0.0.0:8080 held by gunicorn (pid 80800, user www-data): /usr/sbin/gunicorn -D; groups.web.allowed[1] (line 13) allows only tcp 8000-8099 bound to loopback as www-data',
    location: { file: 'p.yml', line: 2, column: 1 },
  });
});

test('an allowed entry allows a listener only when every holder is one it names', () => {
  const both = inet({ proto: 'tcp6', state: 'LISTEN', local: { address: '::', port: 443 }, processes: [proc(1, 'nginx', 'root', 0), proc(2, 'python3', 'app', 1000)] });
  expect(checkPolicy(host(['web'], [sshd, both]), POLICY).map((f) => [f.ruleId, f.message])).toEqual([
    ['policy.unlisted', 'tcp [::]:443 held by nginx (root), python3 (app) is allowed by no entry of groups all, web'],
  ]);
});

test('a required listener missing: nothing there, another process there, or one that could not be seen', () => {
  const missing = (sockets: Socket[]) => checkPolicy(host(['web'], sockets), POLICY).filter((f) => f.ruleId === 'policy.required');
  const [none] = missing([]);
  expect(none).toEqual({
    host: 'h1',
    groups: ['web'],
    ruleId: 'policy.required',
    severity: 'high',
    message: 'required listener missing: tcp 22 by sshd (groups.all.required[0])',
    subject: { proto: 'tcp', address: null, port: 22, netns: null, process: null },
    evidence: 'nothing listens on tcp 22',
    fingerprint: '["h1","policy.required","[[\\"tcp\\"],[{\\"low\\":22,\\"high\\":22}],null,null,[\\"sshd\\"],null]"]',
    waiver: null,
    location: { file: 'p.yml', line: 5, column: 16 },
  });
  expect(missing([tcp(22, 'dropbear')]).map((f) => f.evidence)).toEqual(['tcp 0.0.0.0:22 held by dropbear (root)']);
  expect(missing([tcp(22, null)]).map((f) => f.evidence)).toEqual(['tcp 0.0.0.0:22 held by an unseen process (a holder could not be seen: attribution partial, scan as root to tell)']);
  expect(missing([tcp(22, 'sshd', 'root', '::')])).toEqual([]);
});

test('a host in two groups: both groups\' entries apply; a requirement both make is one finding', () => {
  const both = host(['web', 'db'], [tcp(80, 'nginx'), udp(5353, 'avahi-daemon', '10.0.0.9'), udp(5353, 'avahi-daemon', '10.0.0.8')]);
  expect(rules(both)).toEqual(['policy.unlisted udp 10.0.0.8:5353', 'policy.required tcp -:22', 'policy.required tcp -:5432']);
  expect(checkPolicy(both, POLICY).map((f) => [f.severity, f.location?.line])).toEqual([['medium', 2], ['high', 5], ['critical', 15]]);
  // in db only, nginx is not allowed
  expect(rules(host(['db'], [sshd, tcp(5432, 'postgres'), tcp(80, 'nginx')]))).toEqual(['policy.unlisted tcp 0.0.0.0:80']);
});

test('listeners as drift sees them: UDP clients in the ephemeral range and the scan\'s own session never count', () => {
  const client = udp(40001, 'chronyd');
  const session: Socket = { ...tcp(2222, 'sshd'), collector: true };
  expect(rules(host(['web'], [sshd, client, session]))).toEqual([]);
  expect(rules(host(['web'], [sshd, udp(5353, 'avahi-daemon')]))).toEqual(['policy.unlisted udp 0.0.0.0:5353']);
});

test('without `unlisted`, only forbidden and required are checked; a host that was not scanned has no findings', () => {
  const quiet = { ...POLICY, unlisted: null };
  expect(checkPolicy(host(['web'], [sshd, tcp(9999, 'java')]), quiet)).toEqual([]);
  const failed: HostScan = { ...host(['web'], []), status: 'unreachable', error: { kind: 'unreachable', message: 'connect ECONNREFUSED' } };
  expect(checkPolicy(failed, POLICY)).toEqual([]);
});

test('hostile process names stay on one line', () => {
  const [finding] = checkPolicy(host(['web'], [sshd, tcp(23, 'x\ny')]), POLICY);
  expect(finding!.message).toBe('tcp 0.0.0.0:23 held by x\\ny (root) is forbidden by groups.all.forbidden[0]: telnet is cleartext');
  expect(finding!.evidence).toBe('tcp 0.0.0.0:23 held by x\\ny (pid 230, user root): /usr/sbin/x\\ny -D');
});
