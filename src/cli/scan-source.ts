// Where the hosts of `scan`, `drift` and `check` come from: an inventory scanned live (over SSH, or sh
// for local hosts), or a snapshot replayed. One function runs either into a ScanJob, with the progress
// bar, Ctrl-C and --save handled the same way for every command; the command decides what the hosts
// become (a table, a matrix, a consensus, findings).
import { constants as bufferLimits } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { Args, Flags } from '@oclif/core';
import type { HostScan, HostSpec, SnapshotHeader } from '../model/index.js';
import { readCommandInput } from './input.js';
import { trapInterrupts, SIGNAL_EXIT } from './interrupts.js';
import { warnOnStderr } from './output.js';
import { CliFailure } from './failure.js';
import { MAX_TIMER_SECONDS } from '../local/timer.js';
import { scanLive, scanReplay, statusCounts, type ScanJob, type ScanTally } from '../scan/scan-job.js';
import { FleetTransports } from '../transport/index.js';
import { defaultPassphraseSource } from '../transport/identity.js';
import type { HostKeyMode } from '../transport/plan.js';
import { OutputBudget } from '../transport/output-budget.js';
import { exitCodeFor } from '../result/exit-code.js';
import { ProgressBar } from '../report/progress-bar.js';
import { failureSummary } from '../report/progress.js';
import { isSnapshotFile, readSnapshot } from '../capture/snapshot-reader.js';
import { openSnapshotWriter } from '../capture/snapshot-writer.js';
import { CAPTURE_FORMAT_VERSION } from '../capture/format.js';
import { inventoryDigest, parseShard, shardHosts } from '../inventory/shard.js';
import { bundledServices } from '../merge/services.js';
import { readSavedScan } from '../scan/saved-scan.js';

/** The INPUT of drift and check: whatever readHosts reads. */
export const scanInputArg = Args.string({
  description: 'an Ansible inventory to scan now (as scan takes it), or a scan taken before: a snapshot (scan --save) or scan JSON (scan --json)',
  required: true,
});

/** The flags that say which hosts to scan and how to reach them: shared by scan, drift and check. */
export const scanSourceFlags = {
  save: Flags.string({ description: 'also save every host\'s raw capture to this snapshot file (gzip), host by host' }),
  limit: Flags.string({ description: 'only these hosts, as Ansible\'s --limit (names, groups, globs, ~regex, !exclude, &intersect, @file)' }),
  shard: Flags.string({ description: 'scan slice K of N (1-based, e.g. 2/3) of the hosts sorted by name; auto: from JOB_COMPLETION_INDEX + FLEETSTAT_SHARD_TOTAL (Kubernetes) or CI_NODE_INDEX/CI_NODE_TOTAL (GitLab)' }),
  'ssh-config': Flags.string({ char: 'F', description: 'OpenSSH client config file instead of ~/.ssh/config (`none`: no config)' }),
  'known-hosts': Flags.string({ description: 'known_hosts file instead of ssh_config\'s UserKnownHostsFile (accept-new writes here)' }),
  'strict-host-keys': Flags.option({
    options: ['yes', 'accept-new'] as const,
    description: 'yes (the default): unknown or changed host keys are refused; accept-new: new hosts are recorded, changed keys still refused',
  })(),
  'insecure-no-host-key-check': Flags.boolean({
    description: 'accept any host key (a man in the middle would go unseen); every output says so',
    default: false,
    exclusive: ['strict-host-keys'],
  }),
  sudo: Flags.boolean({ description: 'run the collection with `sudo -n` on every host (as ansible_become)', default: false }),
  concurrency: Flags.integer({ char: 'j', description: 'hosts scanned at once', default: 64, min: 1 }),
  'connect-timeout': Flags.integer({
    description: `seconds to reach and log in to a host, 1 to ${MAX_TIMER_SECONDS} [default: ssh_config's ConnectTimeout, else 10]`,
    min: 1,
    max: MAX_TIMER_SECONDS,
  }),
  'command-timeout': Flags.integer({
    description: `seconds one host's collection may take once logged in, 1 to ${MAX_TIMER_SECONDS}; the collection also ends itself on the host then`,
    default: 60,
    min: 1,
    max: MAX_TIMER_SECONDS,
  }),
  deadline: Flags.integer({
    description: `seconds the whole scan may take, 1 to ${MAX_TIMER_SECONDS}: hosts still running then are timeouts, hosts not started are not scanned`,
    min: 1,
    max: MAX_TIMER_SECONDS,
  }),
  'max-bytes': Flags.integer({
    description: `cap on one host's collected output (bytes, 1024 to ${bufferLimits.MAX_STRING_LENGTH}); past it the host is "truncated"`,
    default: 64 * 1024 * 1024,
    min: 1024,
    max: bufferLimits.MAX_STRING_LENGTH, // the capture is read as one string
  }),
  'max-in-flight-bytes': Flags.integer({
    description: 'output of all hosts in flight held at once (bytes); past it hosts wait (their SSH window closes) until others are done',
    default: 256 * 1024 * 1024,
    min: 1024 * 1024,
  }),
  quiet: Flags.boolean({ char: 'q', description: 'no progress bar', default: false }),
};

