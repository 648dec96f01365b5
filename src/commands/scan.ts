// `fleetstat scan INVENTORY`: every host's sockets, as netstat -tulpn shows one host's.
import { constants as bufferLimits } from 'node:buffer';
import { homedir, userInfo } from 'node:os';
import { Args, Flags } from '@oclif/core';
import type { HostScan, ScanResult } from '../model/index.js';
import { FleetstatCommand } from '../cli/command.js';
import { readCommandInput } from '../cli/input.js';
import { warnOnStderr, writeStdout } from '../cli/output.js';
import { netstatFlags, socketFilterFrom } from '../cli/scan-flags.js';
import { colorWanted, tableWidth } from '../cli/terminal.js';
import { MAX_TIMER_SECONDS } from '../local/timer.js';
import { scanLive } from '../scan/scan-job.js';
import { FleetTransports } from '../transport/index.js';
import { defaultPassphraseSource } from '../transport/identity.js';
import type { HostKeyMode } from '../transport/plan.js';
import { bundledServices } from '../merge/services.js';
import { exitCodeFor } from '../result/exit-code.js';
import { formatJson, formats, type ReportFormat } from '../report/index.js';
import { ProgressBar } from '../report/progress-bar.js';
import { failureSummary } from '../report/progress.js';

export default class Scan extends FleetstatCommand {
  static override summary = 'Scan every host of an inventory: what listens and talks, and which process owns it.';
  static override description = [
    'Runs one read-only collection per host (over SSH, or with sh for ansible_connection: local hosts), parses /proc/net and the socket fd links locally, and prints every socket with its process.',
    'Hosts are reached as OpenSSH would reach them: ~/.ssh/config (or -F), ssh-agent (SSH_AUTH_SOCK), identity files, ProxyJump, and known_hosts checked as strictly as StrictHostKeyChecking=yes. An encrypted key asks for its passphrase on a terminal, or takes FLEETSTAT_SSH_PASSPHRASE; nothing ever waits for input without a terminal.',
    'netstat\'s flags work: -l keeps listeners, -t/-u/-w/-x keep those protocols, -4/-6 one address family (`-tulpn`, `-tlnp`, `-4x`). Unlike netstat, every socket is shown unless you narrow the list (-a is the default); -n, -p and -e are always on.',
    'Exit status: 0 all hosts scanned (some perhaps partially), 2 bad command line or input file, 4 a host unreachable or timed out, 8 a host failed otherwise, 12 both, 16 a local problem ended the run (no file descriptors left, output not writable), 1 a bug. With --json a run that ends early prints a fleetstat/error@1 object.',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> scan inventory/local.yml -tulpn',
    '<%= config.bin %> scan hosts.ini --limit \'web:&prod:!web07\' -tl',
    '<%= config.bin %> scan inventory.yml --format csv > sockets.csv',
    '<%= config.bin %> scan inventory.yml --json | jq \'.hosts[].sockets[] | select(.direction == "listen")\'',
  ];

  static override enableJsonFlag = true;

  static override args = {
    inventory: Args.string({ description: 'Ansible inventory: a file (YAML, INI, the JSON of ansible-inventory --list) or a directory of them, or a YAML list of hosts', required: true }),
  };

  static override flags = {
    format: Flags.option({ options: ['table', 'json', 'csv'] as const, default: 'table', description: 'output format' })(),
    limit: Flags.string({ description: 'only these hosts, as Ansible\'s --limit (names, groups, globs, ~regex, !exclude, &intersect, @file)' }),
    ...netstatFlags,
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
      description: `seconds one host's collection may take once logged in, 1 to ${MAX_TIMER_SECONDS}`,
      default: 60,
      min: 1,
      max: MAX_TIMER_SECONDS,
    }),
    'max-bytes': Flags.integer({
      description: `cap on one host's collected output (bytes, 1024 to ${bufferLimits.MAX_STRING_LENGTH}); past it the host is "truncated"`,
      default: 64 * 1024 * 1024,
      min: 1024,
      max: bufferLimits.MAX_STRING_LENGTH, // the capture is read as one string
    }),
    quiet: Flags.boolean({ char: 'q', description: 'no progress bar', default: false }),
  };

  /** `--json` prints exactly what `--format json` prints (the contract's field order and escaping). */
  protected override logJson(json: unknown): void {
    if (isScanResult(json)) writeStdout(formatJson(json));
    else super.logJson(json);
  }

  async run(): Promise<ScanResult> {
    const { args, flags } = await this.parse(Scan);
    const home = process.env.HOME ?? homedir();
    const input = await readCommandInput({ inventory: args.inventory, limit: flags.limit, sshConfig: flags['ssh-config'], homeDir: home }, warnOnStderr);
    const { sshConfig } = input;
    const hosts = input.hosts.map((h) => (flags.sudo ? { ...h, become: true } : h));

    const hostKeyMode: HostKeyMode | undefined = flags['insecure-no-host-key-check'] ? 'off' : flags['strict-host-keys'];
    if (hostKeyMode === 'off') warnOnStderr('host key checking is OFF (--insecure-no-host-key-check): a man in the middle would go unseen');
    const transports = new FleetTransports({
      sshConfig,
      localUser: process.env.USER ?? userInfo().username,
      homeDir: home,
      ...(process.env.SSH_AUTH_SOCK ? { agentSocket: process.env.SSH_AUTH_SOCK } : {}),
      ...(flags['known-hosts'] !== undefined ? { knownHostsFile: flags['known-hosts'] } : {}),
      ...(hostKeyMode !== undefined ? { hostKeyMode } : {}),
      ...(flags['connect-timeout'] !== undefined ? { connectTimeout: flags['connect-timeout'] } : {}),
      passphrase: defaultPassphraseSource(),
      warn: warnOnStderr,
    });

    await transports.prepare(hosts);
    const bar = !flags.quiet && process.stderr.isTTY ? new ProgressBar(hosts.length) : undefined;
    // interim: rows gathered in order, then rendered whole (the streaming outputs replace this)
    const rows: HostScan[] = [];
    let tally;
    try {
      tally = await scanLive(
        hosts.map((spec, index) => ({ index, spec })),
        {
          concurrency: flags.concurrency,
          limits: { deadlineMs: flags['command-timeout'] * 1000, maxBytes: flags['max-bytes'] },
          transportFor: transports.transportFor,
          ...(bar ? { onHostStart: () => bar.hostStarted() } : {}),
        },
        {
          services: bundledServices(),
          filter: socketFilterFrom(flags),
          output: { start: async () => {}, host: async (index, scan) => void (rows[index] = scan), end: async () => {} },
          ...(bar ? { onHostDone: (scan) => bar.hostDone(scan) } : {}),
        },
      );
    } finally {
      bar?.clear();
      await transports.close();
    }
    process.stderr.write(`fleetstat: ${failureSummary(tally.hosts)}\n`);

    const result: ScanResult = { schema: 'fleetstat/scan@1', startedAt: tally.startedAt, finishedAt: tally.finishedAt, hosts: rows };
    if (!this.jsonEnabled()) {
      const format = flags.format as ReportFormat;
      const width = tableWidth(process.stdout, process.env, flags.wide);
      writeStdout(formats[format](result, { color: colorWanted(flags.color, process.stdout, process.env), ...(width !== undefined ? { width } : {}) }));
    }
    process.exitCode = exitCodeFor(result.hosts);
    return result;
  }
}

function isScanResult(value: unknown): value is ScanResult {
  return typeof value === 'object' && value !== null && (value as { schema?: unknown }).schema === 'fleetstat/scan@1';
}
