// Each built-in rule on hosts built in code: what it must report (positive) and the look-alikes of a
// real fleet it must leave alone (negative): Python and Node services, sshd sessions, DHCP clients,
// loopback databases, the scan's own connection.
import type { HostScan, ProcessRef, Socket } from '../../src/model/index.js';
import type { Finding } from '../../src/model/finding.js';
import { BUILT_IN_RULES, checkHost, type Rule } from '../../src/rules/index.js';
import { bundledServices } from '../../src/merge/services.js';
import { facts, inet, proc, unix, web1 } from '../report/scan-fixtures.js';

const context = { services: bundledServices(), hostLocation: { file: 'hosts.yml', line: 3, column: 5 } };
const host = (sockets: Socket[], overrides: Partial<HostScan> = {}): HostScan => ({ ...web1(), sockets, facts: facts(), ...overrides });
const listen = (port: number, holder: ProcessRef | null, address = '0.0.0.0', proto: 'tcp' | 'tcp6' | 'udp' = 'tcp'): Socket =>
  inet({ proto, state: proto === 'udp' ? 'UNCONN' : 'LISTEN', local: { address, port }, inode: 5000 + port, processes: holder ? [holder] : [] });
const connected = (holder: ProcessRef, remote: string, remotePort: number, localPort = 45000, direction: Socket['direction'] = 'outbound'): Socket =>
  inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: localPort }, remote: { address: remote, port: remotePort }, direction, processes: [holder] });
const withFds = (p: ProcessRef, fds: number[]): ProcessRef => ({ ...p, fds });
const withExe = (p: ProcessRef, exe: string, deleted = false): ProcessRef => ({ ...p, exe, ...(deleted ? { exeDeleted: true as const } : {}) });

const rule = (id: string): Rule => {
  const found = BUILT_IN_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};
const run = (id: string, h: HostScan): Finding[] => rule(id).check(h, context);
const summary = (fs: Finding[]) => fs.map((f) => [f.ruleId, f.severity, f.subject.port, f.subject.process?.name ?? null]);

const python = (args: string[], pid = 300) => proc(pid, 'python3', 'app', 1000, ['/usr/bin/python3', ...args]);

describe('the list', () => {
  test('ids are unique, FS001… in order, each with a name, summary, explanation and exception', () => {
    expect(BUILT_IN_RULES.map((r) => r.id)).toEqual(['FS001', 'FS002', 'FS003', 'FS004', 'FS005', 'FS006', 'FS007', 'FS008', 'FS009', 'FS010']);
    for (const r of BUILT_IN_RULES) {
      expect(r.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      for (const text of [r.summary, r.explanation, r.exception]) expect(text.length).toBeGreaterThan(20);
    }
    expect(new Set(BUILT_IN_RULES.map((r) => r.name)).size).toBe(BUILT_IN_RULES.length);
  });

  test('an ordinary host (sshd, nginx, a loopback postgres, a Python service, the scan\'s session) has no findings', () => {
    const session = inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: 22 }, remote: { address: '10.0.0.9', port: 50000 }, direction: 'inbound', collector: true, processes: [proc(900, 'sh', 'root', 0, ['sh', '-s'])] });
    const h = host([
      listen(22, withExe(proc(812, 'sshd', 'root', 0, ['/usr/sbin/sshd', '-D']), '/usr/sbin/sshd')),
      listen(80, withExe(proc(900, 'nginx', 'root', 0, ['nginx: master process /usr/sbin/nginx']), '/usr/sbin/nginx')),
      listen(5432, proc(400, 'postgres', 'postgres', 110, ['/usr/lib/postgresql/15/bin/postgres']), '127.0.0.1'),
      listen(8080, python(['-m', 'gunicorn', 'app:app', '-c', 'conf.py']), '0.0.0.0'),
      connected(proc(812, 'sshd', 'root', 0), '10.0.0.9', 51000, 22, 'inbound'),
      session,
    ]);
    expect(checkHost(h, context)).toEqual([]);
  });
});

