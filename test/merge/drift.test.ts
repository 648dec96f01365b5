// Each host against its group: the majority is the reference (failed hosts left out), a host in two
// groups is judged in each, the threshold decides what is consensus, a group of fewer than three is
// not judged, and a restart (new pid, new inode) is never a deviation.
import { DriftBuilder, hasDeviations } from '../../src/merge/drift.js';
import type { DriftOptions } from '../../src/merge/drift.js';
import type { DriftResult } from '../../src/model/drift.js';
import type { HostScan } from '../../src/model/index.js';
import { schemaErrors } from '../helpers/schema.js';
import { EXPORTER, host, listen, NGINX, NODE_DEBUG, oddFleet, SSHD } from './drift-fleet.js';

function drift(hosts: HostScan[], options: DriftOptions = {}): DriftResult {
  const builder = new DriftBuilder(options);
  for (const h of hosts) builder.onHost(h);
  const result = builder.end({ source: 'fleet.json', startedAt: '2026-01-01T00:00:00.000Z' });
  expect(schemaErrors(result, 'drift')).toEqual([]);
  return result;
}

const tcp = (port: number) => ({ netns: null, proto: 'tcp', family: 'inet', port, path: null });
const owner = (process: string, user: string) => [{ process, user }];

test('one odd host per group of four: exactly those hosts, and what differs', () => {
  const result = drift(oddFleet());
  expect(result.groups.map((g) => [g.name, g.kind, g.hosts.length, g.deviations.map((d) => d.name)])).toEqual([
    ['cache', 'judged', 4, ['cache4']],
    ['db', 'judged', 4, ['db2']],
    ['web', 'judged', 4, ['web3']],
  ]);
  const [cache, db, web] = result.groups;
  expect(web!.deviations).toEqual([
    { name: 'web3', missing: [], different: [], extra: [{ listener: tcp(9229), host: [{ address: '0.0.0.0', scope: 'all', owners: owner('node', 'app') }], hosts: 1 }] },
  ]);
  expect(db!.deviations).toEqual([
    {
      name: 'db2',
      missing: [],
      extra: [],
      different: [
        {
          listener: tcp(5432),
          host: [{ address: '0.0.0.0', scope: 'all', owners: owner('postgres', 'postgres') }],
          group: [{ address: '127.0.0.1', scope: 'loopback', owners: owner('postgres', 'postgres') }],
        },
      ],
    },
  ]);
  expect(cache!.deviations).toEqual([{ name: 'cache4', extra: [], different: [], missing: [{ listener: tcp(6379), group: [{ address: '127.0.0.1', scope: 'loopback', owners: owner('redis-server', 'redis') }] }] }]);
  expect(web!.consensus).toEqual([
    { listener: tcp(22), states: [{ address: '0.0.0.0', scope: 'all', owners: owner('sshd', 'root') }], hosts: 4, hostsWithState: 4 },
    { listener: tcp(80), states: [{ address: '0.0.0.0', scope: 'all', owners: owner('nginx', 'www-data') }], hosts: 4, hostsWithState: 4 },
  ]);
  expect(db!.consensus.find((c) => c.listener.port === 5432)).toMatchObject({ hosts: 4, hostsWithState: 3 });
  expect(result.summary).toEqual({ groupsJudged: 3, groupsTooSmall: 0, hostsJudged: 12, hostsWithDeviations: 3, missing: 1, extra: 1, different: 1, failed: 0, notInGroups: 0 });
  expect(hasDeviations(result)).toBe(true);
});

test('another process or user on the consensus port is `different`, naming both', () => {
  const fleet = ['app1', 'app2', 'app3'].map((n) => host(n, ['app'], [NGINX]));
  fleet.push(host('app4', ['app'], [{ ...NGINX, name: 'apache2', user: 'root' }]));
  const [app] = drift(fleet).groups;
  expect(app!.deviations.map((d) => [d.name, d.different.map((c) => [c.host[0]!.owners, c.group[0]!.owners])])).toEqual([['app4', [[owner('apache2', 'root'), owner('nginx', 'www-data')]]]]);
});

test('a restart (new pid, new inode on every listener) is no deviation', () => {
  const fleet = oddFleet().filter((h) => h.name.startsWith('web') && h.name !== 'web3');
  const restarted: HostScan = { ...fleet[0]!, name: 'web9', sockets: [listen({ ...SSHD, pid: 4242 }, 90001), listen({ ...NGINX, pid: 4243 }, 90002)] };
  const result = drift([...fleet, restarted]);
  expect(result.groups.map((g) => [g.name, g.kind, g.hosts, g.deviations])).toEqual([['web', 'judged', ['web1', 'web2', 'web4', 'web9'], []]]);
  expect(hasDeviations(result)).toBe(false);
});

test('a host in two groups is judged in each, with separate deviations', () => {
  const eu = (name: string) => host(name, ['eu'], [SSHD, EXPORTER]);
  const fleet = [...oddFleet().filter((h) => h.name.startsWith('web')), eu('eu1'), eu('eu2'), eu('eu3')];
  fleet[2] = { ...fleet[2]!, groups: ['web', 'eu'] }; // web3
  const result = drift(fleet);
  const byGroup = Object.fromEntries(result.groups.map((g) => [g.name, g.deviations.map((d) => [d.name, d.missing.map((m) => m.listener.port), d.extra.map((e) => [e.listener.port, e.hosts])])]));
  expect(byGroup).toEqual({
    // among eu's hosts web3 lacks the exporter, and its web ports are its own
    eu: [['web3', [9100], [[80, 1], [9229, 1]]]],
    web: [['web3', [], [[9229, 1]]]],
  });
  expect(result.groups.find((g) => g.name === 'eu')!.hosts).toEqual(['eu1', 'eu2', 'eu3', 'web3']);
  // web3 counts once among the odd hosts, its lines in each group all count
  expect(result.summary).toMatchObject({ hostsJudged: 7, hostsWithDeviations: 1, missing: 1, extra: 3 });
});

