// How long it takes to collect a fleet: fleetstat (collect, parse, report) against pssh and clush
// merely collecting the same script's raw output from the same hosts. 15 real OpenSSH hosts on
// loopback (test/helpers/sshd-fleet.ts). Prints figures; asserts nothing about time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_HOSTS, sshFleetMissing, startSshFleet, type SshFleet } from '../test/helpers/sshd-fleet.js';
import { hasCommand } from '../test/helpers/requirements.js';
import { newMarker, scriptInput } from '../src/capture/script.js';

const repo = new URL('../', import.meta.url).pathname;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time of a command, RUNS times; fails loudly if the command fails. */
function time(label: string, argv: string[], options: { input?: Buffer; env?: NodeJS.ProcessEnv } = {}): number {
  const seconds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(argv[0]!, argv.slice(1), { input: options.input ?? Buffer.alloc(0), env: options.env ?? process.env, maxBuffer: 1 << 30 });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    if (run.status !== 0) throw new Error(`${label} failed (${run.status}): ${run.stderr.toString().slice(0, 500)}`);
    seconds.push(elapsed);
  }
  return median(seconds);
}

const missing = sshFleetMissing();
(missing.length === 0 ? test : test.skip)(`collecting ${MAX_HOSTS} hosts`, async () => {
  let fleet: SshFleet | undefined;
  try {
    fleet = await startSshFleet({ hosts: MAX_HOSTS });
    const home = mkdtempSync(join(tmpdir(), 'fleetstat-bench-'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, USER: 'root' };
    const names = fleet.hosts.map((h) => h.name);
    const hostsFile = join(home, 'hosts');
    writeFileSync(hostsFile, names.join('\n') + '\n');
    // the exact bytes fleetstat sends: the marker line, then the collection script
    const input = scriptInput(newMarker());

    const rows: Array<[string, number | null, string]> = [];
    const fleetstat = time('fleetstat', [process.execPath, `${repo}bin/run.js`, 'scan', fleet.inventory, '--known-hosts', fleet.knownHosts, '--json', '-q'], { env });
    rows.push(['fleetstat scan (collect + parse + JSON)', fleetstat, '']);
    const version = time('node startup', [process.execPath, `${repo}bin/run.js`, '--version'], { env });
    rows.push(['  of which CLI start-up (fleetstat --version)', version, '']);

    if (hasCommand('parallel-ssh')) {
      const pssh = time('pssh', ['parallel-ssh', '-h', hostsFile, '-p', '64', '-x', `-F ${fleet.sshConfig}`, '-I', '-o', join(home, 'pssh-out'), 'sh -s'], { input, env });
      rows.push(['pssh -I sh -s (raw output only)', pssh, `fleetstat/pssh = ${(fleetstat / pssh).toFixed(2)}`]);
    } else rows.push(['pssh', null, 'not installed (apt-get install pssh)']);

    if (hasCommand('clush')) {
      const clush = time('clush', ['clush', '-w', names.join(','), '-f', '64', '-o', `-F ${fleet.sshConfig}`, 'sh -s'], { input, env });
      rows.push(['clush sh -s (raw output only)', clush, `fleetstat/clush = ${(fleetstat / clush).toFixed(2)}`]);
    } else rows.push(['clush', null, 'not installed (apt-get install clustershell)']);

    const width = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`\nfleet of ${MAX_HOSTS} OpenSSH hosts on loopback, median of ${RUNS} runs (wall seconds)\n`);
    for (const [label, seconds, note] of rows) {
      process.stdout.write(`  ${label.padEnd(width)}  ${seconds === null ? '   -  ' : seconds.toFixed(3).padStart(6)}  ${note}\n`);
    }
    process.stdout.write('\n');
  } finally {
    await fleet?.stop();
  }
});

if (missing.length > 0) process.stdout.write(`bench skipped: needs ${missing.join(', ')}\n`);