describe('FS001 shell-listening', () => {
  test('bash, dash, a login -sh and busybox sh listening are high', () => {
    const h = host([
      listen(4444, proc(10, 'bash', 'root', 0, ['bash', '-i'])),
      listen(4445, proc(11, 'dash', 'www-data', 33, ['/bin/dash'])),
      listen(4446, proc(12, '-sh', 'root', 0, ['-sh'])),
      listen(4447, proc(13, 'busybox', 'root', 0, ['busybox', 'sh'])),
    ]);
    expect(summary(run('FS001', h))).toEqual([['FS001', 'high', 4444, 'bash'], ['FS001', 'high', 4445, 'dash'], ['FS001', 'high', 4446, '-sh'], ['FS001', 'high', 4447, 'busybox']]);
    const f = run('FS001', h)[0] as Finding;
    expect(f).toMatchObject({ host: 'web1', message: 'shell bash (pid 10) listens on tcp 0.0.0.0:4444', evidence: 'bash -i', location: context.hostLocation });
  });
  test('not: a shell holding a connection only, busybox running another applet, a program named like a shell\'s file', () => {
    const h = host([connected(proc(10, 'bash', 'root', 0), '127.0.0.1', 80), listen(80, proc(13, 'busybox', 'root', 0, ['busybox', 'httpd', '-f'])), listen(81, proc(14, 'bashtop', 'root', 0, ['bashtop']))]);
    expect(run('FS001', h)).toEqual([]);
  });
});

describe('FS002 netcat-listening', () => {
  test('nc -e / ncat --exec / socat EXEC: / busybox nc -lp … -e are high; a plain listening nc is medium', () => {
    const h = host([
      listen(1, proc(20, 'nc', 'root', 0, ['nc', '-lvp', '1', '-e', '/bin/sh'])),
      listen(2, proc(21, 'ncat', 'root', 0, ['ncat', '-l', '2', '--exec=/bin/bash'])),
      listen(3, proc(22, 'socat', 'root', 0, ['socat', 'TCP-LISTEN:3,reuseaddr,fork', 'EXEC:/bin/bash,pty,stderr'])),
      listen(4, proc(23, 'busybox', 'root', 0, ['busybox', 'nc', '-lp', '4', '-e', 'sh'])),
      listen(5, proc(24, 'nc.openbsd', 'u', 1000, ['nc', '-l', '5'])),
      listen(6, proc(25, 'socat', 'u', 1000, ['socat', 'TCP-LISTEN:6,fork', 'TCP:10.0.0.1:80'])),
      listen(7, proc(26, 'nc', 'u', 1000, ['nc', '-lvpc', '7', 'id'])),
    ]);
    expect(summary(run('FS002', h))).toEqual([
      ['FS002', 'high', 1, 'nc'], ['FS002', 'high', 2, 'ncat'], ['FS002', 'high', 3, 'socat'], ['FS002', 'high', 4, 'busybox'],
      ['FS002', 'medium', 5, 'nc.openbsd'], ['FS002', 'medium', 6, 'socat'], ['FS002', 'high', 7, 'nc'],
    ]);
    expect(run('FS002', h)[0]?.message).toBe('nc (pid 20) listens on tcp 0.0.0.0:1 and runs a program for each connection');
  });
  test('not: nc as a client, a program whose argument mentions EXEC:', () => {
    const h = host([connected(proc(20, 'nc', 'root', 0, ['nc', '10.0.0.1', '80']), '10.0.0.1', 80), listen(8080, proc(30, 'java', 'app', 1000, ['java', '-Dx=EXEC:/bin/sh', '-jar', 'a.jar']))]);
    expect(run('FS002', h)).toEqual([]);
  });
});

