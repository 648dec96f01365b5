// `fleetstat scan INVENTORY`: every host's sockets, as netstat -tulpn shows one host's.
import { homedir, userInfo } from 'node:os';
import { Args, Command, Flags } from '@oclif/core';
import type { ScanResult } from '../model/index.js';
import { readInputOrExit, warnOnStderr } from '../cli/input.js';
import { scanFleet } from '../scan/fleet.js';
import { FleetTransports } from '../transport/index.js';
import { defaultPassphraseSource } from '../transport/identity.js';
import type { HostKeyMode } from '../transport/plan.js';
import { bundledServices } from '../merge/services.js';
import { filterScan, type SocketFilter } from '../result/filter.js';
import { exitCodeFor } from '../result/exit-code.js';
import { formatJson, formats, type ReportFormat } from '../report/index.js';
import { ProgressBar } from '../report/progress-bar.js';
import { failureSummary } from '../report/progress.js';

export default class Scan extends Command {
  static override summary = 'Scan every host of an inventory: what listens and talks, and which process owns it.';
  static override description = [
    'Runs one read-only collection per host (over SSH, or with sh for ansible_connection: local hosts), parses /proc/net and the socket fd links locally, and prints every socket with its process.',
    'Hosts are reached as OpenSSH would reach them: ~/.ssh/config (or -F), ssh-agent (SSH_AUTH_SOCK), identity files, ProxyJump, and known_hosts checked as strictly as StrictHostKeyChecking=yes. An encrypted key asks for its passphrase on a terminal, or takes FLEETSTAT_SSH_PASSPHRASE; nothing ever waits for input without a terminal.',
    'Unlike netstat, every socket is shown unless you narrow the list: -l keeps listeners only, -t/-u/-w/-x keep those protocols. -a is accepted for netstat habits (it is the default).',
    'Exit status: 0 all hosts scanned (some perhaps partially), 2 bad command line or inventory, 4 a host unreachable or timed out, 8 a host failed otherwise, 12 both.',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> scan inventory/local.yml',
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
    listening: Flags.boolean({ char: 'l', description: 'only listening sockets', default: false }),
    all: Flags.boolean({ char: 'a', description: 'all sockets, listening and not (the default)', default: false }),
    tcp: Flags.boolean({ char: 't', description: 'TCP sockets', default: false }),
    udp: Flags.boolean({ char: 'u', description: 'UDP sockets', default: false }),
    raw: Flags.boolean({ char: 'w', description: 'raw sockets', default: false }),
    unix: Flags.boolean({ char: 'x', description: 'unix domain sockets', default: false }),
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
    'connect-timeout': Flags.integer({ description: 'seconds to reach and log in to a host [default: ssh_config\'s ConnectTimeout, else 10]', min: 1 }),
    'command-timeout': Flags.integer({ description: 'seconds one host\'s collection may take once logged in', default: 60, min: 1 }),
    'max-bytes': Flags.integer({ description: 'cap on one host\'s collected output (bytes); past it the host is "truncated"', default: 64 * 1024 * 1024, min: 1024 }),
    quiet: Flags.boolean({ char: 'q', description: 'no progress bar', default: false }),
  };

  /** `--json` prints exactly what `--format json` prints (the contract's field order and escaping). */
  protected override logJson(json: unknown): void {
    if (isScanResult(json)) process.stdout.write(formatJson(json));
    else super.logJson(json);
  }

  async run(): Promise<ScanResult> {
    const { args, flags } = await this.parse(Scan);
    const home = process.env.HOME ?? homedir();
    const input = await readInputOrExit(this, { inventory: args.inventory, limit: flags.limit, sshConfig: flags['ssh-config'], homeDir: home }, warnOnStderr);
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
    let scanned: ScanResult;
    try {
      scanned = await scanFleet(hosts, {
        concurrency: flags.concurrency,
        limits: { deadlineMs: flags['command-timeout'] * 1000, maxBytes: flags['max-bytes'] },
        services: bundledServices(),
        transportFor: transports.transportFor,
        ...(bar ? { onHostStart: () => bar.hostStarted(), onHostDone: (scan) => bar.hostDone(scan) } : {}),
      });
    } finally {
      bar?.clear();
      await transports.close();
    }
    process.stderr.write(`fleetstat: ${failureSummary(scanned.hosts)}\n`);

    const filter: SocketFilter = {
      listeningOnly: flags.listening && !flags.all,
      families: [
        ...(flags.tcp ? (['tcp'] as const) : []),
        ...(flags.udp ? (['udp'] as const) : []),
        ...(flags.raw ? (['raw'] as const) : []),
        ...(flags.unix ? (['unix'] as const) : []),
      ],
    };
    const result = filterScan(scanned, filter);

    if (!this.jsonEnabled()) {
      const format = flags.format as ReportFormat;
      process.stdout.write(formats[format](result, { color: format === 'table' && process.stdout.isTTY === true }));
    }
    process.exitCode = exitCodeFor(result.hosts);
    return result;
  }
}

function isScanResult(value: unknown): value is ScanResult {
  return typeof value === 'object' && value !== null && (value as { schema?: unknown }).schema === 'fleetstat/scan@1';
}
