// `fleetstat scan INVENTORY|SNAPSHOT`: every host's sockets, as netstat -tulpn shows one host's, and
// the views across hosts (the port matrix, listeners, hosts: report/views.ts).
// Each host is written to the output (and the snapshot, with --save) as it ends; nothing is held for
// the fleet but a tally of statuses. A snapshot in the inventory's place is replayed: its saved
// captures parsed with today's parsers, printed as the live scan printed them.
import type { Writable } from 'node:stream';
import { Args, Flags } from '@oclif/core';
import { FleetstatCommand } from '../cli/command.js';
import { openOutputFile, warnOnStderr } from '../cli/output.js';
import { CliFailure } from '../cli/failure.js';
import { netstatFlags, selectionFlags, socketFilterFrom } from '../cli/scan-flags.js';
import { failingAs, refuseLiveOnlyFlags, runScanSource, scanSourceFlags } from '../cli/scan-source.js';
import { colorWanted, tableWidth } from '../cli/terminal.js';
import { statusCounts, type ScanJob } from '../scan/scan-job.js';
import { bundledServices } from '../merge/services.js';
import { OUTPUT_FORMATS, type OutputFormat, type ScanOutput } from '../report/index.js';
import { openView, VIEWS } from '../report/views.js';
import { EXTRA_COLUMNS, type ExtraColumn } from '../report/table.js';
import type { MatrixProto } from '../model/matrix.js';
import type { DiffResult } from '../model/diff.js';
import { anyDrift, DiffBuilder } from '../merge/diff.js';
import type { ServiceTable } from '../merge/services.js';
import type { SocketFilter } from '../result/filter.js';
import { withFindingBit } from '../result/exit-code.js';
import { baselineOutput, type DiffFormat } from '../report/baseline-output.js';
import { readSavedScan } from '../scan/saved-scan.js';

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
    '--baseline OLD compares the scan with an earlier one (a snapshot or scan JSON) and prints what changed in what listens, as `fleetstat diff OLD NOW` would, instead of the scan; with --save the new scan becomes the next baseline.',
    'Exit status: 0 all hosts scanned (some perhaps partially), 2 bad command line or input file, 4 a host unreachable or timed out, 8 a host failed otherwise, 12 both, 16 a local problem ended the run (no file descriptors left, output not writable), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 1 a bug; with --baseline, 1 is added when something changed (5: drift and an unreachable host), and a bug says so on stderr. With --json a run that ends early prints a fleetstat/error@1 object.',
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
    '<%= config.bin %> scan inventory.yml --baseline last-week.snap.gz --save today.snap.gz',
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
    ...netstatFlags,
    ...selectionFlags,
    ...scanSourceFlags,
    view: Flags.option({
      options: VIEWS,
      description: 'matrix: which hosts listen on which endpoints, hosts that listen alike in one column (the table\'s default for several hosts); listeners: one row per listening socket per host (as CSV: the audit export); sockets: every socket (the default otherwise); hosts: one row per host (status, time, counts as ss -s)',
    })(),
    baseline: Flags.string({
      description: 'compare with this earlier scan (a snapshot or scan JSON) as `fleetstat diff OLD NOW` does, and print that diff instead of the scan (table, json or csv); exit 1 is added on drift',
      helpValue: 'OLD',
    }),
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
    refuseLiveOnlyFlags(args.inventory, flags);
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
    const services = bundledServices();
    let drift: DiffResult | undefined;
    const baseline = flags.baseline !== undefined ? await this.openBaseline(flags.baseline, filter, flags, services) : undefined;
    const chosen = baseline
      ? () => baselineOutput(baseline.diff, baseline.before, args.inventory, format as DiffFormat, out, (result) => (drift = result))
      : openChosenView;
    const output = failingAs(openedOnFirstUse(chosen), writeFailure);
    const job: ScanJob = {
      services,
      // the listeners view is -l, whatever else was asked
      filter: flags.view === 'listeners' ? { ...filter, listeningOnly: true } : filter,
      output,
    };
    try {
      // not over rows streaming to the same terminal: the table is written at the end, other formats as hosts end
      const progress = format === 'table' || target !== undefined || !process.stdout.isTTY;
      const scanned = await runScanSource({ input: args.inventory, flags, job, version: this.config.version, progress, onHostCount: (n) => (hostCount = n) });
      await target?.commit();
      const { tally } = scanned;
      if (baseline?.digest && scanned.inventoryDigest && baseline.digest !== scanned.inventoryDigest) warnOnStderr(`${flags.baseline} scanned a different inventory: hosts in one only are listed as appeared or vanished`);
      // with --baseline, drift adds 1 to scan's own bits (4 unreachable, 8 failed), as check and drift do
      const exitCode = drift === undefined ? scanned.exitCode : withFindingBit(anyDrift(drift), scanned.exitCode);
      process.exitCode = exitCode;
      return { summary: 'fleetstat/scan-summary', startedAt: tally.startedAt, finishedAt: tally.finishedAt, statuses: statusCounts(tally), exitCode };
    } catch (err) {
      await output.abort().catch(() => {});
      await target?.discard();
      throw err;
    }
  }

  /** The earlier scan's listeners, held by host name; the flags that make no sense for a diff refused. */
  private async openBaseline(path: string, filter: SocketFilter, flags: { format: OutputFormat; view?: string | undefined; 'hosts-as-rows': boolean; 'extra-columns'?: string[] | undefined }, services: ServiceTable) {
    const refuse = (what: string) => new CliFailure('usage', `--baseline prints the diff of every listener (as fleetstat diff): ${what} does not apply`);
    if (flags.format === 'ndjson') throw refuse('--format ndjson');
    if (flags.view !== undefined) throw refuse('--view');
    if (flags['hosts-as-rows'] || (flags['extra-columns'] ?? []).length > 0) throw refuse(flags['hosts-as-rows'] ? '--hosts-as-rows' : '--extra-columns');
    // -l is what a diff compares anyway
    const selected = filter.selection !== undefined && Object.values(filter.selection).some((values: unknown[]) => values.length > 0);
    if (filter.protocols.length > 0 || filter.addressFamilies.length > 0 || selected || filter.sort !== undefined) throw refuse('narrowing the sockets (-t -u -w -x -4 -6 --port --state --process --user --netns --sort)');
    const before = await readSavedScan(path, services, 'scan');
    const diff = new DiffBuilder();
    for await (const host of before.hosts) diff.before(host);
    return { diff, before: { source: before.source, startedAt: before.startedAt }, digest: before.inventoryDigest };
  }
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

function isScanSummary(value: unknown): value is ScanSummary {
  return typeof value === 'object' && value !== null && (value as { summary?: unknown }).summary === 'fleetstat/scan-summary';
}
