// Acceptance for the port matrix on real OpenSSH hosts: every listener `ss -tuln` shows inside each
// host is in the matrix under that host, and nothing else (the scan's own session never); hosts that
// listen alike share one column.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PortMatrix } from '../../src/model/matrix.js';
import { fleetstatAsync } from '../helpers/run-cli.js';
import { describeIf } from '../helpers/requirements.js';
import { schemaErrors } from '../helpers/schema.js';
import { ssEndpoint } from '../helpers/ss-truth.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';

/** `tcp 0.0.0.0 22` for each listener ss -tuln lists inside host i. */
async function ssListeners(fleet: SshFleet, index: number): Promise<string[]> {
  const run = await fleet.runInside(index, ['ss', '-tulnH']);
  return run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [netid, , , , local] = line.trim().split(/\s+/);
      const { address, port } = ssEndpoint(local!);
      return `${netid} ${address} ${port}`;
    })
    .sort();
}

/** The same keys for the endpoints the matrix shows under host `name`. */
function matrixListeners(matrix: PortMatrix, name: string): string[] {
  const column = matrix.columns.findIndex((c) => c.hosts.includes(name));
  if (column === -1) return [];
  return matrix.rows.filter((r) => r.cells[column] !== null).map((r) => `${r.proto} ${r.address} ${r.port}`).sort();
}

describeIf(sshFleetMissing(), 'the port matrix on an SSH fleet', () => {
  let fleet: SshFleet;
  let home: string;

  beforeAll(async () => {
    // hosts 1 and 2 listen alike (fixed ports, one process each); host 3 is unlike them; host 4 as the harness makes it
    const alike = () => [{ kind: 'tcp-listen' as const, host: '0.0.0.0', port: 8080 }, { kind: 'tcp-listen' as const, host: '127.0.0.1', port: 9090 }];
    fleet = await startSshFleet({ hosts: 4, sockets: (i) => (i < 2 ? alike() : i === 2 ? [{ kind: 'tcp-listen', host: '0.0.0.0', port: 8081 }, { kind: 'udp-unconnected', host: '0.0.0.0' }] : undefined) ?? [{ kind: 'tcp-listen', host: '::', port: 8080 }, { kind: 'tcp-pair' }] });
    home = mkdtempSync(join(tmpdir(), 'fleetstat-matrix-'));
  }, 90_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  test('each host\'s column holds exactly what ss -tuln lists inside it; alike hosts fold', async () => {
    const run = await fleetstatAsync(home, ['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--view', 'matrix', '--json']);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const matrix = JSON.parse(run.stdout) as PortMatrix;
    expect(schemaErrors(matrix, 'matrix')).toEqual([]);
    for (const [i, host] of fleet.hosts.entries()) {
      expect({ host: host.name, listeners: matrixListeners(matrix, host.name) }).toEqual({ host: host.name, listeners: await ssListeners(fleet, i) });
    }
    expect(matrix.columns.map((c) => c.nodeset)).toEqual(['host[1-2]', 'host3', 'host4']);
    expect(matrix.rows.find((r) => r.port === 8080 && r.family === 'inet6')).toMatchObject({ address: '::', maybeDualStack: true });
  }, 60_000);

  test('the table: the legend names the folded hosts, and every line fits 80 columns', async () => {
    const run = await fleetstatAsync(home, ['scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '-q'], { COLUMNS: '80' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Listening on 4 hosts: 3 listening sets$/m);
    expect(run.stdout).toMatch(/#1 {2}host\[1-2\] {2}\(2 hosts\)/);
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  }, 60_000);
});
