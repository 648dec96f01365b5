// `fleetstat scan INVENTORY|SNAPSHOT`: every host's sockets, as netstat -tulpn shows one host's, and
// the views across hosts (the port matrix, listeners, hosts: report/views.ts).
// Each host is written to the output (and the snapshot, with --save) as it ends; nothing is held for
// the fleet but a tally of statuses. A snapshot in the inventory's place is replayed: its saved
// captures parsed with today's parsers, printed as the live scan printed them.
import { constants as bufferLimits } from 'node:buffer';
import { homedir, userInfo } from 'node:os';
import type { Writable } from 'node:stream';
import { Args, Flags, type Interfaces } from '@oclif/core';
import type { HostSpec, SnapshotHeader } from '../model/index.js';
import { FleetstatCommand } from '../cli/command.js';
import { readCommandInput } from '../cli/input.js';
import { trapInterrupts, SIGNAL_EXIT } from '../cli/interrupts.js';
import { openOutputFile, warnOnStderr } from '../cli/output.js';
import { CliFailure } from '../cli/failure.js';
import { netstatFlags, selectionFlags, socketFilterFrom } from '../cli/scan-flags.js';
import { colorWanted, tableWidth } from '../cli/terminal.js';
import { MAX_TIMER_SECONDS } from '../local/timer.js';
import { scanLive, scanReplay, statusCounts, type ScanJob, type ScanTally } from '../scan/scan-job.js';
import { FleetTransports } from '../transport/index.js';
import { defaultPassphraseSource } from '../transport/identity.js';
import type { HostKeyMode } from '../transport/plan.js';
import { bundledServices } from '../merge/services.js';
import { OutputBudget } from '../transport/output-budget.js';
import { exitCodeFor } from '../result/exit-code.js';
import { OUTPUT_FORMATS, type OutputFormat, type ScanOutput } from '../report/index.js';
import { openView, VIEWS } from '../report/views.js';
import { EXTRA_COLUMNS, type ExtraColumn } from '../report/table.js';
import type { MatrixProto } from '../model/matrix.js';
import { ProgressBar } from '../report/progress-bar.js';
import { failureSummary } from '../report/progress.js';
import { isSnapshotFile, readSnapshot } from '../capture/snapshot-reader.js';
import { openSnapshotWriter } from '../capture/snapshot-writer.js';
import { CAPTURE_FORMAT_VERSION } from '../capture/format.js';
import { inventoryDigest, parseShard, shardHosts } from '../inventory/shard.js';

/** What `scan --json` returns once its document is written: the tally, never the fleet's rows. */
export interface ScanSummary {
  summary: 'fleetstat/scan-summary';
  startedAt: string;
  finishedAt: string;
  statuses: Record<string, number>;
  exitCode: number;
}

/** The protocols the matrix shows: those -t/-u/-w/-x ask for, else TCP and UDP (as `ss -tuln`). */
function matrixProtos(flags: { tcp: boolean; udp: boolean; raw: boolean; unix: boolean }): Set<MatrixProto> {
  const asked = (['tcp', 'udp', 'raw', 'unix'] as const).filter((p) => flags[p]);
  return new Set(asked.length > 0 ? asked : ['tcp', 'udp']);
}

const LIVE_ONLY = ['limit', 'shard', 'save', 'ssh-config', 'known-hosts', 'strict-host-keys', 'insecure-no-host-key-check', 'sudo', 'deadline'] as const;

