// Issue 10 part d: what the collection costs the host it runs on, beside `ss -tunap` on the same host.
// Two test hosts of sshd-fleet.ts (each its own network and pid namespace): one with many TCP sockets
// (socket-zoo `tcp-many`), one with many processes holding a socket (socket-holders.ts). On each, the
// script runs as the local transport runs it (scriptInput on the stdin of `sh -s`), paired with
// `ss -tunap` run after run. CPU is user + sys of the whole process tree, from GNU time (wait4); wall
// is GNU time's too. Then what gzip would make of the script's bytes, and at what CPU, to decide
// whether "compressed when the host has gzip" pays. Prints figures; asserts nothing about time.
//
// Knobs (environment): FLEETSTAT_BENCH_CONNECTIONS (5000: 2 × 5000 + 1 TCP sockets),
// FLEETSTAT_BENCH_HOLDERS (4000 processes), FLEETSTAT_BENCH_RUNS (5 pairs),
// FLEETSTAT_BENCH_SHELLS (`sh,bash`: the shells to run the script under, e.g. `dash,busybox sh`).
import { SECTION } from '../src/capture/format.js';
import { newMarker, scriptInput, type CollectionWanted } from '../src/capture/script.js';
import { splitCapture } from '../src/capture/split.js';
import { enterArgs } from '../test/helpers/sshd-config.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../test/helpers/sshd-fleet.js';
import { findCommand } from '../test/helpers/sshd-run.js';
import { hasCommand } from '../test/helpers/requirements.js';
import { costOf, hasGnuTime, type TreeCost } from './gnu-time.js';
import { printTable } from './print.js';
import { startSocketHolders, type SocketHolders } from './socket-holders.js';
import { median, pairedRatio } from './stats.js';

const CONNECTIONS = Number(process.env.FLEETSTAT_BENCH_CONNECTIONS ?? 5000);
const HOLDERS = Number(process.env.FLEETSTAT_BENCH_HOLDERS ?? 4000);
const RUNS = Number(process.env.FLEETSTAT_BENCH_RUNS ?? 5);
const SHELLS = (process.env.FLEETSTAT_BENCH_SHELLS ?? 'sh,bash').split(',').map((s) => s.trim()).filter((s) => s !== '');
const GZIP_LEVELS = ['-6', '-1'];

interface Runs {
  cost: TreeCost[];
  bytes: number[];
}

const seconds = (values: readonly number[]) => median(values).toFixed(2);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const perUnit = (bytes: number, units: number) => (units > 0 ? (bytes / units).toFixed(0) : '-');
const times = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : '-');

/** The pids of the proc.holders section: the socket-holding processes the script saw. */
function holdersIn(capture: Buffer, marker: string): number {
  const holders = splitCapture(capture, marker).sections.find((s) => s.name === SECTION.procHolders);
  return holders === undefined ? 0 : holders.text.split(' ').filter((pid) => pid !== '').length;
}

