// The port matrix built from hosts as they end: a listener's identity (no pid, inode or queue), the
// scan's own session never a row, hosts with the same listening set in one column, failed hosts in none.
import { listenersOf, bindScopeOf } from '../../src/merge/listeners.js';
import { MatrixBuilder, compareNodeNames } from '../../src/merge/matrix.js';
import type { HostScan, Socket } from '../../src/model/index.js';
import type { MatrixProto } from '../../src/model/matrix.js';
import { facts, inet, proc, unix } from '../report/scan-fixtures.js';

const TCP_UDP: ReadonlySet<MatrixProto> = new Set(['tcp', 'udp']);
const times = { startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:05.000Z' };

function host(name: string, sockets: Socket[], status: HostScan['status'] = 'ok'): HostScan {
  return { name, address: '127.0.0.1', port: 22, groups: [], status, facts: facts(), sockets, issues: [] };
}

const sshd = (pid: number, address = '0.0.0.0', proto: 'tcp' | 'tcp6' = 'tcp') =>
  inet({ proto, state: 'LISTEN', local: { address, port: 22 }, inode: pid * 10, processes: [proc(pid, 'sshd', 'root', 0)], service: 'ssh' });
const nginx = (pid: number, user = 'www-data') => inet({ proto: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 80 }, inode: pid, processes: [proc(pid, 'nginx', user, 33)], service: 'http' });

describe('listenersOf: what ss -tuln lists, by identity', () => {
  test('TCP LISTEN and unconnected UDP are listeners; connections, the session and other protocols are not', () => {
    const h = host('a', [
      sshd(1),
      inet({ proto: 'udp', state: 'UNCONN', local: { address: '127.0.0.53', port: 53 }, processes: [proc(5, 'systemd-resolve', 'systemd-resolve', 101)] }),
      inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.1', port: 22 }, direction: 'inbound', collector: true }),
      inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.1', port: 40000 }, direction: 'outbound' }),
      inet({ proto: 'raw', state: 'UNCONN', local: { address: '0.0.0.0', port: 1 } }),
      unix('/run/docker.sock'),
    ]);
    expect(listenersOf(h, TCP_UDP).map((l) => [l.endpoint.proto, l.endpoint.address, l.endpoint.port, l.endpoint.scope])).toEqual([
      ['tcp', '0.0.0.0', 22, 'all'],
      ['udp', '127.0.0.53', 53, 'loopback'],
    ]);
    expect(listenersOf(h, new Set(['raw', 'unix'])).map((l) => [l.endpoint.proto, l.endpoint.address])).toEqual([
      ['raw', '0.0.0.0'],
      ['unix', '/run/docker.sock'],
    ]);
  });

  test('pid and inode are not part of it: a restarted sshd is the same listener', () => {
    expect(listenersOf(host('a', [sshd(100)]), TCP_UDP)).toEqual(listenersOf(host('a', [sshd(200)]), TCP_UDP));
  });

  test('SO_REUSEPORT workers on one endpoint are one listener owned by all of them, once each', () => {
    const [l] = listenersOf(host('a', [nginx(1, 'www-data'), nginx(2, 'www-data'), nginx(3, 'root')]), TCP_UDP);
    expect(l!.cell.owners).toEqual([{ process: 'nginx', user: 'root' }, { process: 'nginx', user: 'www-data' }]);
  });

  test('no process seen: the socket\'s own user, and null as the process', () => {
    const [l] = listenersOf(host('a', [inet({ proto: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 111 }, user: 'root' })]), TCP_UDP);
    expect(l!.cell.owners).toEqual([{ process: null, user: 'root' }]);
  });

  test('bind scopes: all, loopback (127/8, ::1, v4-mapped), one address; :: marked as maybe dual-stack', () => {
    expect(['0.0.0.0', '::', '127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '10.1.2.3', 'fe80::1'].map(bindScopeOf)).toEqual([
      'all', 'all', 'loopback', 'loopback', 'loopback', 'loopback', 'address', 'address',
    ]);
    const [v6] = listenersOf(host('a', [sshd(1, '::', 'tcp6')]), TCP_UDP);
    expect(v6!.endpoint).toMatchObject({ family: 'inet6', scope: 'all', maybeDualStack: true });
  });

  test('a listener in another namespace keeps its namespace; the collector\'s own is null', () => {
    const [other] = listenersOf(host('a', [{ ...nginx(1), netns: 'web' }]), TCP_UDP);
    const [own] = listenersOf(host('a', [nginx(1)]), TCP_UDP);
    expect([other!.endpoint.netns, own!.endpoint.netns]).toEqual(['web', null]);
  });
});