describe('FS003 inline-interpreter-listening', () => {
  test('python -c, python3 -Bc, perl -e, perl -lne, ruby -e, php -r, node -e and --eval= are medium', () => {
    const h = host([
      listen(1, python(['-c', 'import socket'])),
      listen(2, python(['-u', '-Bc', 'x'], 301)),
      listen(3, proc(31, 'perl', 'u', 1, ['perl', '-MIO::Socket', '-e', 'x'])),
      listen(4, proc(32, 'perl', 'u', 1, ['perl', '-lne', 'x'])),
      listen(5, proc(33, 'ruby', 'u', 1, ['ruby', '-rsocket', '-e', 'x'])),
      listen(6, proc(34, 'php', 'u', 1, ['php', '-r', 'x'])),
      listen(7, proc(35, 'node', 'u', 1, ['node', '-e', 'x'])),
      listen(8, proc(36, 'node', 'u', 1, ['/usr/bin/node', '--eval=x'])),
      listen(9, proc(37, 'python3.11', 'u', 1, ['python3.11', '-W', 'ignore', '-c', 'x'])),
    ]);
    expect(summary(run('FS003', h)).map(([, sev, port]) => [sev, port])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((p) => ['medium', p]));
    expect(run('FS003', h)[0]?.message).toBe('python3 (pid 300) runs an inline program (-c) and listens on tcp 0.0.0.0:1');
  });
  test('not: scripts and modules (python app.py -c conf, python -m http.server, node server.js -e prod, php -S, perl script.pl -e)', () => {
    const h = host([
      listen(1, python(['app.py', '-c', 'conf.ini'])),
      listen(2, python(['-m', 'http.server'], 302)),
      listen(3, proc(35, 'node', 'u', 1, ['node', 'server.js', '-e', 'prod'])),
      listen(4, proc(34, 'php', 'u', 1, ['php', '-S', '0.0.0.0:4'])),
      listen(5, proc(31, 'perl', 'u', 1, ['perl', 'script.pl', '-e'])),
      listen(6, proc(32, 'python3', 'u', 1, ['python3', '-W', '-c', 'app.py'])),
    ]);
    expect(run('FS003', h)).toEqual([]);
  });
});

describe('FS004 reverse-shell', () => {
  test('a shell holding a connection to another host is high; its direction comes from the merge, else the rule of thumb, said so', () => {
    const h = host([connected(proc(40, 'bash', 'www-data', 33, ['bash', '-i']), '203.0.113.9', 4444), connected(proc(41, 'sh', 'root', 0), '198.51.100.1', 443, 40000, 'unknown')]);
    const fs = run('FS004', h);
    expect(summary(fs)).toEqual([['FS004', 'high', 45000, 'bash'], ['FS004', 'high', 40000, 'sh']]);
    expect(fs.map((f) => f.message)).toEqual([
      'shell bash (pid 40) holds tcp 10.0.0.5:45000 -> 203.0.113.9:4444 (opened by this host)',
      'shell sh (pid 41) holds tcp 10.0.0.5:40000 -> 198.51.100.1:443 (probably opened by this host (peer port below 1024: a rule of thumb))',
    ]);
    expect(fs[0]?.subject.remote).toEqual({ address: '203.0.113.9', port: 4444 });
  });
  test('not: a shell connected to loopback, sshd holding a session, the scan\'s own connection', () => {
    const own = { ...connected(proc(50, 'sh', 'root', 0, ['sh', '-s']), '10.0.0.9', 50000, 22, 'inbound'), collector: true as const };
    const h = host([connected(proc(40, 'bash', 'u', 1), '127.0.0.1', 5432), connected(proc(812, 'sshd', 'root', 0), '10.0.0.9', 51000, 22, 'inbound'), own]);
    expect(run('FS004', h)).toEqual([]);
  });
});

