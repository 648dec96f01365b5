// Issue 7's scale line: one real OpenSSH host with 10k sockets, named 60 times in an inventory
// (600k sockets), scanned to each output format. Prints, per format: wall time, peak RSS of the
// fleetstat process, output size, sockets found in the output, and whether the output is complete and
// valid. Asserts nothing about time or memory: a format that crashes or is slow is printed as such.
//
// Knobs (environment): FLEETSTAT_BENCH_NAMES (60), FLEETSTAT_BENCH_CONNECTIONS (5000: 2 × 5000 + 1
// TCP sockets), FLEETSTAT_BENCH_FORMATS (json,ndjson,csv,table), FLEETSTAT_BENCH_TIMEOUT (seconds a
// format may run, 900).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../test/helpers/sshd-fleet.js';
import { hasCommand } from '../test/helpers/requirements.js';
import { newMarker, scriptInput } from '../src/capture/script.js';
import { checkOutput, type BenchFormat, type OutputCheck } from './output-check.js';
import { measureNode, type Measured } from './measure.js';
import { printTable } from './print.js';

const repo = new URL('../', import.meta.url).pathname;
const runJs = `${repo}bin/run.js`;
const NAMES = Number(process.env.FLEETSTAT_BENCH_NAMES ?? 60);
const CONNECTIONS = Number(process.env.FLEETSTAT_BENCH_CONNECTIONS ?? 5000);
const FORMATS = (process.env.FLEETSTAT_BENCH_FORMATS ?? 'json,ndjson,csv,table').split(',') as BenchFormat[];
const TIMEOUT_MS = Number(process.env.FLEETSTAT_BENCH_TIMEOUT ?? 900) * 1000;
const RSS_BUDGET_KIB = 512 * 1024;
const MiB = 1024;

const names = Array.from({ length: NAMES }, (_, i) => `big-${String(i + 1).padStart(2, '0')}`);

/** The inventory: the one host under NAMES names (ansible_host its IP literal, so known_hosts matches by address). */
function inventoryText(fleet: SshFleet): string {
  const host = fleet.hosts[0]!;
  return [
    `# ${NAMES} names for one ${2 * CONNECTIONS + 1}-TCP-socket host (written by bench/scale.bench.ts)`,
    'all:',
    '  children:',
    '    big:',
    '      hosts:',
    ...names.flatMap((name) => [
      `        ${name}:`,
      `          ansible_host: ${host.address}`,
      `          ansible_port: ${fleet.port}`,
      '          ansible_user: root',
      `          ansible_ssh_private_key_file: ${fleet.keys.ed25519.path}`,
    ]),
    '',
  ].join('\n');
}

/** ssh_config for the same names, for the raw-collection floor (pssh). */
function sshConfigText(fleet: SshFleet): string {
  return [
    'Host big-*',
    `    HostName ${fleet.hosts[0]!.address}`,
    `    Port ${fleet.port}`,
    '    User root',
    `    IdentityFile ${fleet.keys.ed25519.path}`,
    '    IdentitiesOnly yes',
    `    UserKnownHostsFile ${fleet.knownHosts}`,
    '    GlobalKnownHostsFile /dev/null',
    '    StrictHostKeyChecking yes',
    '',
  ].join('\n');
}

/** The formats `scan --format` offers on this build (`<options: table|json|csv>` in its help). */
function availableFormats(env: NodeJS.ProcessEnv): Set<string> {
  const help = spawnSync(process.execPath, [runJs, 'scan', '--help'], { env, encoding: 'utf8' });
  const options = /--format=<option>[\s\S]*?<options: ([^>]+)>/.exec(help.stdout)?.[1] ?? '';
  return new Set(options.split('|').map((o) => o.trim()));
}

/** Is the output what the fleet has: every name once, in inventory order, scanned, with the host's TCP sockets. */
function verdict(check: OutputCheck, tcpPerHost: number): string {
  if (check.problems.length > 0) return `INVALID: ${check.problems[0]}`;
  const seen = [...check.hosts.keys()];
  if (seen.length !== names.length) return `INCOMPLETE: ${seen.length} of ${names.length} hosts`;
  if (seen.some((name, i) => name !== names[i])) return 'INCOMPLETE: hosts out of inventory order or misnamed';
  for (const [name, count] of check.hosts) {
    if (!['ok', 'partial', '-'].includes(count.status)) return `INCOMPLETE: ${name} is ${count.status}`;
    if (count.tcp !== tcpPerHost) return `INCOMPLETE: ${name} has ${count.tcp} TCP sockets, the host ${tcpPerHost}`;
  }
  return 'complete, valid';
}