export default class Scan extends FleetstatCommand {
  static override summary = 'Scan every host of an inventory: what listens and talks, and which process owns it.';
  static override description = [
    'Runs one read-only collection per host (over SSH, or with sh for ansible_connection: local hosts), parses /proc/net and the socket fd links locally, and prints every socket with its process. Each host is written as it ends, in the inventory\'s order.',
    'Hosts are reached as OpenSSH would reach them: ~/.ssh/config (or -F), ssh-agent (SSH_AUTH_SOCK), identity files, ProxyJump, and known_hosts checked as strictly as StrictHostKeyChecking=yes. An encrypted key asks for its passphrase on a terminal, or takes FLEETSTAT_SSH_PASSPHRASE; nothing ever waits for input without a terminal.',
    'With several hosts the table is the port matrix (--view matrix): one row per listening endpoint, one column per set of hosts that listen alike, folded as `nodeset -f` folds names (web[01-03,05]); the host unlike its siblings is a column of its own. --view listeners (as CSV: the audit export), sockets (every socket; the default for one host and for JSON, NDJSON and CSV) and hosts (one line per host) give the other views.',
    'netstat\'s flags work: -l keeps listeners, -t/-u/-w/-x keep those protocols, -4/-6 one address family (`-tulpn`, `-tlnp`, `-4x`). Unlike netstat, every socket is shown unless you narrow the list (-a is the default); -n, -p and -e are always on.',
    '--port, --state, --process, --user and --netns narrow the list further: the values of one flag are OR\'ed, different flags AND\'ed (with netstat\'s flags too). A port matches the local or the remote end, as ss\'s sport/dport. --sort orders each host\'s sockets (never the hosts: they keep the inventory\'s order). Every output sees the narrowed list; --save keeps every socket.',
    '--save FILE keeps every host\'s raw capture in a snapshot (fleetstat/snapshot@1, gzip), written as each host ends. A snapshot given in the inventory\'s place is scanned again without contacting anyone: its captures are parsed by this fleetstat, and printed as the live scan printed them. --shard K/N scans one slice of the inventory; `fleetstat merge` joins the shards\' snapshots.',
    'Ctrl-C (or SIGTERM) stops the scan: no more hosts start, the hosts in flight end as interrupted, every finished host is written (and saved); a second Ctrl-C quits at once.',
    'Exit status: 0 all hosts scanned (some perhaps partially), 2 bad command line or input file, 4 a host unreachable or timed out, 8 a host failed otherwise, 12 both, 16 a local problem ended the run (no file descriptors left, output not writable), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 1 a bug. With --json a run that ends early prints a fleetstat/error@1 object.',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> scan inventory/local.yml -tulpn',
    '<%= config.bin %> scan hosts.ini --limit \'web:&prod:!web07\' -tl',
    '<%= config.bin %> scan inventory.yml -t --state established --port 5432 --sort remote',
    '<%= config.bin %> scan inventory.yml -l --process java --process \'python*\' --user \'www-*\' --sort port',
    '<%= config.bin %> scan inventory.yml --format csv -o sockets.csv',
    '<%= config.bin %> scan inventory.yml --view listeners --format csv -o listeners.csv',
    '<%= config.bin %> scan fixtures/demo/fleet.snap.gz --port 5432',
    '<%= config.bin %> scan inventory.yml --json | jq \'.hosts[].sockets[] | select(.direction == "listen")\'',
    '<%= config.bin %> scan inventory.yml --save monday.snap.gz -q -o /dev/null && <%= config.bin %> scan monday.snap.gz -tl',
    '<%= config.bin %> scan inventory.yml --shard 2/3 --save shard2.snap.gz',
  ];

  static override enableJsonFlag = true;

  static override args = {
    inventory: Args.string({
      description: 'Ansible inventory: a file (YAML, INI, the JSON of ansible-inventory --list) or a directory of them, or a YAML list of hosts; or a snapshot (scan --save) to scan again',
      required: true,
    }),
  };

