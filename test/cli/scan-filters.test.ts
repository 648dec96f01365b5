// scan's triage filters and --sort as a user meets them: a snapshot of real captures (the root zoo:
// listeners, connections, TIME_WAITs, unix sockets, three namespaces) replayed through the built
// CLI. Each filtered run is checked against the unfiltered document of the same snapshot, every
// format sees the same sockets, hosts keep their order, --save keeps every socket, and a bad value
// is one line, exit 2.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { captureFromFixture, header, hostRecord, specs, trailer, writeSnapshot } from '../capture/snapshot-records.js';
import type { Socket } from '../../src/model/index.js';
import { readCsvWithPython } from '../helpers/python-csv.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { fleetstat, localInventory, scratch, stderrLines } from '../helpers/run-cli.js';

interface Doc {
  hosts: Array<{ name: string; status: string; sockets: Socket[] }>;
}

const { dir } = scratch('filters');
let snap: string;
let all: Doc;

beforeAll(async () => {
  const capture = captureFromFixture(new URL('../../fixtures/captures/root-zoo/capture.out', import.meta.url));
  const hosts = specs(3);
  // host02 failed: a row with no sockets, whatever the filter
  const records = hosts.map((spec, i) => hostRecord(i, spec, i === 2 ? null : capture));
  snap = join(dir, 'zoo.snap.gz');
  await writeSnapshot(snap, header(hosts), records, trailer(records));
  all = json([]);
  expect(all.hosts[0]!.sockets.length).toBeGreaterThan(50);
}, 60_000);

function json(args: string[]): Doc {
  const run = fleetstat(['scan', snap, '--json', ...args]);
  expect(run.stderr).not.toMatch(/error/i);
  return JSON.parse(run.stdout) as Doc;
}

const inodes = (doc: Doc) => doc.hosts.map((h) => h.sockets.map((s) => `${s.proto}/${s.inode}/${s.netns}/${s.state}`));
/** The unfiltered document, narrowed here by a predicate written independently of src/result. */
const expected = (keep: (s: Socket) => boolean) => all.hosts.map((h) => h.sockets.filter(keep).map((s) => `${s.proto}/${s.inode}/${s.netns}/${s.state}`));
const inetPort = (e: Socket['local'] | Socket['remote']) => (e !== null && 'address' in e ? e.port : null);
const hasProcess = (s: Socket, name: string) => s.processes.some((p) => p.name === name || p.cmdline[0]?.split('/').pop() === name);