async function measureHost(fleet: SshFleet, index: number, title: string, shells: string[]): Promise<void> {
  const prefix = [findCommand('nsenter')!, ...enterArgs(fleet.hosts[index]!.initPid), '--'];
  const listed = await fleet.runInside(index, ['ss', '-tuanH'], { timeoutMs: 60_000 });
  if (listed.status !== 0) throw new Error(`ss inside host ${index}: ${listed.stderr}`);
  const sockets = listed.stdout.split('\n').filter((line) => line !== '').length;

  // each shell with the whole collection, and the first also as a listeners-only scan asks for it (-l: L=1)
  const variants = [
    ...shells.map((shell) => ({ key: `collect.sh under ${shell} -s`, shell, wanted: {} as CollectionWanted })),
    { key: `collect.sh under ${shells[0]} -s, -l (L=1)`, shell: shells[0]!, wanted: { listeningTcpOnly: true } },
  ];
  const scripts = new Map(variants.map((v) => [v.key, { cost: [], bytes: [] } as Runs]));
  const ss: Runs = { cost: [], bytes: [] };
  const gzip = new Map(GZIP_LEVELS.map((level) => [level, { cost: [], bytes: [] } as Runs]));
  let holders = 0;
  // A B A B …: each shell's run, then ss's, pair after pair
  for (let run = 0; run < RUNS; run++) {
    for (const { key, shell, wanted } of variants) {
      const marker = newMarker();
      const cost = costOf([...shell.split(' '), '-s'], { prefix, input: scriptInput(marker, undefined, wanted) });
      if (!cost.stdout.subarray(-200).toString('latin1').endsWith(`\n${marker} end\n`)) throw new Error(`${key}: the capture has no end marker`);
      scripts.get(key)!.cost.push(cost);
      scripts.get(key)!.bytes.push(cost.stdout.length);
      holders = holdersIn(cost.stdout, marker);
      if (key === variants[0]!.key) {
        for (const level of GZIP_LEVELS) {
          const packed = costOf(['gzip', level, '-c'], { input: cost.stdout });
          gzip.get(level)!.cost.push(packed);
          gzip.get(level)!.bytes.push(packed.stdout.length);
        }
      }
      const listing = costOf(['ss', '-tunap'], { prefix });
      ss.cost.push(listing);
      ss.bytes.push(listing.stdout.length);
    }
  }

  const cpu = (runs: Runs) => runs.cost.map((c) => c.cpu);
  // each variant's runs pair with the ss run that followed them
  const ssAfter = (key: string) => ss.cost.filter((_, i) => variants[i % variants.length]!.key === key).map((c) => c.cpu);
  const rows: string[][] = [];
  for (const [key, runs] of scripts) {
    const ratio = pairedRatio(cpu(runs), ssAfter(key));
    rows.push([
      key, seconds(cpu(runs)), seconds(runs.cost.map((c) => c.wall)), kib(median(runs.bytes)),
      perUnit(median(runs.bytes), sockets), perUnit(median(runs.bytes), holders), times(ratio),
      `target: the script's CPU <= ss -tunap's: ${ratio <= 1 ? 'met' : 'NOT met'}`,
    ]);
  }
  rows.push(['ss -tunap', seconds(cpu(ss)), seconds(ss.cost.map((c) => c.wall)), kib(median(ss.bytes)), perUnit(median(ss.bytes), sockets), perUnit(median(ss.bytes), holders), '1.0x', '']);
  const first = scripts.get(variants[0]!.key)!;
  for (const [level, runs] of gzip) {
    const shrink = median(runs.bytes) / median(first.bytes);
    const cpuShare = pairedRatio(cpu(runs), cpu(first));
    rows.push([
      `  gzip ${level} -c of that capture (${shells[0]})`, seconds(cpu(runs)), seconds(runs.cost.map((c) => c.wall)), kib(median(runs.bytes)),
      perUnit(median(runs.bytes), sockets), perUnit(median(runs.bytes), holders), times(pairedRatio(cpu(runs), ssAfter(variants[0]!.key))),
      `${(shrink * 100).toFixed(1)}% of the bytes for ${(cpuShare * 100).toFixed(0)}% more CPU than the script's own`,
    ]);
  }
  process.stdout.write(`\n${title}: ${sockets} TCP+UDP sockets (ss -tuanH), ${holders} socket-holding processes (the script's proc.holders); median of ${RUNS} paired runs\n`);
  printTable(['what', 'CPU s', 'wall s', 'bytes', 'B/socket', 'B/holder', 'CPU vs ss', ''], rows);
}

const missing = [
  ...sshFleetMissing(),
  ...(hasCommand('prlimit') ? [] : ['prlimit (util-linux)']),
  ...(hasGnuTime() ? [] : ['GNU time (/usr/bin/time, package time)']),
  ...(hasCommand('gzip') ? [] : ['gzip']),
];
const shells = SHELLS.filter((shell) => hasCommand(shell.split(' ')[0]!));
const absentShells = SHELLS.filter((shell) => !shells.includes(shell));
if (shells.length === 0) missing.push(`a shell of ${SHELLS.join(', ')}`);

(missing.length === 0 ? test : test.skip)(`the collection's cost on a host, beside ss -tunap`, async () => {
  let fleet: SshFleet | undefined;
  let holders: SocketHolders | undefined;
  try {
    fleet = await startSshFleet({ hosts: 2, sockets: (i) => (i === 0 ? [{ kind: 'tcp-many', connections: CONNECTIONS }] : []), timeoutMs: 300_000 });
    holders = await startSocketHolders(HOLDERS, [findCommand('nsenter')!, ...enterArgs(fleet.hosts[1]!.initPid), '--']);
    if (absentShells.length > 0) process.stdout.write(`\nnot installed, not measured: ${absentShells.join(', ')}\n`);
    await measureHost(fleet, 0, `host with ${2 * CONNECTIONS + 1} TCP sockets in one process`, shells);
    await measureHost(fleet, 1, `host with ${HOLDERS} processes holding one socket`, shells);
    process.stdout.write('\n');
  } finally {
    await holders?.stop();
    await fleet?.stop();
  }
});

if (missing.length > 0) process.stdout.write(`bench skipped: needs ${missing.join(', ')}\n`);