describe('FS005 socket-stdio', () => {
  test('a process whose stdin/stdout/stderr is a TCP socket is high, under any name', () => {
    const h = host([connected(withFds(proc(60, 'kworker', 'root', 0, ['[kworker/0:1]']), [0, 1, 2]), '203.0.113.9', 4444)]);
    expect(run('FS005', h).map((f) => f.message)).toEqual(['kworker (pid 60) has tcp 10.0.0.5:45000 -> 203.0.113.9:4444 as its stdin, stdout, stderr']);
  });
  test('not: a socket on fd 3 and up, a unix socket on stdout (journald), a capture without fd numbers', () => {
    const h = host([connected(withFds(proc(61, 'curl', 'u', 1), [3]), '203.0.113.9', 443), unix('/run/systemd/journal/stdout', { state: 'CONNECTED', direction: 'unknown', processes: [withFds(proc(62, 'nginx', 'root', 0), [1, 2])] }), connected(proc(63, 'bash', 'u', 1), '127.0.0.1', 1)]);
    expect(run('FS005', h)).toEqual([]);
  });
});

describe('FS006 suspicious-executable', () => {
  test('a listener run from /tmp, /dev/shm, a hidden directory or a memfd is high; a deleted binary elsewhere is medium', () => {
    const h = host([
      listen(1, withExe(proc(70, 'x', 'u', 1), '/tmp/.x/x')),
      listen(2, withExe(proc(71, 'kdevtmpfsi', 'u', 1), '/dev/shm/kdevtmpfsi', true)),
      listen(3, withExe(proc(72, 'httpd', 'u', 1), '/home/u/.config/httpd')),
      listen(4, withExe(proc(73, 'a', 'u', 1), '/memfd:a', true)),
      listen(5, withExe(proc(74, 'sshd', 'root', 0), '/usr/sbin/sshd', true)),
    ]);
    expect(summary(run('FS006', h)).map(([, sev, port]) => [sev, port])).toEqual([['high', 1], ['high', 2], ['high', 3], ['high', 4], ['medium', 5]]);
    expect(run('FS006', h)[1]?.evidence).toBe('exe /dev/shm/kdevtmpfsi (deleted)');
  });
  test('not: /usr, /opt, nvm\'s and VS Code\'s hidden toolchains, a capture without exe links, a non-listener from /tmp', () => {
    const h = host([
      listen(1, withExe(proc(70, 'node', 'u', 1), '/home/u/.nvm/versions/node/v20.1.0/bin/node')),
      listen(2, withExe(proc(71, 'node', 'u', 1), '/home/u/.vscode-server/bin/abc/node')),
      listen(3, withExe(proc(72, 'app', 'u', 1), '/opt/app/bin/app')),
      listen(4, proc(73, 'x', 'u', 1)),
      connected(withExe(proc(74, 'y', 'u', 1), '/tmp/y'), '10.1.1.1', 80),
    ]);
    expect(run('FS006', h)).toEqual([]);
  });
});

describe('FS007 packet-socket', () => {
  const packet = (holder: ProcessRef, ethertype = 0x0003): Socket => ({ proto: 'packet', state: 'UNCONN', type: 'raw', local: { ethertype, ifindex: 0 }, remote: null, recvQ: 0, sendQ: 0, uid: 0, user: 'root', inode: 7000 + holder.pid, netns: 'default', processes: [holder], direction: 'unknown' });
  test('an unknown holder, or a known name run from elsewhere, is medium', () => {
    const h = host([packet(proc(80, 'udevd', 'root', 0, ['/sbin/udevd', '-d'])), packet(withExe(proc(81, 'dhclient', 'root', 0), '/tmp/dhclient'), 0x0800)]);
    expect(run('FS007', h).map((f) => f.message)).toEqual([
      'udevd (pid 80) holds a packet socket (raw, every frame (ETH_P_ALL), every interface)',
      'dhclient (pid 81) holds a packet socket (raw, ethertype 0x0800, every interface)',
    ]);
  });
  test('not: dhclient, systemd-networkd, tcpdump from their packages', () => {
    const h = host([packet(withExe(proc(80, 'dhclient', 'root', 0), '/usr/sbin/dhclient')), packet(proc(81, 'systemd-network', 'systemd-network', 101)), packet(withExe(proc(82, 'tcpdump', 'root', 0), '/usr/bin/tcpdump'))]);
    expect(run('FS007', h)).toEqual([]);
  });
});

