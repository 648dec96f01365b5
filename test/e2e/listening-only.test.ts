// A host with thousands of connections, scanned for its listeners only (-l): the host leaves its
// connections' rows out of what it sends (collect.sh L=1), so it fits a byte cap the whole collection
// passes. Over real OpenSSH; the cap is made small here where a real host would have ~300k sockets.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanResult } from '../../src/model/index.js';
import { fleetstatAsync } from '../helpers/run-cli.js';
import { describeIf } from '../helpers/requirements.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';

// 3,000 connections: 6,001 tcp rows (~900 KB) and 6,000 fd links (~330 KB): over the cap in all, under it without the rows
const CAP = 700_000;

describeIf(sshFleetMissing(), 'scanning only the listeners of a host with thousands of connections', () => {
  let fleet: SshFleet;
  let home: string;
  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 1, sockets: () => [{ kind: 'tcp-listen', host: '127.0.0.1' }, { kind: 'tcp-many', connections: 3000 }] });
    home = mkdtempSync(join(tmpdir(), 'fleetstat-listening-'));
  }, 90_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  const scan = async (...extra: string[]) => {
    const { status, stdout } = await fleetstatAsync(home, ['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--json', '--max-bytes', String(CAP), ...extra]);
    return { status, result: JSON.parse(stdout) as ScanResult };
  };

  test('the whole collection passes the cap: the host is lost', async () => {
    const { status, result } = await scan();
    expect(result.hosts[0]).toMatchObject({ name: 'host1', status: 'truncated' });
    expect(status).toBe(8);
  });

  test('with -l it fits: both listeners, with their process, and nothing else', async () => {
    const { status, result } = await scan('-l');
    const host = result.hosts[0]!;
    expect(['ok', 'partial']).toContain(host.status);
    expect(status).toBe(0);
    const ports = fleet.hosts[0]!.ports.map((p) => p.listen);
    const tcp = host.sockets.filter((s) => s.proto === 'tcp' && s.local !== null && 'port' in s.local && ports.includes(s.local.port));
    expect(tcp.map((s) => [s.state, s.local && 'port' in s.local ? s.local.port : null]).sort()).toEqual(ports.map((port) => ['LISTEN', port]).sort());
    expect(tcp.every((s) => s.processes.some((p) => p.pid === fleet.hosts[0]!.zooPidInside))).toBe(true);
    expect(host.sockets.filter((s) => s.direction !== 'listen')).toEqual([]);
  });

  test('-l with --save collects everything (the snapshot keeps all of it): the cap then holds as without -l', async () => {
    const { result } = await scan('-l', '--save', join(home, 'all.snap.gz'));
    expect(result.hosts[0]).toMatchObject({ name: 'host1', status: 'truncated' });
  });
});
