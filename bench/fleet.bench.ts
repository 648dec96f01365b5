// Issue 10 part c: the whole job against what users reach for instead, on N real OpenSSH hosts on
// loopback (network namespaces behind sshd: bench/fleet-union.ts over the e2e harness), in ONE paired
// run (A B C D E, A B C D E, …):
//   A fleetstat's full scan to CSV (collect, parse, attribute, write), with the fleet's known_hosts and keys;
//   B `clush -f 64 -b -w HOSTS 'ss -tunap'`      (ClusterShell, the fleet's ssh_config; text only, no merge);
//   C `parallel-ssh -p 64 -h HOSTS -i 'ss -tunap'` (pssh, the same ssh_config);
//   D the floor: a bare ssh2 client that connects to every host at concurrency 64 and runs `true`;
//   E fleetstat's start-up alone (`fleetstat --version`).
// Per command: median wall and client-side CPU (user + sys of its process tree, bench/cpu-time.ts),
// CPU per host, and fleetstat's ratios to each, taken round by round then their median (bench/paired.ts).
// sshd and the remote commands run on the same cores as the clients: their cost shows in wall time only.
// Prints figures beside issue 10's targets; asserts nothing about time (a command that FAILS fails the bench).
//
// Knobs (environment): FLEETSTAT_BENCH_FLEET_HOSTS (host counts, comma-separated: 20,100),
// FLEETSTAT_BENCH_RUNS (rounds, 5), FLEETSTAT_BENCH_CONCURRENCY (every client's fan-out, 64).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshFleetMissing } from '../test/helpers/sshd-fleet.js';
import { findCommand } from '../test/helpers/sshd-run.js';
import { cpuSource, runTimed, type TimedRun } from './cpu-time.js';
import { startFleetUnion, type FleetUnion } from './fleet-union.js';
import { median, pairedOrder, pairedRatio } from './paired.js';
import { printTable } from './print.js';

const repo = new URL('../', import.meta.url).pathname;
const runJs = `${repo}bin/run.js`;
const floorClient = `${repo}bench/floor-client.mjs`;
const SIZES = (process.env.FLEETSTAT_BENCH_FLEET_HOSTS ?? '20,100').split(',').map(Number);
const RUNS = Number(process.env.FLEETSTAT_BENCH_RUNS ?? 5);
const CONCURRENCY = String(Number(process.env.FLEETSTAT_BENCH_CONCURRENCY ?? 64));
const COMMAND_TIMEOUT_MS = 300_000;
const TARGET = { clush: 0.75, floor: 1.2, cpuPerHostMs: 15 };

interface Contender {
  key: 'fleetstat' | 'clush' | 'pssh' | 'floor' | 'version';
  label: string;
  /** why the row is skipped (a tool missing, and how to install it) */
  skip?: string;
  argv: string[];
  /** what is wrong with a finished run (undefined: it did the job) */
  failure(run: TimedRun, stdout: string): string | undefined;
}

const CLUSH_HOST_FAILED = /clush: \S+: (?:exited with exit code \d+|command timeout)[^\n]*/;
const firstLine = (text: string) => text.split('\n').find((line) => line.trim() !== '')?.slice(0, 300) ?? '';
const statusFailure = (run: TimedRun) =>
  run.timedOut ? `killed after ${COMMAND_TIMEOUT_MS / 1000} s` : run.status !== 0 ? `exit ${run.status ?? run.signal}: ${firstLine(run.stderr)}` : undefined;

function contenders(fleet: FleetUnion): Contender[] {
  const count = fleet.hosts.length;
  const names = fleet.hosts.map((h) => h.name).join(',');
  const clush = findCommand('clush');
  const pssh = findCommand('parallel-ssh') ?? findCommand('pssh'); // Debian names pssh's command parallel-ssh
  return [
    {
      key: 'fleetstat', label: 'fleetstat scan → CSV (collect + parse + attribute)',
      argv: [process.execPath, runJs, 'scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--format', 'csv', '-o', '/dev/null', '-q', '-j', CONCURRENCY],
      // exits 0 only when every host was scanned (4, 8, 12: some unreachable or refused)
      failure: statusFailure,
    },
    {
      key: 'clush', label: `clush -f ${CONCURRENCY} -b 'ss -tunap'`,
      ...(clush ? {} : { skip: 'clush not installed (apt-get install clustershell, or pip install ClusterShell)' }),
      argv: [clush ?? 'clush', '-f', CONCURRENCY, '-b', '--nostdin', '-o', `-F ${fleet.sshConfig}`, '-w', names, 'ss -tunap'],
      // clush exits 0 when a host fails: it says so on stderr (`clush: h001: exited with exit code 255`),
      // amid its progress meter and the hosts' own stderr (which a login shell's rc files may write to)
      failure: (run, stdout) => statusFailure(run) ?? CLUSH_HOST_FAILED.exec(run.stderr)?.[0] ?? (!stdout.includes('Netid') ? 'no ss output' : undefined),
    },
    {
      key: 'pssh', label: `parallel-ssh -p ${CONCURRENCY} -i 'ss -tunap'`,
      ...(pssh ? {} : { skip: 'pssh not installed (apt-get install pssh)' }),
      argv: [pssh ?? 'parallel-ssh', '-p', CONCURRENCY, '-h', fleet.psshHosts, '-x', `-F ${fleet.sshConfig}`, '-i', 'ss -tunap'],
      failure: (run, stdout) => {
        const succeeded = stdout.match(/^\[\d+\] \S+ \[SUCCESS\] /gm)?.length ?? 0;
        return statusFailure(run) ?? (succeeded !== count ? `${succeeded} of ${count} hosts succeeded` : undefined);
      },
    },
    {
      key: 'floor', label: `floor: bare ssh2 connect + \`true\` (-j ${CONCURRENCY})`,
      argv: [process.execPath, floorClient, fleet.floorHosts, CONCURRENCY],
      failure: statusFailure,
    },
    {
      key: 'version', label: 'fleetstat --version (CLI start-up)',
      argv: [process.execPath, runJs, '--version'],
      failure: (run, stdout) => statusFailure(run) ?? (!stdout.startsWith('fleetstat/') ? `printed ${firstLine(stdout)}` : undefined),
    },
  ];
}