const kib = (value: number | undefined) => (value === undefined ? '?' : `${(value / MiB).toFixed(0)} MiB`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function describeRun(run: Measured): string {
  if (run.timedOut) return `killed after ${(TIMEOUT_MS / 1000).toFixed(0)} s`;
  const ended = run.signal ? `signal ${run.signal}` : `exit ${run.status}`;
  return run.status === 0 ? ended : `${ended}: ${run.stderrFirstLine}`;
}

const missing = [...sshFleetMissing(), ...(hasCommand('prlimit') ? [] : ['prlimit (util-linux)'])];
(missing.length === 0 ? test : test.skip)(`scanning one ${2 * CONNECTIONS + 1}-socket host named ${NAMES} times`, async () => {
  let fleet: SshFleet | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'fleetstat-scale-'));
  try {
    const startedAt = Date.now();
    fleet = await startSshFleet({ hosts: 1, sockets: () => [{ kind: 'tcp-many', connections: CONNECTIONS }], timeoutMs: 300_000 });
    const fleetSeconds = (Date.now() - startedAt) / 1000;
    const ss = await fleet.runInside(0, ['ss', '-tanH']);
    if (ss.status !== 0) throw new Error(`ss inside the host: ${ss.stderr}`);
    const tcpPerHost = ss.stdout.split('\n').filter((line) => line !== '').length;

    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, USER: 'root', NO_COLOR: '1' };
    const inventory = join(dir, 'inventory.yml');
    writeFileSync(inventory, inventoryText(fleet));
    const formats = availableFormats(env);

    const rows: string[][] = [];
    for (const format of FORMATS) {
      if (!formats.has(format)) {
        rows.push([format, '-', '-', '-', '-', '-', `not available (scan --format offers ${[...formats].join(', ')})`]);
        continue;
      }
      const outputFile = join(dir, `out.${format}`);
      const run = await measureNode(
        [runJs, 'scan', inventory, '--known-hosts', fleet.knownHosts, '--format', format, '-q', '--command-timeout', '600', '--connect-timeout', '120'],
        { outputFile, rssFile: join(dir, `rss.${format}`), env, timeoutMs: TIMEOUT_MS },
      );
      const check = await checkOutput(format, outputFile, new Set(names));
      rows.push([
        format,
        `${run.seconds.toFixed(1)} s`,
        `${kib(run.peakRss)}${run.peakRss !== undefined && run.peakRss > RSS_BUDGET_KIB ? ' (>512)' : ''}`,
        kib(run.gnuTimeRss),
        mib(run.outputBytes),
        String(check.sockets),
        `${describeRun(run)}; ${verdict(check, tcpPerHost)}`,
      ]);
      rmSync(outputFile, { force: true }); // hundreds of MiB each
    }

    const floor = rawCollectionFloor(dir, fleet, env);
    process.stdout.write(
      `\none OpenSSH host with ${tcpPerHost} TCP sockets (ss -tan inside it), named ${NAMES} times: ${tcpPerHost * NAMES} TCP sockets expected` +
        ` (test fleet up in ${fleetSeconds.toFixed(1)} s)\n`,
    );
    printTable(['format', 'wall', 'peak RSS', 'GNU time RSS', 'output', 'sockets', 'result'], rows);
    process.stdout.write(`peak RSS: getrusage ru_maxrss of the fleetstat process at exit (bench/report-rss.mjs); GNU time's: the same process seen by wait4\n`);
    process.stdout.write(`raw-collection floor (${floor})\n\n`);
  } finally {
    await fleet?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** pssh collecting the same script's raw output from the same names: what the bytes alone cost. */
function rawCollectionFloor(dir: string, fleet: SshFleet, env: NodeJS.ProcessEnv): string {
  if (!hasCommand('parallel-ssh')) return 'pssh not installed (apt-get install pssh)';
  const sshConfig = join(dir, 'ssh_config');
  const hostsFile = join(dir, 'hosts');
  writeFileSync(sshConfig, sshConfigText(fleet));
  writeFileSync(hostsFile, names.join('\n') + '\n');
  const started = process.hrtime.bigint();
  const run = spawnSync('parallel-ssh', ['-h', hostsFile, '-p', '64', '-t', '600', '-x', `-F ${sshConfig}`, '-I', '-o', join(dir, 'pssh-out'), 'sh -s'], {
    input: scriptInput(newMarker()), env, encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const outcome = run.status === 0 ? 'all ok' : `exit ${run.status}: ${(run.stdout + run.stderr).split('\n').find((l) => /FAILURE/.test(l)) ?? ''}`;
  rmSync(join(dir, 'pssh-out'), { recursive: true, force: true });
  return `pssh -p 64 -I sh -s, raw output only: ${seconds.toFixed(1)} s, ${outcome}`;
}

if (missing.length > 0) process.stdout.write(`scale bench skipped: needs ${missing.join(', ')}\n`);
