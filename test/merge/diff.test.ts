// Drift of one host between two scans: by identity, never pid or inode; a change with its value
// before; UDP clients in the ephemeral range and the scan's own session never count; a host one scan
// could not see is not compared.
import { diffHost, hasDrift } from '../../src/merge/diff.js';
import type { HostScan, Socket } from '../../src/model/index.js';
import { facts, inet, proc, web1 } from '../report/scan-fixtures.js';

const withSockets = (host: HostScan, sockets: Socket[]): HostScan => ({ ...host, sockets });
const listen = (port: number, name: string, user: string, address = '0.0.0.0', pid = port, inode = port): Socket =>
  inet({ proto: 'tcp', state: 'LISTEN', local: { address, port }, inode, processes: [proc(pid, name, user, 0)] });

test('the same scan twice: no drift', () => {
  const d = diffHost('web1', web1(), web1());
  expect(d).toMatchObject({ kind: 'compared', added: [], removed: [], changed: [] });
  expect(hasDrift(d)).toBe(false);
});

test('a restarted service (new pid, new inode) is no change', () => {
  const before = withSockets(web1(), [listen(8080, 'app', 'app', '0.0.0.0', 100, 1000)]);
  const after = withSockets(web1(), [listen(8080, 'app', 'app', '0.0.0.0', 200, 2000)]);
  expect(hasDrift(diffHost('web1', before, after))).toBe(false);
});

test('a listener started is exactly one `added`, one stopped one `removed`', () => {
  const base = [listen(22, 'sshd', 'root')];
  const d = diffHost('web1', withSockets(web1(), base), withSockets(web1(), [...base, listen(9229, 'node', 'app')]));
  expect(d.added).toEqual([{ listener: { netns: null, proto: 'tcp', family: 'inet', port: 9229, path: null }, before: null, after: { address: '0.0.0.0', owners: [{ process: 'node', user: 'app' }] } }]);
  expect([d.removed, d.changed]).toEqual([[], []]);
  const back = diffHost('web1', withSockets(web1(), [...base, listen(9229, 'node', 'app')]), withSockets(web1(), base));
  expect(back.removed.map((c) => c.listener.port)).toEqual([9229]);
});

test('a bind scope or owner that differs is `changed`, with the value before', () => {
  const d = diffHost('db', withSockets(web1(), [listen(5432, 'postgres', 'postgres', '127.0.0.1')]), withSockets(web1(), [listen(5432, 'postgres', 'postgres', '0.0.0.0')]));
  expect(d.changed).toEqual([
    { listener: expect.objectContaining({ port: 5432 }), before: { address: '127.0.0.1', owners: [{ process: 'postgres', user: 'postgres' }] }, after: { address: '0.0.0.0', owners: [{ process: 'postgres', user: 'postgres' }] } },
  ]);
  const owner = diffHost('h', withSockets(web1(), [listen(80, 'nginx', 'root')]), withSockets(web1(), [listen(80, 'apache2', 'www-data')]));
  expect(owner.changed.map((c) => [c.before?.owners[0]?.process, c.after?.owners[0]?.process])).toEqual([['nginx', 'apache2']]);
});

test('UDP bound in the ephemeral range is a client: never drift; the scan\'s own session neither', () => {
  const client = (port: number) => inet({ proto: 'udp', state: 'UNCONN', local: { address: '0.0.0.0', port }, processes: [proc(7, 'chronyd', 'chrony', 1)] });
  const session = inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: 22 }, direction: 'inbound', collector: true });
  const h = (sockets: Socket[]) => ({ ...withSockets(web1(), sockets), facts: facts({ ephemeralPorts: { low: 32768, high: 60999 } }) });
  expect(hasDrift(diffHost('a', h([client(40001)]), h([client(51234), session])))).toBe(false);
  // below the range it is a server: drift
  expect(diffHost('a', h([]), h([client(5353)])).added).toHaveLength(1);
});

test('a host failed in one scan is not compared (never "every listener removed"); one in one scan only appeared or vanished', () => {
  const failed: HostScan = { ...web1(), status: 'unreachable', sockets: [], error: { kind: 'unreachable', message: 'connect ECONNREFUSED' } };
  expect(diffHost('web1', web1(), failed)).toMatchObject({ kind: 'not-compared', removed: [], statusBefore: 'ok', statusAfter: 'unreachable' });
  expect(hasDrift(diffHost('web1', web1(), failed))).toBe(false);
  expect(diffHost('web9', undefined, web1()).kind).toBe('appeared');
  expect(diffHost('web9', web1(), undefined).kind).toBe('vanished');
});