describe('each filter keeps what it says, per host, for every host', () => {
  test('--port P: the local or the remote port', () => {
    const port = inetPort(all.hosts[0]!.sockets.find((s) => s.state === 'LISTEN' && s.proto === 'tcp')!.local)!;
    const got = json(['--port', String(port)]);
    expect(inodes(got)).toEqual(expected((s) => inetPort(s.local) === port || inetPort(s.remote) === port));
    // the listener, the connections to it (local) and from this host to it (remote)
    const states = new Set(got.hosts[0]!.sockets.map((s) => s.state));
    expect(states).toEqual(new Set(['LISTEN', 'ESTABLISHED']));
    expect(got.hosts[0]!.sockets.some((s) => inetPort(s.remote) === port)).toBe(true);
    expect(got.hosts.map((h) => h.name)).toEqual(['host00', 'host01', 'host02']);
  });

  test('--port with a range and a service name, repeated: OR\'ed', () => {
    const got = json(['--port', '2000-2100', '--port', 'ssh', '--port', ':2223']);
    expect(inodes(got)).toEqual(expected((s) => [inetPort(s.local), inetPort(s.remote)].some((p) => p !== null && ((p >= 2000 && p <= 2100) || p === 22 || p === 2223))));
    expect(got.hosts[0]!.sockets.map((s) => inetPort(s.local)).sort()).toEqual([2024, 2223]);
  });

  test('--state time-wait and --state TIME_WAIT are one; with -l nothing is left', () => {
    const want = expected((s) => s.state === 'TIME_WAIT');
    expect(want[0]!.length).toBeGreaterThan(10);
    expect(inodes(json(['--state', 'time-wait']))).toEqual(want);
    expect(inodes(json(['--state', 'TIME_WAIT']))).toEqual(want);
    expect(inodes(json(['--state', 'time-wait', '-l']))).toEqual([[], [], []]);
  });

  test('--state established: TCP and UDP ESTABLISHED and connected unix sockets (ss\'s ESTAB); -t narrows it to TCP', () => {
    expect(inodes(json(['--state', 'established']))).toEqual(expected((s) => s.state === 'ESTABLISHED' || s.state === 'CONNECTED'));
    expect(inodes(json(['--state', 'established', '-t']))).toEqual(expected((s) => s.state === 'ESTABLISHED' && s.proto.startsWith('tcp')));
  });

  test('--state listening -x: the unix listener only', () => {
    const got = json(['--state', 'listening', '-x']);
    expect(inodes(got)).toEqual(expected((s) => s.proto === 'unix' && s.state === 'LISTEN'));
    expect(got.hosts[0]!.sockets).toHaveLength(1);
  });

  test('--process: by comm or argv[0] basename, globs OR\'ed', () => {
    expect(inodes(json(['--process', 'python3']))).toEqual(expected((s) => hasProcess(s, 'python3')));
    const got = json(['--process', 'busy*', '--process', 'node']);
    expect(inodes(got)).toEqual(expected((s) => s.processes.some((p) => p.name.startsWith('busy')) || hasProcess(s, 'node')));
    expect(got.hosts[0]!.sockets.some((s) => s.proto === 'unix')).toBe(true);
    // comm is the renamed title `npm install /tm`: a glob with a space and a `[` class
    expect(json(['--process', 'npm [i]nstall *']).hosts[0]!.sockets.length).toBeGreaterThan(0);
    expect(inodes(json(['--process', 'Python3']))).toEqual([[], [], []]);
  });

  test('--user: the holders\' user, else the owner; sockets with neither are left out', () => {
    const got = json(['--user', 'ro?t']);
    expect(inodes(got)).toEqual(expected((s) => s.processes.some((p) => p.user === 'root') || (!s.processes.some((p) => p.user !== null) && s.user === 'root')));
    // unheld unix sockets have no owner in /proc/net/unix
    expect(got.hosts[0]!.sockets.length).toBeLessThan(all.hosts[0]!.sockets.length);
    expect(inodes(json(['--user', 'nobody']))).toEqual([[], [], []]);
  });

  test('--netns: a label glob; `[` written as \\[ or [[]', () => {
    const labels = [...new Set(all.hosts[0]!.sockets.map((s) => s.netns))].sort();
    expect(labels.length).toBeGreaterThanOrEqual(3);
    const other = labels.find((l) => l.startsWith('net:['))!;
    expect(inodes(json(['--netns', 'default']))).toEqual(expected((s) => s.netns === 'default'));
    expect(inodes(json(['--netns', other.replace('[', '\\[')]))).toEqual(expected((s) => s.netns === other));
    expect(inodes(json(['--netns', 'net:[[]*']))).toEqual(expected((s) => s.netns.startsWith('net:[')));
  });

  test('different flags AND\'ed, with netstat\'s too', () => {
    const got = json(['--process', 'python3', '--state', 'listen', '-t', '-4']);
    expect(inodes(got)).toEqual(expected((s) => hasProcess(s, 'python3') && s.state === 'LISTEN' && s.proto === 'tcp'));
    expect(got.hosts[0]!.sockets).toHaveLength(2);
    expect(inodes(json(['--netns', 'default', '--process', 'busybox']))).toEqual([[], [], []]);
  });

  test('a flag before the inventory leaves it alone (values are not greedy)', () => {
    const run = fleetstat(['scan', '--port', '2024', '--state', 'listen', snap, '--json']);
    expect(run.status).toBe(4); // host02 is unreachable in the snapshot
    expect(inodes(JSON.parse(run.stdout) as Doc)).toEqual(expected((s) => inetPort(s.local) === 2024 && s.state === 'LISTEN'));
  });
});

describe('every output sees the filtered sockets', () => {
  const args = ['--state', 'listen', '--sort', 'port'];
  let want: string[];
  beforeAll(() => {
    want = json(args).hosts.flatMap((h) => h.sockets.map((s) => `${h.name} ${s.proto} ${s.inode}`));
    expect(want.length).toBeGreaterThan(4);
  });

  test('ndjson: the same sockets, in the same order', () => {
    const lines = fleetstat(['scan', snap, '--format', 'ndjson', ...args]).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { schema: string; host: { name: string }; socket?: Socket });
    // the failed host's line has socket: null
    expect(lines.filter((l) => l.socket != null).map((l) => `${l.host.name} ${l.socket!.proto} ${l.socket!.inode}`)).toEqual(want);
  });

  test('the table: one row per kept socket, inet sockets then unix ones (its two sections), host by host', () => {
    const out = fleetstat(['scan', snap, '-W', '--view', 'sockets', ...args]).stdout;
    const rows = out.split('\n').filter((l) => /^host0\d /.test(l) && !/unreachable/.test(l));
    // Host Netns Proto …: the netns column is there (several namespaces)
    const shown = rows.map((l) => l.split(/\s+/).slice(0, 3).filter((_, i) => i !== 1).join(' '));
    const hostProto = want.map((w) => w.split(' ').slice(0, 2).join(' '));
    expect(shown).toEqual([...hostProto.filter((w) => !w.endsWith(' unix')), ...hostProto.filter((w) => w.endsWith(' unix'))]);
    expect(out).not.toMatch(/TIME_WAIT|ESTABLISHED|CONNECTED/);
  });
});

