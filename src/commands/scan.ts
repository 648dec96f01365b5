// `fleetstat scan INVENTORY`: every host's sockets, as netstat -tulpn shows one host's.
import { Args, Command, Flags } from '@oclif/core';
import type { ScanResult } from '../model/index.js';
import { InventoryError } from '../inventory/parse.js';
import { loadInventory } from '../inventory/load.js';
import { scanFleet } from '../collect/fleet.js';
import { transportFor } from '../transport/index.js';
import { bundledServices } from '../merge/services.js';
import { filterScan, type SocketFilter } from '../merge/filter.js';
import { EXIT, exitCodeFor } from '../merge/exit-code.js';
import { formatJson, formats, type ReportFormat } from '../report/index.js';

export default class Scan extends Command {
  static override summary = 'Scan every host of an inventory: what listens and talks, and which process owns it.';
  static override description = [
    'Runs one read-only collection per host (over SSH, or with sh for ansible_connection: local hosts), parses /proc/net and the socket fd links locally, and prints every socket with its process.',
    'Unlike netstat, every socket is shown unless you narrow the list: -l keeps listeners only, -t/-u/-w/-x keep those protocols. -a is accepted for netstat habits (it is the default).',
    'Exit status: 0 all hosts scanned (some perhaps partially), 2 bad command line or inventory, 4 a host unreachable or timed out, 8 a host failed otherwise, 12 both.',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> scan inventory/local.yml',
    '<%= config.bin %> scan inventory/local.yml -tl',
    '<%= config.bin %> scan inventory/local.yml --format csv > sockets.csv',
    '<%= config.bin %> scan inventory/local.yml --json | jq \'.hosts[].sockets[] | select(.direction == "listen")\'',
  ];

  static override enableJsonFlag = true;

  static override args = {
    inventory: Args.string({ description: 'Ansible inventory file (YAML)', required: true }),
  };

  static override flags = {
    format: Flags.option({ options: ['table', 'json', 'csv'] as const, default: 'table', description: 'output format' })(),
    listening: Flags.boolean({ char: 'l', description: 'only listening sockets', default: false }),
    all: Flags.boolean({ char: 'a', description: 'all sockets, listening and not (the default)', default: false }),
    tcp: Flags.boolean({ char: 't', description: 'TCP sockets', default: false }),
    udp: Flags.boolean({ char: 'u', description: 'UDP sockets', default: false }),
    raw: Flags.boolean({ char: 'w', description: 'raw sockets', default: false }),
    unix: Flags.boolean({ char: 'x', description: 'unix domain sockets', default: false }),
    concurrency: Flags.integer({ char: 'j', description: 'hosts scanned at once', default: 64, min: 1 }),
    'command-timeout': Flags.integer({ description: 'seconds one host\'s collection may take', default: 60, min: 1 }),
    'max-bytes': Flags.integer({ description: 'cap on one host\'s collected output (bytes); past it the host is "truncated"', default: 64 * 1024 * 1024, min: 1024 }),
  };

  /** `--json` prints exactly what `--format json` prints (the contract's field order and escaping). */
  protected override logJson(json: unknown): void {
    if (isScanResult(json)) process.stdout.write(formatJson(json));
    else super.logJson(json);
  }

  async run(): Promise<ScanResult> {
    const { args, flags } = await this.parse(Scan);
    let hosts;
    try {
      hosts = loadInventory(args.inventory);
    } catch (err) {
      if (!(err instanceof InventoryError)) throw err;
      // one plain line (oclif's error() wraps long messages over several lines)
      process.stderr.write(`fleetstat: ${err.message}\n`);
      return this.exit(EXIT.usage);
    }

    const scanned = await scanFleet(hosts, {
      concurrency: flags.concurrency,
      limits: { deadlineMs: flags['command-timeout'] * 1000, maxBytes: flags['max-bytes'] },
      services: bundledServices(),
      transportFor,
    });
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