export interface ScanSourceFlagValues {
  save?: string | undefined;
  limit?: string | undefined;
  shard?: string | undefined;
  'ssh-config'?: string | undefined;
  'known-hosts'?: string | undefined;
  'strict-host-keys'?: 'yes' | 'accept-new' | undefined;
  'insecure-no-host-key-check': boolean;
  sudo: boolean;
  concurrency: number;
  'connect-timeout'?: number | undefined;
  'command-timeout': number;
  deadline?: number | undefined;
  'max-bytes': number;
  'max-in-flight-bytes': number;
  quiet: boolean;
}

/** What only a live scan can use: given with a snapshot, they are a usage error. */
const LIVE_ONLY = ['limit', 'shard', 'save', 'ssh-config', 'known-hosts', 'strict-host-keys', 'insecure-no-host-key-check', 'sudo', 'deadline'] as const;

export interface ScanSourceRun {
  /** an inventory (scanned live) or a snapshot (replayed) */
  input: string;
  flags: ScanSourceFlagValues;
  /** where the hosts go; its onHostDone/onAllEnded are called after the progress bar's */
  job: ScanJob;
  /** fleetstat's version, for the snapshot's header */
  version: string;
  /** show the progress bar on stderr (still not with --quiet, nor when stderr is no terminal) */
  progress: boolean;
  /** called once the number of hosts is known, before the first host is done */
  onHostCount?: (count: number) => void;
}

export interface ScanSourceResult {
  tally: ScanTally;
  /** scan's exit status of the scan itself (0/4/8/12, or 130/143 when interrupted) */
  exitCode: number;
  /** the scan was stopped by Ctrl-C or SIGTERM */
  interrupted: boolean;
  replayed: boolean;
  /** the snapshot's or this run's header: the inventory digest, for comparisons */
  inventoryDigest: string | null;
}

/** A snapshot in the inventory's place is replayed, with the flags of a live scan refused. */
export function refuseLiveOnlyFlags(input: string, flags: ScanSourceFlagValues, scanJson = false): void {
  if (!scanJson && !isSnapshotFile(input)) return;
  const given = LIVE_ONLY.filter((name) => flags[name] !== undefined && flags[name] !== false);
  if (given.length > 0) throw new CliFailure('usage', `${input} is ${scanJson ? 'a scan JSON document, read as it was written' : 'a snapshot, scanned as it was saved'}: --${given[0]} applies only to a live scan`);
}

/**
 * Scans the input into the job: every host's row reaches job.output as it ends. Prints the one-line
 * failure summary on stderr; the caller decides the exit status from the result.
 */
