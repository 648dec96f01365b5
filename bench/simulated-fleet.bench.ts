// Issue 10's part b: a simulated fleet of 100 and 1,000 SSH hosts (bench/sim-fleet.ts: ssh2 Servers
// in a few child processes, each host its own loopback address) answering with recorded captures, some
// hosts with 10k sockets. fleetstat scans it to CSV and to JSON at concurrency 64; per run it prints
// wall time, the fleetstat process's CPU (user + sys, its own getrusage at exit) and peak RSS
// (bench/measure.ts) beside the target, the servers' CPU, and the hosts and sockets found in the output
// against what every host's capture holds (bench/output-check.ts). Asserts nothing about time or memory.
//
// Captures: an ordinary host is fixtures/captures/root-zoo (a real machine); a 10k-socket host is
// recorded at the start from this machine (bench/sim-capture.ts: a socket zoo in a fresh namespace).
// Expected sockets per host: the capture parsed in this process (what a scan of it must print); the
// big capture's TCP count is checked against `ss -tanH` inside its namespace.
//
// Knobs (environment): FLEETSTAT_BENCH_SIM_HOSTS (100,1000), FLEETSTAT_BENCH_SIM_BIG (the share of
// hosts with 10k sockets: 0.1; `all`, or 0), FLEETSTAT_BENCH_SIM_FORMATS (csv,json),
// FLEETSTAT_BENCH_SIM_ARGS (more scan flags, blank-separated: e.g. `--max-in-flight-bytes 134217728`),
// FLEETSTAT_BENCH_SIM_SERVERS (server processes, 4), FLEETSTAT_BENCH_CONNECTIONS (5000: 2 × 5000 + 1
// TCP sockets on a big host), FLEETSTAT_BENCH_TIMEOUT (seconds a run may take, 900).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { splitCapture } from '../src/capture/split.js';
import { buildHostView } from '../src/merge/host-view.js';
import { bundledServices } from '../src/merge/services.js';
import { readCaptureBytes } from '../test/helpers/capture-file.js';
import { hasCommand, isRoot } from '../test/helpers/requirements.js';
import { completeness, type ExpectedHost } from './fleet-completeness.js';
import { measureNode } from './measure.js';
import { checkOutput, type BenchFormat } from './output-check.js';
import { printTable } from './print.js';
import { recordCapture, RECORD_NEEDS } from './sim-capture.js';
import { startSimFleet } from './sim-fleet.js';

const repo = new URL('../', import.meta.url).pathname;
const runJs = `${repo}bin/run.js`;
const SIZES = (process.env.FLEETSTAT_BENCH_SIM_HOSTS ?? '100,1000').split(',').map(Number);
const EXTRA_ARGS = (process.env.FLEETSTAT_BENCH_SIM_ARGS ?? '').split(' ').filter((a) => a !== '');
const BIG_SHARE = process.env.FLEETSTAT_BENCH_SIM_BIG === 'all' ? 1 : Number(process.env.FLEETSTAT_BENCH_SIM_BIG ?? 0.1);
const FORMATS = (process.env.FLEETSTAT_BENCH_SIM_FORMATS ?? 'csv,json').split(',') as BenchFormat[];
const SERVERS = Number(process.env.FLEETSTAT_BENCH_SIM_SERVERS ?? 4);
const CONNECTIONS = Number(process.env.FLEETSTAT_BENCH_CONNECTIONS ?? 5000);
const TIMEOUT_MS = Number(process.env.FLEETSTAT_BENCH_TIMEOUT ?? 900) * 1000;
const CONCURRENCY = 64;
const RSS_TARGET_KIB = 512 * 1024;
const CPU_TARGET_MS_PER_HOST = 15;
const ORDINARY_CAPTURE = new URL('../fixtures/captures/root-zoo/capture.out', import.meta.url);

/** Host i has 10k sockets when the share's running count steps up at i: exactly round(N × share) of N, spread out. */
const isBig = (index: number) => Math.floor((index + 1) * BIG_SHARE) > Math.floor(index * BIG_SHARE);

/** What a scan of this capture must print: its sockets as fleetstat's own parse of it finds them. */
function socketsIn(file: string | URL): { sockets: number; tcp: number } {
  const { marker, stdout } = readCaptureBytes(file instanceof URL ? file : pathToFileURL(file));
  const view = buildHostView(splitCapture(stdout, marker), bundledServices());
  return { sockets: view.sockets.length, tcp: view.sockets.filter((s) => s.proto === 'tcp' || s.proto === 'tcp6').length };
}

const mib = (kib: number | undefined) => (kib === undefined ? '?' : `${(kib / 1024).toFixed(0)} MiB`);

/** every run may take its time limit, and its output's check about as long */
const BENCH_TIMEOUT_MS = SIZES.length * FORMATS.length * 2 * TIMEOUT_MS + 120_000;