describeIf(hasCommand('python3') ? [] : ['python3'], 'CSV (read back by Python\'s csv module) sees the filtered sockets', () => {
  test('the same host/proto/inode rows as the JSON', () => {
    const args = ['--process', 'python3', '--sort', 'proto'];
    const want = json(args).hosts.flatMap((h) => h.sockets.map((s) => `${h.name} ${s.proto} ${s.inode}`));
    const csv = fleetstat(['scan', snap, '--format', 'csv', ...args]).stdout;
    const rows = readCsvWithPython(csv).filter((r) => r.proto !== '');
    expect(rows.map((r) => `${r.host} ${r.proto} ${r.inode}`)).toEqual(want);
  });
});

describe('--sort: each host\'s sockets, never the fleet', () => {
  test('port: local ports ascending within each host (inet first), hosts in the inventory\'s order, nothing lost', () => {
    const got = json(['--sort', 'port']);
    expect(got.hosts.map((h) => h.name)).toEqual(all.hosts.map((h) => h.name));
    for (const [i, host] of got.hosts.entries()) {
      const ports = host.sockets.map((s) => inetPort(s.local));
      const inet = ports.filter((p): p is number => p !== null);
      expect(inet).toEqual([...inet].sort((a, b) => a - b));
      expect(ports.slice(inet.length).every((p) => p === null)).toBe(true);
      expect([...inodes({ hosts: [host] })[0]!].sort()).toEqual([...inodes({ hosts: [all.hosts[i]!] })[0]!].sort());
    }
  });

  test('stable: with no other difference, sockets that tie keep the tables\' order', () => {
    const got = json(['--sort', 'state']).hosts[0]!.sockets;
    const timeWaits = (list: Socket[]) => list.filter((s) => s.state === 'TIME_WAIT').map((s) => `${s.local && 'address' in s.local ? s.local.port : ''}`);
    expect(timeWaits(got)).toEqual(timeWaits(all.hosts[0]!.sockets));
    const states = got.map((s) => s.state);
    expect(states).toEqual([...states].sort());
  });

  test('without --sort: the tables\' order, as before', () => {
    expect(inodes(json(['--state', 'all']))).toEqual(inodes(all));
  });
});

test('--save keeps every socket, whatever the filters', () => {
  const saved = join(dir, 'local.snap.gz');
  const live = fleetstat(['scan', localInventory, '--json', '--save', saved, '--port', '1-1023', '--state', 'listen']);
  expect(live.status).toBe(0);
  const filtered = JSON.parse(live.stdout) as Doc;
  const replayed = JSON.parse(fleetstat(['scan', saved, '--json']).stdout) as Doc;
  // the collection's own sockets (the process that ran it) are always there: more than the filter kept
  expect(replayed.hosts[0]!.sockets.length).toBeGreaterThan(filtered.hosts[0]!.sockets.length);
  expect(replayed.hosts[0]!.sockets.some((s) => s.state !== 'LISTEN')).toBe(true);
  // and the same filters over the snapshot give what the live run printed
  expect(inodes(JSON.parse(fleetstat(['scan', saved, '--json', '--port', '1-1023', '--state', 'listen']).stdout) as Doc)).toEqual(inodes(filtered));
});

describe('a bad value: exit 2, one line naming the flag and the value, nothing on stdout', () => {
  test.each([
    [['--port', 'sshh'], /^fleetstat: scan: --port "sshh": not a port, a range \(8000-8999\) or a service name/],
    [['--port', '70000'], /^fleetstat: scan: --port "70000": ports are 1 to 65535/],
    [['--port', '9-1'], /^fleetstat: scan: --port "9-1": the range is reversed/],
    [['--state', 'lisen'], /^fleetstat: scan: --state "lisen": no such state; valid: ESTABLISHED .* LISTEN .*\(netstat\), .*listening.*\(ss\)/],
    [['--process', '[[:alpha:]]'], /^fleetstat: scan: --process "\[\[:alpha:\]\]": POSIX character classes/],
    [['--sort', 'size'], /^fleetstat: scan: expected --sort=size to be one of: port, process, user, state, local, remote, proto/],
  ])('%j', (args, message) => {
    const run = fleetstat(['scan', snap, ...args]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(stderrLines(run)).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  test('with --json: the error document, kind usage', () => {
    const run = fleetstat(['scan', snap, '--json', '--state', 'lisen']);
    expect(run.status).toBe(2);
    const doc = JSON.parse(run.stdout) as { error: { kind: string; exitCode: number; message: string } };
    expect(doc.error).toMatchObject({ kind: 'usage', exitCode: 2 });
    expect(doc.error.message).toMatch(/--state "lisen"/);
  });

  test('-o is never created for a refused command line', () => {
    const out = join(dir, 'never.json');
    const run = fleetstat(['scan', snap, '-o', out, '--port', 'nope']);
    expect(run.status).toBe(2);
    expect(readdirSync(dir).filter((name) => name.includes('never'))).toEqual([]);
  });
});