export async function runScanSource(run: ScanSourceRun): Promise<ScanSourceResult> {
  const { input, flags } = run;
  refuseLiveOnlyFlags(input, flags);
  let bar: ProgressBar | undefined;
  const interrupts = trapInterrupts(() => bar?.clear());
  const job: ScanJob = {
    ...run.job,
    onHostDone: (scan: HostScan) => {
      bar?.hostDone(scan);
      run.job.onHostDone?.(scan);
    },
    onAllEnded: () => {
      bar?.clear();
      run.job.onAllEnded?.();
    },
  };
  const barFor = (total: number) => {
    run.onHostCount?.(total);
    bar = run.progress && !flags.quiet && process.stderr.isTTY ? new ProgressBar(total) : undefined;
    return bar;
  };
  let tally: ScanTally;
  let digest: string | null;
  const replayed = isSnapshotFile(input);
  try {
    if (replayed) {
      const snapshot = await readSnapshot(input);
      const finishedAt = () => {
        const end = snapshot.end();
        return end.complete ? end.trailer.finishedAt : undefined;
      };
      run.onHostCount?.(snapshot.header.inventory.hosts);
      digest = snapshot.header.inventory.digest;
      tally = await scanReplay({ header: snapshot.header, hosts: snapshot.hosts, finishedAt }, job);
      const end = snapshot.end();
      if (!end.complete) warnOnStderr(`${input}: ${end.reason}: the hosts after the cut are not in it`);
    } else {
      ({ tally, digest } = await scanInventory(input, flags, job, run.version, interrupts.signal, barFor));
    }
  } finally {
    bar?.clear();
    interrupts.release();
  }
  process.stderr.write(`fleetstat: ${failureSummary(tally.hosts)}\n`);
  const stoppedBy = interrupts.received();
  return { tally, exitCode: stoppedBy ? SIGNAL_EXIT[stoppedBy] : exitCodeFor(tally.hosts), interrupted: stoppedBy !== undefined && stoppedBy !== null, replayed, inventoryDigest: digest };
}

async function scanInventory(
  inventory: string,
  flags: ScanSourceFlagValues,
  job: ScanJob,
  version: string,
  stop: AbortSignal,
  progress: (total: number) => ProgressBar | undefined,
): Promise<{ tally: ScanTally; digest: string }> {
  const home = process.env.HOME ?? homedir();
  const input = await readCommandInput({ inventory, limit: flags.limit, sshConfig: flags['ssh-config'], homeDir: home }, warnOnStderr);
  const selected: HostSpec[] = input.hosts.map((h) => (flags.sudo ? { ...h, become: true } : h));
  const shard = flags.shard !== undefined ? parseShard(flags.shard, process.env) : null;
  const hosts = (shard ? shardHosts(selected, shard) : selected.map((spec, index) => ({ index, spec }))).map((host, place) => ({ ...host, place }));

  const hostKeyMode: HostKeyMode | undefined = flags['insecure-no-host-key-check'] ? 'off' : flags['strict-host-keys'];
  if (hostKeyMode === 'off') warnOnStderr('host key checking is OFF (--insecure-no-host-key-check): a man in the middle would go unseen');
  const transports = new FleetTransports({
    sshConfig: input.sshConfig,
    localUser: process.env.USER ?? userInfo().username,
    homeDir: home,
    ...(process.env.SSH_AUTH_SOCK ? { agentSocket: process.env.SSH_AUTH_SOCK } : {}),
    ...(flags['known-hosts'] !== undefined ? { knownHostsFile: flags['known-hosts'] } : {}),
    ...(hostKeyMode !== undefined ? { hostKeyMode } : {}),
    ...(flags['connect-timeout'] !== undefined ? { connectTimeout: flags['connect-timeout'] } : {}),
    passphrase: defaultPassphraseSource(),
    warn: warnOnStderr,
  });
  await transports.prepare(hosts.map((h) => h.spec));
  const startedAt = new Date();
  const deadlineAt = flags.deadline !== undefined ? startedAt.getTime() + flags.deadline * 1000 : undefined;

  const saveTo = flags.save;
  const snapshot = saveTo !== undefined ? failingAs(await openSnapshotWriter(saveTo).catch(savingFailed(saveTo)), savingFailed(saveTo)) : undefined;
  const digest = inventoryDigest(selected);
  const header: SnapshotHeader = {
    record: 'header',
    schema: 'fleetstat/snapshot@1',
    tool: { name: 'fleetstat', version },
    captureFormat: Number(CAPTURE_FORMAT_VERSION),
    startedAt: startedAt.toISOString(),
    inventory: { source: inventory, digest, hosts: selected.length },
    shard,
    options: {
      limit: flags.limit ?? null,
      sudo: flags.sudo,
      hostKeyMode: hostKeyMode ?? null,
      concurrency: flags.concurrency,
      connectTimeout: flags['connect-timeout'] ?? null,
      commandTimeout: flags['command-timeout'],
      deadline: flags.deadline ?? null,
      maxBytes: flags['max-bytes'],
    },
  };
  const bar = progress(hosts.length);
  try {
    await snapshot?.header(header);
    const tally = await scanLive(
      hosts,
      {
        concurrency: flags.concurrency,
        limits: { deadlineMs: flags['command-timeout'] * 1000, maxBytes: flags['max-bytes'] },
        budget: new OutputBudget(flags['max-in-flight-bytes']),
        // only listeners shown, and no snapshot to keep the rest for: the host leaves its connections out
        wanted: { listeningTcpOnly: job.filter.listeningOnly && snapshot === undefined },
        transportFor: transports.transportFor,
        stop,
        ...(deadlineAt !== undefined ? { deadlineAt } : {}),
        ...(bar ? { onHostStart: () => bar.hostStarted() } : {}),
      },
      { ...job, ...(snapshot ? { save: snapshot } : {}) },
      startedAt.toISOString(),
    );
    await snapshot?.trailer({ record: 'trailer', finishedAt: tally.finishedAt, hosts: tally.hosts.length, statuses: statusCounts(tally), interrupted: stop.aborted || (deadlineAt !== undefined && Date.now() >= deadlineAt) });
    return { tally, digest };
  } finally {
    await snapshot?.close();
    await transports.close();
  }
}

