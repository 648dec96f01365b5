// Acceptance: `fleetstat scan inventory/local.yml --json` against `ss -tuanpH`, row for row, per
// namespace, on sockets this test opens itself (and whatever else the machine has).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { HostScan, ScanResult } from '../../src/model/index.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { startZoo, type Zoo } from '../helpers/socket-zoo.js';
import { fleetstatRow, parseSs, rowKey, ssTuanLists, type Row } from '../helpers/ss.js';
import { schemaErrors } from '../helpers/schema.js';

const repo = new URL('../../', import.meta.url).pathname;
const NOBODY = 65534;

const missing = [
  ...(isRoot ? [] : ['root (for a network namespace and a listener of another user)']),
  ...(hasCommand('ss') ? [] : ['ss (iproute2)']),
  ...(hasCommand('ip') ? [] : ['ip (iproute2)']),
];

function ss(netns?: string): Row[] {
  const args = ['-tuanpH'];
  // 1 GiB: a busy machine's ss output is many MiB, past spawnSync's default 1 MiB (ENOBUFS)
  const maxBuffer = 1 << 30;
  const out = netns ? execFileSync('ip', ['netns', 'exec', netns, 'ss', ...args], { maxBuffer }) : execFileSync('ss', args, { maxBuffer });
  return parseSs(out.toString('utf8'));
}

