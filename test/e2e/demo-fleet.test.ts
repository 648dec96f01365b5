// The demo fleet shipped in fixtures/demo/fleet.snap.gz: a real scan of six OpenSSH hosts (the e2e
// harness) with deliberate drift, so that `npx fleetstat scan fixtures/demo/fleet.snap.gz` shows a
// newcomer the matrix without any SSH. web01-04 serve 80 and 443, but web03 also runs a debug port
// (9229); db01 binds postgres's port to loopback, db02 to every address.
//
// FLEETSTAT_WRITE_DEMO=1 makes the snapshot anew (needs root and sshd); without it the shipped one is
// checked: it replays, and shows exactly that drift.
import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FindingsResult } from '../../src/model/finding.js';
import type { PortMatrix } from '../../src/model/matrix.js';
import { fleetstat, fleetstatAsync } from '../helpers/run-cli.js';
import { describeIf } from '../helpers/requirements.js';
import type { ZooSocket } from '../helpers/socket-zoo.js';
import { sshFleetMissing, startSshFleet } from '../helpers/sshd-fleet.js';

const demo = new URL('../../fixtures/demo/fleet.snap.gz', import.meta.url).pathname;
const NAMES = ['web01', 'web02', 'web03', 'web04', 'db01', 'db02'];

function socketsOf(name: string): ZooSocket[] {
  const listen = (host: string, port: number): ZooSocket => ({ kind: 'tcp-listen', host, port });
  if (name.startsWith('web')) return [listen('0.0.0.0', 80), listen('::', 443), ...(name === 'web03' ? [listen('0.0.0.0', 9229)] : [])];
  return [listen(name === 'db01' ? '127.0.0.1' : '0.0.0.0', 5432), listen('127.0.0.1', 9187)];
}

if (process.env.FLEETSTAT_WRITE_DEMO === '1') {
  describeIf(sshFleetMissing(), 'making the demo fleet', () => {
    test('scan six real hosts and save the snapshot', async () => {
      const fleet = await startSshFleet({ hosts: NAMES.length, sockets: (i) => socketsOf(NAMES[i]!) });
      try {
        const home = mkdtempSync(join(tmpdir(), 'fleetstat-demo-'));
        const inventory = join(home, 'demo.yml');
        const hosts = fleet.hosts.flatMap((h, i) => [`        ${NAMES[i]}:`, `          ansible_host: ${h.address}`]);
        const groups = (prefix: string) => hosts.filter((_, k) => NAMES[Math.floor(k / 2)]!.startsWith(prefix));
        writeFileSync(inventory, ['all:', '  vars:', `    ansible_port: ${fleet.port}`, '    ansible_user: root', `    ansible_ssh_private_key_file: ${fleet.keys.ed25519.path}`, '  children:', '    web:', '      hosts:', ...groups('web'), '    db:', '      hosts:', ...groups('db'), ''].join('\n'));
        const run = await fleetstatAsync(home, ['scan', inventory, '--known-hosts', fleet.knownHosts, '--save', demo, '-q', '-o', '/dev/null']);
        expect(run.stderr).toMatch(/6 hosts/);
        expect(run.status).toBe(0);
      } finally {
        await fleet.stop();
      }
    }, 120_000);
  });
}

describe('the shipped demo fleet', () => {
  test('replays without SSH, and the matrix shows exactly its drift', () => {
    const run = fleetstat(['scan', demo, '--view', 'matrix', '--json']);
    expect(run.status).toBe(0);
    const matrix = JSON.parse(run.stdout) as PortMatrix;
    expect(matrix.columns.map((c) => c.nodeset)).toEqual(['web[01-02,04]', 'db01', 'db02', 'web03']);
    const where = (port: number) => matrix.rows.filter((r) => r.port === port).map((r) => [r.address, r.cells.map((c) => c !== null)]);
    expect(where(9229)).toEqual([['0.0.0.0', [false, false, false, true]]]);
    expect(where(5432)).toEqual([['0.0.0.0', [false, false, true, false]], ['127.0.0.1', [false, true, false, false]]]);
    expect(matrix.unscanned).toEqual([]);
  });

  test('filters narrow the matrix: --port 9229 leaves that row, and the hosts without it fold together', () => {
    const matrix = JSON.parse(fleetstat(['scan', demo, '--view', 'matrix', '--json', '--port', '9229']).stdout) as PortMatrix;
    expect(matrix.rows.map((r) => r.port)).toEqual([9229]);
    expect(matrix.columns.map((c) => [c.nodeset, matrix.rows[0]!.cells[matrix.columns.indexOf(c)] !== null])).toEqual([['db[01-02],web[01-02,04]', false], ['web03', true]]);
  });

  test('check names exactly its two oddities: db02\'s postgres port on every address, web03\'s unnamed 9229', () => {
    const run = fleetstat(['check', demo, '--json']);
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout) as FindingsResult;
    expect(result.findings.map((f) => [f.host, f.ruleId, f.subject.port])).toEqual([['db02', 'FS008', 5432], ['web03', 'FS010', 9229]]);
    expect(result.hostsChecked.map((h) => h.host)).toEqual(NAMES.slice().sort());
  });

  test('the README\'s first demo command prints the matrix in 80 columns', () => {
    const run = fleetstat(['scan', demo], { env: { COLUMNS: '80' } });
    expect(run.stdout).toMatch(/^Listening on 6 hosts: 4 listening sets$/m);
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