  static override flags = {
    format: Flags.option({ options: OUTPUT_FORMATS, default: 'table', description: 'output format (ndjson: one socket a line, with its host\'s fields)' })(),
    output: Flags.string({ char: 'o', description: 'write the output to this file (replaced only once it is complete) instead of stdout' }),
    save: Flags.string({ description: 'also save every host\'s raw capture to this snapshot file (gzip), host by host' }),
    limit: Flags.string({ description: 'only these hosts, as Ansible\'s --limit (names, groups, globs, ~regex, !exclude, &intersect, @file)' }),
    shard: Flags.string({ description: 'scan slice K of N (1-based, e.g. 2/3) of the hosts sorted by name; auto: from JOB_COMPLETION_INDEX + FLEETSTAT_SHARD_TOTAL (Kubernetes) or CI_NODE_INDEX/CI_NODE_TOTAL (GitLab)' }),
    ...netstatFlags,
    ...selectionFlags,
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
    view: Flags.option({
      options: VIEWS,
      description: 'matrix: which hosts listen on which endpoints, hosts that listen alike in one column (the table\'s default for several hosts); listeners: one row per listening socket per host (as CSV: the audit export); sockets: every socket (the default otherwise); hosts: one row per host (status, time, counts as ss -s)',
    })(),
    'hosts-as-rows': Flags.boolean({ description: 'matrix: one row per set of hosts, one column per endpoint', default: false }),
    'extra-columns': Flags.string({
      multiple: true,
      delimiter: ',',
      options: [...EXTRA_COLUMNS],
      description: 'the socket table: also these columns for Internet sockets (service: the port\'s well-known name; direction: listen, inbound, outbound, unknown)',
    }),
  };

  /** The document was streamed as it was made: the returned summary is not printed again. */
  protected override logJson(json: unknown): void {
    if (!isScanSummary(json)) super.logJson(json);
  }

  async run(): Promise<ScanSummary> {
    const { args, flags } = await this.parse(Scan);
    // a bad filter value is a bad command line: refused before any file is opened
    const filter = socketFilterFrom(flags);
    const replaying = isSnapshotFile(args.inventory);
    if (replaying) {
      const given = LIVE_ONLY.filter((name) => flags[name] !== undefined && flags[name] !== false);
      if (given.length > 0) throw new CliFailure('usage', `${args.inventory} is a snapshot, scanned as it was saved: --${given[0]} applies only to a live scan`);
    }
    const format: OutputFormat = this.jsonEnabled() ? 'json' : flags.format;
    const target = flags.output !== undefined ? await openOutputFile(flags.output) : undefined;
    const out: Writable = target?.stream ?? process.stdout;
    const width = target ? undefined : tableWidth(process.stdout, process.env, flags.wide);
    const color = target ? false : colorWanted(flags.color, process.stdout, process.env);
    const writeFailure = (err: unknown) => (target ? target.failure(err) : err instanceof CliFailure ? err : new CliFailure('output', `cannot write the output: ${(err as Error).message}`));
    // the view is chosen once the number of hosts is known (the matrix is the table's default for several)
    let hostCount = 1;
    const openChosenView = (): ScanOutput => {
      const view = flags.view ?? (format === 'table' && hostCount > 1 ? 'matrix' : 'sockets');
      const extraColumns = (flags['extra-columns'] ?? []) as ExtraColumn[];
      return openView(view, format, out, { color, protos: matrixProtos(flags), hostsAsRows: flags['hosts-as-rows'], extraColumns, ...(width !== undefined ? { width } : {}) });
    };
    const output = failingAs(openedOnFirstUse(openChosenView), writeFailure);

    let bar: ProgressBar | undefined;
    // not over rows streaming to the same terminal: the table is written at the end, other formats as hosts end
    const barWanted = !flags.quiet && process.stderr.isTTY && (format === 'table' || target !== undefined || !process.stdout.isTTY);
    const interrupts = trapInterrupts(() => bar?.clear());
    const job: ScanJob = {
      services: bundledServices(),
      // the listeners view is -l, whatever else was asked
      filter: flags.view === 'listeners' ? { ...filter, listeningOnly: true } : filter,
      output,
      onHostDone: (scan) => bar?.hostDone(scan),
      // the table is written once every host is in: the bar goes first
      onAllEnded: () => bar?.clear(),
    };
    let tally: ScanTally;
    try {
      if (replaying) {
        const snapshot = await readSnapshot(args.inventory);
        const finishedAt = () => {
          const end = snapshot.end();
          return end.complete ? end.trailer.finishedAt : undefined;
        };
        hostCount = snapshot.header.inventory.hosts;
        tally = await scanReplay({ header: snapshot.header, hosts: snapshot.hosts, finishedAt }, job);
        const end = snapshot.end();
        if (!end.complete) warnOnStderr(`${args.inventory}: ${end.reason}: the hosts after the cut are not in it`);
      } else {
        tally = await this.scanInventory(args.inventory, flags, job, interrupts.signal, (total) => {
          hostCount = total;
          return (bar = barWanted ? new ProgressBar(total) : undefined);
        });
      }
      await target?.commit();
    } catch (err) {
      await output.abort().catch(() => {});
      await target?.discard();
      throw err;
    } finally {
      bar?.clear();
      interrupts.release();
    }
    process.stderr.write(`fleetstat: ${failureSummary(tally.hosts)}\n`);
    const stoppedBy = interrupts.received();
    const exitCode = stoppedBy ? SIGNAL_EXIT[stoppedBy] : exitCodeFor(tally.hosts);
    process.exitCode = exitCode;
    return { summary: 'fleetstat/scan-summary', startedAt: tally.startedAt, finishedAt: tally.finishedAt, statuses: statusCounts(tally), exitCode };
  }

