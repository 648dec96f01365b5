// --sort: each key's order, its ties (the tables' order kept) and where sockets without the key go
// (last); addresses by value, not as text; one host at a time, never the fleet.
import type { HostScan, Socket } from '../../src/model/index.js';
import { filterHost, type SocketFilter } from '../../src/result/filter.js';
import { orderSockets, SORT_KEYS, type SortKey } from '../../src/result/socket-order.js';
import { inet, proc, unix, web1 } from '../report/scan-fixtures.js';

const zoo: Socket[] = [
  inet({ proto: 'udp', state: 'UNCONN', local: { address: '10.0.0.5', port: 53 }, inode: 1, processes: [proc(40, 'named', 'bind', 110)], uid: 110, user: 'bind' }),
  unix('/run/b.sock', { inode: 2, processes: [proc(30, 'dockerd', 'root', 0)] }),
  inet({ proto: 'tcp6', state: 'LISTEN', local: { address: '::', port: 22 }, inode: 3, processes: [proc(812, 'sshd', 'root', 0)], user: 'root' }),
  inet({ proto: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 22 }, inode: 4, processes: [proc(812, 'sshd', 'root', 0)], user: 'root' }),
  inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '9.0.0.1', port: 40000 }, remote: { address: '10.0.0.2', port: 443 }, inode: 5, direction: 'outbound', uid: 1000, user: 'alice' }),
  inet({ proto: 'tcp', state: 'TIME_WAIT', local: { address: '10.0.0.5', port: 22 }, remote: { address: '9.9.9.9', port: 5000 }, inode: 6, direction: 'inbound', user: 'root' }),
  unix(null, { state: 'CONNECTED', inode: 7, direction: 'unknown' }),
  inet({ proto: 'tcp6', state: 'ESTABLISHED', local: { address: '::ffff:10.0.0.5', port: 22 }, remote: { address: '2001:db8::10', port: 50000 }, inode: 8, direction: 'inbound', processes: [proc(900, 'sshd', 'alice', 1000)], uid: 0, user: 'root' }),
  inet({ proto: 'tcp6', state: 'ESTABLISHED', local: { address: '2001:db8::9', port: 22 }, remote: { address: '2001:db8::9:1', port: 50001 }, inode: 9, direction: 'inbound', processes: [proc(901, 'sshd', 'root', 0)], uid: 0, user: 'root' }),
  inet({ proto: 'raw', state: 'UNCONN', local: { address: '0.0.0.0', port: 1 }, inode: 10, uid: 0, user: null }),
  unix('/run/a.sock', { inode: 11, processes: [proc(700, 'containerd', 'root', 0)] }),
];

const order = (key: SortKey, sockets: Socket[] = zoo) => orderSockets(sockets, key).map((s) => s.inode);

describe('each key', () => {
  test.each<[SortKey, number[]]>([
    // local port, then proto in the tables' order (tcp before tcp6), then as given; no port: last
    ['port', [10, 4, 6, 3, 8, 9, 1, 5, 2, 7, 11]],
    // the first holder's name, then its pid; none: last, as given
    ['process', [11, 2, 1, 3, 4, 8, 9, 5, 6, 7, 10]],
    // the User column: owner's name, its uid when it has none (code-unit order: digits first); unix: its holders'
    ['user', [10, 5, 1, 2, 3, 4, 6, 8, 9, 11, 7]],
    // the state shown, by name
    ['state', [7, 5, 8, 9, 2, 3, 4, 11, 6, 1, 10]],
    // IPv4 by value (9.0.0.1 before 10.0.0.5), then port, then IPv6 (:: first, v4-mapped in its place), then unix paths, unbound last
    ['local', [10, 4, 5, 6, 1, 3, 8, 9, 11, 2, 7]],
    // only inet sockets have a remote (a listener's is 0.0.0.0:0): by value, then port; the rest as given
    ['remote', [1, 3, 4, 10, 6, 5, 8, 9, 2, 7, 11]],
    ['proto', [4, 5, 6, 3, 8, 9, 1, 10, 2, 7, 11]],
  ])('%s', (key, inodes) => {
    expect(order(key)).toEqual(inodes);
  });
});

test('stable: sockets that tie keep the order they came in, whatever it was', () => {
  const reversed = [...zoo].reverse();
  for (const key of SORT_KEYS) {
    const sorted = orderSockets(reversed, key);
    const again = orderSockets(sorted, key);
    expect(again.map((s) => s.inode)).toEqual(sorted.map((s) => s.inode));
  }
  // 4 and 6 tie on port 22/tcp: as given, either way round
  expect(order('port', [zoo[5]!, zoo[3]!])).toEqual([6, 4]);
  expect(order('port', [zoo[3]!, zoo[5]!])).toEqual([4, 6]);
});

test('IPv6 addresses by value: 2001:db8::9 before 2001:db8::10 before 2001:db8::9:1 (a string sort says otherwise)', () => {
  const at = (address: string, inode: number) => inet({ proto: 'tcp6', state: 'LISTEN', local: { address, port: 1 }, inode });
  const sockets = [at('2001:db8::9:1', 1), at('2001:db8::10', 2), at('fe80::1', 3), at('2001:db8::9', 4), at('::1', 5), at('::ffff:127.0.0.1', 6)];
  expect(order('local', sockets)).toEqual([5, 6, 4, 2, 1, 3]);
});

test('filterHost sorts what it keeps, per host; without --sort the tables\' order stands', () => {
  const host: HostScan = { ...web1(), sockets: zoo };
  const base: SocketFilter = { listeningOnly: true, protocols: ['tcp'], addressFamilies: [] };
  expect(filterHost(host, base).sockets.map((s) => s.inode)).toEqual([3, 4]);
  expect(filterHost(host, { ...base, sort: 'proto' }).sockets.map((s) => s.inode)).toEqual([4, 3]);
  // the host's row given is left as it was
  expect(host.sockets.map((s) => s.inode)).toEqual(zoo.map((s) => s.inode));
});