interface Figures {
  wall: number[];
  cpu: number[];
  failure?: string;
}

const seconds = (s: number) => (Number.isFinite(s) ? s.toFixed(3) : '-');
const ratio = (r: number) => (Number.isFinite(r) ? r.toFixed(3) : '-');
const versus = (r: number, target: number) => `${ratio(r)} (target ≤ ${target}${Number.isFinite(r) ? (r <= target ? ': met' : ': missed') : ''})`;

function report(fleet: FleetUnion, startSeconds: number, all: Contender[], figures: Map<Contender['key'], Figures>): void {
  const count = fleet.hosts.length;
  const ours = figures.get('fleetstat')!;
  process.stdout.write(
    `\nfleet of ${count} OpenSSH hosts on loopback (${fleet.fleets} sshd, network namespaces; started in ${startSeconds.toFixed(0)} s), ` +
      `${RUNS} paired rounds (${all.filter((c) => !c.skip).map((c) => c.key).join(' ')}, …), medians\n` +
      `CPU: user + sys of each command's process tree on the client side (${cpuSource}); sshd and the remote\n` +
      `commands share the same cores, so their cost is in the wall time only\n\n`,
  );
  const rows = all.map((c) => {
    if (c.skip) return [c.label, '-', '-', '-', '-', '-', `skipped: ${c.skip}`];
    const f = figures.get(c.key)!;
    if (f.failure) return [c.label, '-', '-', '-', '-', '-', `FAILED: ${f.failure}`];
    const wall = median(f.wall);
    const cpu = median(f.cpu);
    const perHost = c.key === 'version' ? '-' : ((cpu / count) * 1000).toFixed(1);
    const mine = c.key === 'fleetstat' || c.key === 'version' || ours.failure;
    const wallRatio = mine ? Number.NaN : pairedRatio(ours.wall, f.wall);
    const cpuRatio = mine ? Number.NaN : pairedRatio(ours.cpu, f.cpu);
    const note =
      c.key === 'fleetstat' ? `client CPU per host ${perHost} ms (target ≤ ${TARGET.cpuPerHostMs})`
      : c.key === 'clush' ? `fleetstat/clush wall ${versus(wallRatio, TARGET.clush)}`
      : c.key === 'floor' ? `fleetstat/floor wall ${versus(wallRatio, TARGET.floor)}`
      : c.key === 'pssh' ? `fleetstat/pssh wall ${ratio(wallRatio)}`
      : 'part of every fleetstat run';
    return [c.label, seconds(wall), seconds(cpu), perHost, ratio(wallRatio), ratio(cpuRatio), note];
  });
  printTable(['command', 'wall s', 'CPU s', 'CPU/host ms', 'fleetstat/this wall', 'fleetstat/this CPU', 'target'], rows);
  process.stdout.write('\n');
}

const missing = sshFleetMissing();
for (const count of SIZES) {
  (missing.length === 0 ? test : test.skip)(`fleetstat vs clush vs pssh vs the bare-connection floor, ${count} hosts`, async () => {
    if (!existsSync(`${repo}dist/commands/scan.js`)) throw new Error('fleetstat is not built: npm run build (npm run bench does it)');
    const dir = mkdtempSync(join(tmpdir(), 'fleetstat-fleetbench-'));
    let fleet: FleetUnion | undefined;
    try {
      const starting = Date.now();
      fleet = await startFleetUnion(count, dir);
      const startSeconds = (Date.now() - starting) / 1000;
      // HOME: no ~/.ssh/config of this machine's user changes what any client does
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, USER: 'root', LANG: 'C.UTF-8' };
      const all = contenders(fleet);
      const running = all.filter((c) => !c.skip);
      const figures = new Map(all.map((c) => [c.key, { wall: [], cpu: [] } as Figures]));
      for (const { label: c } of pairedOrder(running, RUNS)) {
        const f = figures.get(c.key)!;
        if (f.failure) continue; // a command that failed once has no figures worth a median
        const stdoutFile = join(dir, `${c.key}.out`);
        const run = await runTimed(c.argv, { stdoutFile, cpuFile: join(dir, `${c.key}.cpu`), env, timeoutMs: COMMAND_TIMEOUT_MS });
        const failure = c.failure(run, readFileSync(stdoutFile, 'utf8'));
        if (failure) f.failure = failure;
        else {
          f.wall.push(run.wallSeconds);
          f.cpu.push(run.cpuSeconds);
        }
      }
      report(fleet, startSeconds, all, figures);
      const failed = running.filter((c) => figures.get(c.key)!.failure);
      if (failed.length > 0) throw new Error(`failed: ${failed.map((c) => `${c.key}: ${figures.get(c.key)!.failure}`).join('; ')}`);
    } finally {
      await fleet?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30 * 60_000);
}

if (missing.length > 0) process.stdout.write(`fleet bench skipped: needs ${missing.join(', ')}\n`);