describe('FS008 datastore-on-all-addresses', () => {
  test('redis, postgres on ::, memcached UDP on every address are medium, one per listener', () => {
    const pg = proc(90, 'postgres', 'postgres', 110);
    const h = host([listen(6379, proc(91, 'redis-server', 'redis', 111)), listen(5432, pg, '::', 'tcp6'), listen(11211, proc(92, 'memcached', 'm', 112), '0.0.0.0', 'udp'), { ...listen(5432, { ...pg, pid: 93 }), inode: 1 }]);
    expect(summary(run('FS008', h))).toEqual([['FS008', 'medium', 6379, 'redis-server'], ['FS008', 'medium', 5432, 'postgres'], ['FS008', 'medium', 11211, 'memcached'], ['FS008', 'medium', 5432, 'postgres']]);
    expect(run('FS008', h)[1]?.message).toBe('PostgreSQL port 5432 is bound to every address (tcp6 [::]:5432)');
  });
  test('not: loopback or one address, other ports', () => {
    expect(run('FS008', host([listen(6379, null, '127.0.0.1'), listen(5432, null, '10.0.0.5'), listen(80, null)]))).toEqual([]);
  });
});

describe('FS009 unseen-owner', () => {
  test('with full attribution, a listener with no process is low; kernel services\' ports are not reported', () => {
    const h = host([listen(31337, null), listen(2049, null), listen(51820, null, '0.0.0.0', 'udp')]);
    expect(summary(run('FS009', h))).toEqual([['FS009', 'low', 31337, null]]);
  });
  test('with partial attribution: one info finding for the host, not one per listener', () => {
    const h = host([listen(31337, null), listen(8080, null)], { facts: facts({ attribution: 'partial' }) });
    const fs = run('FS009', h);
    expect(summary(fs)).toEqual([['FS009', 'info', null, null]]);
    expect(fs[0]?.evidence).toBe('tcp 0.0.0.0:31337, tcp 0.0.0.0:8080');
  });
  test('not: listeners with a holder, UDP clients in the ephemeral range', () => {
    expect(run('FS009', host([listen(80, proc(1, 'nginx', 'root', 0)), listen(40000, null, '0.0.0.0', 'udp')]))).toEqual([]);
  });
});

describe('FS010 unnamed-port', () => {
  test('a listener reachable from other hosts on a port nothing names is low', () => {
    const h = host([listen(9229, proc(1, 'node', 'app', 1000, ['node', '--inspect=0.0.0.0:9229', 'app.js']))]);
    expect(run('FS010', h).map((f) => [f.severity, f.message])).toEqual([['low', 'tcp 0.0.0.0:9229 (node): a port no services table or policy names']]);
  });
  test('not: a named port, a loopback one, a UDP client, a port the policy names', () => {
    const h = host([listen(22, null), listen(9229, null, '127.0.0.1'), listen(45000, null, '0.0.0.0', 'udp'), listen(7777, null)]);
    expect(rule('FS010').check(h, { ...context, policyNames: (proto, port) => proto === 'tcp' && port === 7777 })).toEqual([]);
  });
});

test('fingerprints leave out pid and inode (a restart is the same finding), and a connection\'s local port', () => {
  const a = run('FS001', host([listen(4444, proc(10, 'bash', 'root', 0))]))[0] as Finding;
  const b = run('FS001', host([{ ...listen(4444, proc(99, 'bash', 'root', 0)), inode: 1 }]))[0] as Finding;
  expect(a.fingerprint).toBe(b.fingerprint);
  const c1 = run('FS004', host([connected(proc(40, 'bash', 'u', 1), '203.0.113.9', 4444, 45000)]))[0] as Finding;
  const c2 = run('FS004', host([connected(proc(41, 'bash', 'u', 1), '203.0.113.9', 4444, 46000)]))[0] as Finding;
  expect(c1.fingerprint).toBe(c2.fingerprint);
  expect(a.fingerprint).not.toBe(c1.fingerprint);
});