describe('MatrixBuilder', () => {
  test('hosts that listen alike share a column; largest first; rows ordered tcp, udp, by port', () => {
    const b = new MatrixBuilder(TCP_UDP);
    b.add(host('web10', [nginx(1), sshd(2)]));
    b.add(host('web2', [sshd(3), nginx(4)]));
    b.add(host('db1', [sshd(5), inet({ proto: 'tcp', state: 'LISTEN', local: { address: '127.0.0.1', port: 5432 }, processes: [proc(6, 'postgres', 'postgres', 104)] })]));
    b.add(host('web3', [sshd(7), nginx(8, 'root')])); // same ports, another owner: not alike
    const m = b.build(times);
    expect(m.columns.map((c) => [c.hosts, c.count])).toEqual([
      [['web2', 'web10'], 2],
      [['db1'], 1],
      [['web3'], 1],
    ]);
    expect(m.rows.map((r) => [r.proto, r.port, r.address])).toEqual([
      ['tcp', 22, '0.0.0.0'],
      ['tcp', 80, '0.0.0.0'],
      ['tcp', 5432, '127.0.0.1'],
    ]);
    expect(m.rows[1]!.cells.map((c) => c?.owners ?? null)).toEqual([[{ process: 'nginx', user: 'www-data' }], null, [{ process: 'nginx', user: 'root' }]]);
    expect(m.schema).toBe('fleetstat/matrix@1');
  });

  test('failed hosts are in no column but in `unscanned`, by status; partial hosts are compared', () => {
    const b = new MatrixBuilder(TCP_UDP);
    b.add(host('a1', [sshd(1)], 'partial'));
    b.add(host('a2', [], 'unreachable'));
    b.add(host('a3', [], 'unreachable'));
    b.add(host('a4', [], 'timeout'));
    const m = b.build(times);
    expect(m.columns.map((c) => c.hosts)).toEqual([['a1']]);
    expect(m.unscanned.map((u) => [u.status, u.hosts])).toEqual([
      ['unreachable', ['a2', 'a3']],
      ['timeout', ['a4']],
    ]);
  });

  test('hosts whose processes could not all be identified are named, as root apart from not root', () => {
    const b = new MatrixBuilder(TCP_UDP);
    b.add({ ...host('u1', [sshd(1)], 'partial'), facts: facts({ attribution: 'partial', collectorUid: 1000 }) });
    b.add({ ...host('r1', [sshd(1)], 'partial'), facts: facts({ attribution: 'partial', collectorUid: 0 }) });
    b.add(host('ok1', [sshd(1)]));
    expect(b.build(times).partialAttribution).toEqual([
      { asRoot: false, nodeset: 'u1', hosts: ['u1'], count: 1 },
      { asRoot: true, nodeset: 'r1', hosts: ['r1'], count: 1 },
    ]);
  });

  test('a host that listens on nothing is a column of its own (unlike its siblings), with no cells', () => {
    const b = new MatrixBuilder(TCP_UDP);
    b.add(host('a', [sshd(1)]));
    b.add(host('b', []));
    const m = b.build(times);
    expect(m.columns.map((c) => c.hosts)).toEqual([['a'], ['b']]);
    expect(m.rows[0]!.cells).toEqual([{ owners: [{ process: 'sshd', user: 'root' }] }, null]);
  });
});

test('natural host order: digit runs as numbers, then as text', () => {
  expect(['web10', 'web2', 'db', '10.0.0.10', '10.0.0.9', 'web1'].sort(compareNodeNames)).toEqual(['10.0.0.9', '10.0.0.10', 'db', 'web1', 'web2', 'web10']);
  expect(compareNodeNames('web2', 'web10')).toBeLessThan(0);
  expect(compareNodeNames('10.0.0.9', '10.0.0.10')).toBeLessThan(0);
});