const missing = [...(isRoot ? [] : ['root (a network namespace for the recorded capture)']), ...RECORD_NEEDS.filter((c) => !hasCommand(c))];
(missing.length === 0 ? test : test.skip)(`a simulated fleet of ${SIZES.join(' and ')} hosts`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetstat-simfleet-'));
  try {
    const recorded = await recordCapture([{ kind: 'tcp-many', connections: CONNECTIONS }], join(dir, 'big.capture'));
    const captures = { ordinary: ORDINARY_CAPTURE.pathname, big: recorded.file };
    const perCapture = { ordinary: socketsIn(ORDINARY_CAPTURE), big: socketsIn(recorded.file) };
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, USER: 'root', NO_COLOR: '1' };

    const rows: string[][] = [];
    for (const hosts of SIZES) {
      const fleet = await startSimFleet({ hosts, captureOf: (i) => (isBig(i) ? 'big' : 'ordinary'), captures, processes: SERVERS, dir });
      try {
        const expected = new Map<string, ExpectedHost>(fleet.hosts.map((h) => [h.name, perCapture[h.capture as keyof typeof perCapture]]));
        const bigHosts = fleet.hosts.filter((h) => h.capture === 'big').length;
        const expectedSockets = [...expected.values()].reduce((sum, e) => sum + e.sockets, 0);
        for (const format of FORMATS) {
          const outputFile = join(dir, `out.${format}`);
          const serverCpuBefore = fleet.serverCpuSeconds();
          const run = await measureNode(
            [runJs, 'scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--format', format, '-j', String(CONCURRENCY), '-q', '--command-timeout', '600', '--connect-timeout', '120', ...EXTRA_ARGS],
            { outputFile, rssFile: join(dir, `rss.${format}`), env, timeoutMs: TIMEOUT_MS },
          );
          const serverCpu = fleet.serverCpuSeconds() - serverCpuBefore;
          const check = await checkOutput(format, outputFile, new Set(expected.keys()));
          rmSync(outputFile, { force: true }); // GiBs at 1,000 big hosts
          const cpu = run.cpuSeconds ? run.cpuSeconds.user + run.cpuSeconds.sys : undefined;
          const ended = run.timedOut ? `killed after ${TIMEOUT_MS / 1000} s` : run.status === 0 ? 'exit 0' : `exit ${run.status ?? run.signal}: ${run.stderrFirstLine}`;
          rows.push([
            String(hosts),
            String(bigHosts),
            format,
            `${run.seconds.toFixed(1)} s`,
            cpu === undefined ? '?' : `${cpu.toFixed(1)} s (${((cpu * 1000) / hosts).toFixed(0)} ms/host)`,
            `${mib(run.peakRss)}${run.peakRss !== undefined && run.peakRss > RSS_TARGET_KIB ? ' (> 512)' : ''}`,
            `${serverCpu.toFixed(1)} s`,
            `${(run.outputBytes / 1024 / 1024).toFixed(1)} MiB`,
            `${check.hosts.size}/${hosts}`,
            `${check.sockets}/${expectedSockets}`,
            `${ended}; ${completeness(check, expected)}`,
          ]);
        }
      } finally {
        await fleet.stop();
      }
    }

    const big = perCapture.big;
    process.stdout.write(
      `\nsimulated fleet: ${SERVERS} ssh2 server processes on 127.86.x.y, concurrency ${CONCURRENCY}; an ordinary host is fixtures/captures/root-zoo ` +
        `(${perCapture.ordinary.sockets} sockets), a big one a capture recorded here (${big.sockets} sockets, ${big.tcp} TCP; ss -tanH in its namespace: ` +
        `${recorded.ssTcp}${recorded.ssTcp === big.tcp ? '' : ' — MISMATCH'}; ${(recorded.bytes / 1024 / 1024).toFixed(1)} MiB of capture)\n`,
    );
    printTable(['hosts', 'big', 'format', 'wall', 'client CPU (user+sys)', `peak RSS (≤ 512 MiB)`, 'server CPU', 'output', 'hosts found', 'sockets found', 'result'], rows);
    process.stdout.write(
      `targets: peak RSS ≤ 512 MiB at 1,000 hosts with 10k sockets each (FLEETSTAT_BENCH_SIM_BIG=all); client CPU ≤ ${CPU_TARGET_MS_PER_HOST} ms per ordinary host (FLEETSTAT_BENCH_SIM_BIG=0)\n` +
        'client CPU and peak RSS: the fleetstat process\'s getrusage at exit (bench/report-rss.mjs); server CPU: utime + stime of the server processes (/proc/PID/stat)\n\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, BENCH_TIMEOUT_MS);

if (missing.length > 0) process.stdout.write(`simulated-fleet bench skipped: needs ${missing.join(', ')}\n`);