function scanLocal(): ScanResult {
  if (!existsSync(`${repo}dist/commands/scan.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  const run = spawnSync(process.execPath, [`${repo}bin/run.js`, 'scan', `${repo}inventory/local.yml`, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`fleetstat exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ScanResult;
}

function rowsOf(host: HostScan, netns: string): Row[] {
  return host.sockets.filter((s) => s.netns === netns && ssTuanLists(s)).map(fleetstatRow);
}

describeIf(missing, 'local scan equals ss, per namespace', () => {
  const netns = `fleetstat-test-${randomBytes(3).toString('hex')}`;
  const zoos: Zoo[] = [];
  let mine: Zoo, other: Zoo, inside: Zoo;
  let before: Record<string, Row[]>, after: Record<string, Row[]>;
  let scan: ScanResult;

  beforeAll(async () => {
    execFileSync('ip', ['netns', 'add', netns]);
    execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
    mine = await startZoo([
      { kind: 'tcp-listen', host: '127.0.0.1' },
      { kind: 'tcp-listen', host: '::' },
      { kind: 'tcp-listen', host: '::1' },
      { kind: 'udp-unconnected', host: '127.0.0.1' },
      { kind: 'udp-connected' },
      { kind: 'tcp-pair' },
      { kind: 'close-wait' },
    ]);
    zoos.push(mine);
    other = await startZoo([{ kind: 'tcp-listen', host: '127.0.0.1' }], { uid: NOBODY });
    zoos.push(other);
    inside = await startZoo([{ kind: 'tcp-listen', host: '0.0.0.0' }, { kind: 'udp-unconnected', host: '0.0.0.0' }, { kind: 'tcp-pair' }], { netns });
    zoos.push(inside);

    before = { default: ss(), [netns]: ss(netns) };
    scan = scanLocal();
    after = { default: ss(), [netns]: ss(netns) };
  });

  afterAll(async () => {
    await Promise.all(zoos.map((z) => z.stop()));
    spawnSync('ip', ['netns', 'del', netns]);
  });

  test('the scan has one local host, scanned', () => {
    expect(scan.schema).toBe('fleetstat/scan@1');
    expect(scan.hosts).toHaveLength(1);
    expect(['ok', 'partial']).toContain(scan.hosts[0]!.status);
    expect(scan.hosts[0]!.issues).toEqual([]);
  });

  test('the JSON output follows the scan@1 schema', () => {
    expect(schemaErrors(scan)).toEqual([]);
  });

  test.each(['default', 'netns'])('%s namespace: every row ss shows is in the scan, and nothing else', (which) => {
    const label = which === 'default' ? 'default' : netns;
    const ours = rowsOf(scan.hosts[0]!, label).map(rowKey);
    const ssBefore = new Set(before[label]!.map(rowKey));
    const ssAfter = new Set(after[label]!.map(rowKey));
    // rows present in both ss snapshots existed for the whole scan: each must be in it
    const stable = [...ssBefore].filter((k) => ssAfter.has(k));
    expect(stable.filter((k) => !ours.includes(k))).toEqual([]);
    // and the scan shows nothing ss did not see at one moment or the other: in the default namespace,
    // among the test's own sockets (other tests' connections may live only between two ss runs)
    const tests = new Set(zoos.map((z) => z.pid));
    const checked = which === 'default' ? ours.filter((k) => [...tests].some((pid) => k.includes(`/${pid}]`) || k.includes(`/${pid},`))) : ours;
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.filter((k) => !ssBefore.has(k) && !ssAfter.has(k))).toEqual([]);
    // the same socket twice would be a dedupe failure
    expect(ours.length).toBe(new Set(ours).size);
  });

  test('the test sockets are there, with their owners', () => {
    const host = scan.hosts[0]!;
    const keys = new Set(rowsOf(host, 'default').map(rowKey));
    const me = `node/${mine.pid}`;
    const [v4, any6, lo6, udp, udpConn, pair, closeWait] = mine.ports as [Record<string, number>, ...Record<string, number>[]];
    expect(keys).toContain(`tcp 127.0.0.1:${v4.listen} 0.0.0.0:0 LISTEN [${me}]`);
    expect(keys).toContain(`tcp6 :::${any6!.listen} :::0 LISTEN [${me}]`);
    expect(keys).toContain(`tcp6 ::1:${lo6!.listen} :::0 LISTEN [${me}]`);
    expect(keys).toContain(`udp 127.0.0.1:${udp!.listen} 0.0.0.0:0 UNCONN [${me}]`);
    expect(keys).toContain(`udp 127.0.0.1:${udpConn!.client} 127.0.0.1:${udpConn!.peer} ESTABLISHED [${me}]`);
    expect(keys).toContain(`tcp 127.0.0.1:${pair!.client} 127.0.0.1:${pair!.listen} ESTABLISHED [${me}]`);
    expect(keys).toContain(`tcp 127.0.0.1:${pair!.listen} 127.0.0.1:${pair!.client} ESTABLISHED [${me}]`);
    expect(keys).toContain(`tcp 127.0.0.1:${closeWait!.client} 127.0.0.1:${closeWait!.listen} CLOSE_WAIT [${me}]`);
    expect(keys).toContain(`tcp 127.0.0.1:${other.ports[0]!.listen} 0.0.0.0:0 LISTEN [node/${other.pid}]`);

    // ours: held by the zoo we started (the busy machine's other namespaces may listen on the same port)
    const nobody = host.sockets.find((s) => s.local !== null && 'port' in s.local && s.local.port === other.ports[0]!.listen && s.state === 'LISTEN' && s.processes.some((p) => p.pid === other.pid));
    expect(nobody?.uid).toBe(NOBODY);
    expect(nobody?.processes[0]?.uid).toBe(NOBODY);

    const insideKeys = new Set(rowsOf(host, netns).map(rowKey));
    expect(insideKeys).toContain(`tcp 0.0.0.0:${inside.ports[0]!.listen} 0.0.0.0:0 LISTEN [node/${inside.pid}]`);
    expect(insideKeys).toContain(`udp 0.0.0.0:${inside.ports[1]!.listen} 0.0.0.0:0 UNCONN [node/${inside.pid}]`);
    expect(host.facts?.netns.map((n) => n.label)).toContain(netns);
  });

  test('direction: listeners listen, the accepted side is inbound, the connecting side outbound', () => {
    const host = scan.hosts[0]!;
    const pair = mine.ports[5]!;
    // ours: in our namespace and held by our zoo, whatever else of a busy machine shares the port
    const find = (localPort: number, state: string) =>
      host.sockets.find((s) => s.proto === 'tcp' && s.netns === 'default' && s.local !== null && 'port' in s.local && s.local.port === localPort && s.state === state && s.processes.some((p) => p.pid === mine.pid));
    expect(find(pair.listen!, 'LISTEN')?.direction).toBe('listen');
    expect(find(pair.listen!, 'ESTABLISHED')?.direction).toBe('inbound');
    expect(find(pair.client!, 'ESTABLISHED')?.direction).toBe('outbound');
  });
});