/** The same object, but any failure of its methods is the run's failure `as` words it (a write that failed: exit 16). */
export function failingAs<T extends object>(target: T, as: (err: unknown) => Error): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args).catch((err: unknown) => Promise.reject(as(err)));
    },
  });
}

/** A snapshot that cannot be written ends the run (exit 16), naming the file. */
function savingFailed(path: string): (err: unknown) => never {
  return (err) => {
    throw err instanceof CliFailure ? err : new CliFailure('output', `cannot write the snapshot ${path}: ${(err as Error).message}`);
  };
}

/** A scan JSON document (`scan --json`) starts so; an inventory never does. Read from its first bytes only. */
export function isScanJsonFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(512);
    const n = readSync(fd, head, 0, head.length, 0);
    return /^\s*\{\s*"schema"\s*:\s*"fleetstat\/scan@1"/.test(head.subarray(0, n).toString('utf8'));
  } catch {
    // a directory inventory, or a file that cannot be read: the inventory reader says why
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface HostsRun extends Omit<ScanSourceRun, 'job'> {
  /** the command, for error messages */
  command: string;
  /** each host's whole row (unfiltered), one at a time, as it ends or is read */
  onHost: (host: HostScan) => void;
}

export interface HostsRead {
  source: string;
  startedAt: string;
  inventoryDigest: string | null;
  /** what `scan` would exit with for these hosts: 0, 4, 8, 12 (their bits), or 130/143 when interrupted */
  scanExitCode: number;
}

/**
 * The hosts of an inventory (scanned live), a snapshot (replayed) or a scan JSON document, each handed
 * to onHost alone: what drift and check read.
 */
export async function readHosts(run: HostsRun): Promise<HostsRead> {
  const services = bundledServices();
  if (isScanJsonFile(run.input)) {
    refuseLiveOnlyFlags(run.input, run.flags, true);
    const saved = await readSavedScan(run.input, services, run.command);
    const statuses: Array<Pick<HostScan, 'status'>> = [];
    for await (const host of saved.hosts) {
      statuses.push({ status: host.status });
      run.onHost(host);
    }
    return { source: saved.source, startedAt: saved.startedAt, inventoryDigest: null, scanExitCode: exitCodeFor(statuses) };
  }
  const job: ScanJob = {
    services,
    filter: { listeningOnly: false, protocols: [], addressFamilies: [] },
    output: { start: async () => {}, host: async (_index, scan) => run.onHost(scan), end: async () => {} },
  };
  const { tally, exitCode, inventoryDigest } = await runScanSource({ ...run, job });
  return { source: run.input, startedAt: tally.startedAt, inventoryDigest, scanExitCode: exitCode };
}