  private async scanInventory(
    inventory: string,
    flags: Interfaces.InferredFlags<typeof Scan.flags>,
    job: ScanJob,
    stop: AbortSignal,
    progress: (total: number) => ProgressBar | undefined,
  ): Promise<ScanTally> {
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
    const header: SnapshotHeader = {
      record: 'header',
      schema: 'fleetstat/snapshot@1',
      tool: { name: 'fleetstat', version: this.config.version },
      captureFormat: Number(CAPTURE_FORMAT_VERSION),
      startedAt: startedAt.toISOString(),
      inventory: { source: inventory, digest: inventoryDigest(selected), hosts: selected.length },
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
          transportFor: transports.transportFor,
          stop,
          ...(deadlineAt !== undefined ? { deadlineAt } : {}),
          ...(bar ? { onHostStart: () => bar.hostStarted() } : {}),
        },
        { ...job, ...(snapshot ? { save: snapshot } : {}) },
        startedAt.toISOString(),
      );
      await snapshot?.trailer({ record: 'trailer', finishedAt: tally.finishedAt, hosts: tally.hosts.length, statuses: statusCounts(tally), interrupted: stop.aborted || (deadlineAt !== undefined && Date.now() >= deadlineAt) });
      return tally;
    } finally {
      await snapshot?.close();
      await transports.close();
    }
  }
}

/** The same object, but any failure of its methods is the run's failure `as` words it (a write that failed: exit 16). */
function failingAs<T extends object>(target: T, as: (err: unknown) => Error): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args).catch((err: unknown) => Promise.reject(as(err)));
    },
  });
}

/** An output opened by its first call (start, host or end); abort before that has nothing to undo. */
function openedOnFirstUse(open: () => ScanOutput): ScanOutput {
  let opened: ScanOutput | undefined;
  const output = () => (opened ??= open());
  return {
    start: (info) => output().start(info),
    host: (index, scan) => output().host(index, scan),
    end: (info) => output().end(info),
    abort: async () => {
      await opened?.abort();
    },
  };
}

/** A snapshot that cannot be written ends the run (exit 16), naming the file. */
function savingFailed(path: string): (err: unknown) => never {
  return (err) => {
    throw err instanceof CliFailure ? err : new CliFailure('output', `cannot write the snapshot ${path}: ${(err as Error).message}`);
  };
}

function isScanSummary(value: unknown): value is ScanSummary {
  return typeof value === 'object' && value !== null && (value as { summary?: unknown }).summary === 'fleetstat/scan-summary';
}