test('threshold: more than that share of the hosts makes a listener consensus', () => {
  // 9100 on three of four hosts
  const fleet = ['m1', 'm2', 'm3', 'm4'].map((n, i) => host(n, ['mon'], i === 3 ? [SSHD] : [SSHD, EXPORTER]));
  const deviations = (threshold: number) => drift(fleet, { threshold }).groups[0]!.deviations.map((d) => [d.name, d.missing.length, d.extra.length]);
  expect(deviations(0.5)).toEqual([['m4', 1, 0]]);
  // 3/4 is not more than 0.75: no consensus, so the three that have it have an extra
  expect(deviations(0.75)).toEqual([['m1', 0, 1], ['m2', 0, 1], ['m3', 0, 1]]);
  expect(deviations(0.7)).toEqual([['m4', 1, 0]]);
  // 0: whatever any host has, every host should
  expect(deviations(0)).toEqual([['m4', 1, 0]]);
  expect(drift(fleet, { threshold: 0.75 }).threshold).toBe(0.75);
  for (const bad of [1, -0.1, Number.NaN, 2]) expect(() => new DriftBuilder({ threshold: bad })).toThrow(RangeError);
});

test('a failed host is listed, never judged, and not counted in the majority', () => {
  // 9229 on two of three scanned hosts: a majority of them (2/3), not of four (2/4)
  const fleet = [host('w1', ['web'], [SSHD, NODE_DEBUG]), host('w2', ['web'], [SSHD, NODE_DEBUG]), host('w3', ['web'], [SSHD]), host('w4', ['web'], [], 'unreachable')];
  const result = drift(fleet);
  expect(result.groups).toEqual([
    expect.objectContaining({ name: 'web', kind: 'judged', hosts: ['w1', 'w2', 'w3'], failed: [{ name: 'w4', status: 'unreachable' }] }),
  ]);
  expect(result.groups[0]!.deviations.map((d) => [d.name, d.missing.map((m) => m.listener.port)])).toEqual([['w3', [9229]]]);
  expect(result.summary).toMatchObject({ failed: 1, hostsJudged: 3 });
});

test('a group of fewer than three scanned hosts is too small: listed, no consensus, no deviations', () => {
  const fleet = [host('db1', ['db'], [SSHD]), host('db2', ['db'], [SSHD, NODE_DEBUG]), host('db3', ['db'], [], 'timeout')];
  const result = drift(fleet);
  expect(result.groups).toEqual([{ name: 'db', kind: 'too-small', hosts: ['db1', 'db2'], failed: [{ name: 'db3', status: 'timeout' }], consensus: [], deviations: [] }]);
  expect(result.summary).toMatchObject({ groupsJudged: 0, groupsTooSmall: 1, hostsJudged: 0 });
  expect(hasDeviations(result)).toBe(false);
});

test('all and ungrouped are judged only when asked for; --group narrows to the groups named', () => {
  const fleet = [...oddFleet(), host('lone1', ['ungrouped'], [SSHD]), host('lone2', ['ungrouped'], [SSHD, NGINX]), host('lone3', ['ungrouped'], [SSHD, NGINX])];
  const names = (r: DriftResult) => r.groups.map((g) => g.name);
  const every = drift(fleet);
  expect(names(every)).toEqual(['cache', 'db', 'web']);
  expect(every.summary.notInGroups).toBe(3);
  const asked = drift(fleet, { groups: ['web', 'ungrouped'] });
  expect(names(asked)).toEqual(['ungrouped', 'web']);
  expect(asked.groups[0]!.deviations.map((d) => d.name)).toEqual(['lone1']);
  expect(asked.summary.notInGroups).toBe(8);
  // the whole fleet as one group: only sshd is on more than half of the 15 hosts
  const all = drift(fleet, { groups: ['all'] });
  expect(all.groups.map((g) => [g.name, g.hosts.length, g.consensus.map((c) => c.listener.port)])).toEqual([['all', 15, [22]]]);
});

test('each host binding an address of its own is alike by scope; a wildcard on one of them is different', () => {
  const own = (name: string, address: string) => host(name, ['api'], [{ ...NGINX, port: 8080, address }]);
  const fleet = [own('api1', '10.0.0.1'), own('api2', '10.0.0.2'), own('api3', '10.0.0.3'), own('api4', '0.0.0.0')];
  const [api] = drift(fleet).groups;
  expect(api!.consensus.map((c) => c.states)).toEqual([[{ address: null, scope: 'address', owners: owner('nginx', 'www-data') }]]);
  expect(api!.deviations.map((d) => [d.name, d.different.map((c) => [c.host[0]!.address, c.group[0]!.scope])])).toEqual([['api4', [['0.0.0.0', 'address']]]]);
});

test('what the builder keeps per host is its listeners, not its sockets', () => {
  const builder = new DriftBuilder();
  const big = host('web1', ['web'], [SSHD]);
  // ten thousand established connections: none is a listener
  big.sockets.push(...Array.from({ length: 10_000 }, (_, i) => ({ ...listen(NGINX, 50_000 + i), state: 'ESTABLISHED' as const, direction: 'inbound' as const })));
  builder.onHost(big);
  const held = (builder as unknown as { groups: Map<string, { scanned: Array<{ listeners: Map<number, number> }> }> }).groups.get('web')!.scanned[0]!;
  expect(held.listeners.size).toBe(1);
});
