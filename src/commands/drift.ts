// `fleetstat drift INPUT`: each host against its inventory group (an inventory scanned now, a snapshot
// or scan JSON): the
// group's consensus listening set, and each host's deviation from it (missing, extra, different).
// Exit 1 when a host deviates, 0 when none does, 2 on bad input (as diff does), plus scan's 4/8 bits
// when hosts could not be scanned.
import { Flags } from '@oclif/core';
import { FleetstatCommand } from '../cli/command.js';
import { writeStdout } from '../cli/output.js';
import { usageFailure } from '../cli/usage.js';
import type { DriftResult } from '../model/drift.js';
import { DEFAULT_DRIFT_THRESHOLD, DriftBuilder, hasDeviations, isValidThreshold, MINIMUM_GROUP_HOSTS } from '../merge/drift.js';
import { formatDriftCsv } from '../report/drift-csv.js';
import { formatDriftTable } from '../report/drift-table.js';
import { jsonForTerminal } from '../report/escape.js';
import { readHosts, scanInputArg, scanSourceFlags } from '../cli/scan-source.js';
import { withFindingBit } from '../result/exit-code.js';

function parseThreshold(value: string): number {
  const threshold = /^\s*$/.test(value) ? Number.NaN : Number(value);
  if (!isValidThreshold(threshold)) throw usageFailure('drift', `--threshold ${JSON.stringify(value)}: a number at least 0 and below 1 (0.5: more than half the group's hosts)`);
  return threshold;
}

export default class Drift extends FleetstatCommand {
  static override summary = 'Each host against its inventory group: the listeners most of the group has, and who differs.';
  static override description = [
    `For each inventory group, a listener is consensus when more than --threshold of the group's scanned hosts have it (default ${DEFAULT_DRIFT_THRESHOLD}: a strict majority), in the state (bind address, process, user) most of them have it in. Each host is then missing a consensus listener, has an extra one, or has one in a different state. Listeners are compared by identity (namespace, protocol, family, port; a unix socket's path), never pid or inode, so a restarted service is no drift; an address of the host's own is compared by scope, since siblings never share it.`,
    `A host in several groups is judged in each, separately. Hosts that could not be scanned are listed and left out of the majority. A group with fewer than ${MINIMUM_GROUP_HOSTS} scanned hosts is too small to judge. Ansible's all and ungrouped are judged only when named with --group.`,
    'Exit status: 0 no host deviates, 1 some host does, 2 bad command line or input; 4 is added when a host was unreachable or timed out, 8 when one failed otherwise (as scan: 5 = deviations and an unreachable host); 130/143 interrupted.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> drift inventory.yml',
    '<%= config.bin %> drift inventory.yml --limit web --save today.snap.gz',
    '<%= config.bin %> drift today.snap.gz',
    '<%= config.bin %> drift today.snap.gz --group web --group db --threshold 0.7',
    '<%= config.bin %> drift scan.json --format csv > odd-hosts.csv',
  ];
  static override enableJsonFlag = true;
  static override args = {
    input: scanInputArg,
  };
  static override flags = {
    threshold: Flags.string({ description: `a listener is consensus when more than this share of a group's hosts have it (0 to below 1)`, default: String(DEFAULT_DRIFT_THRESHOLD) }),
    group: Flags.string({ description: 'judge only this group (repeatable; `all` and `ungrouped` only when named)', multiple: true }),
    format: Flags.option({ options: ['table', 'json', 'csv'] as const, default: 'table', description: 'output format' })(),
    ...scanSourceFlags,
  };

  async run(): Promise<DriftResult> {
    const { args, flags } = await this.parse(Drift);
    const threshold = parseThreshold(flags.threshold);
    const asked = flags.group ?? [];
    const drift = new DriftBuilder({ threshold, groups: asked });
    // every host goes through onHost alone, as it ends (live) or is read: only its listeners are kept
    const input = await readHosts({ input: args.input, flags, command: 'drift', version: this.config.version, progress: true, onHost: (host) => drift.onHost(host) });
    const result = drift.end({ source: input.source, startedAt: input.startedAt });
    const seen = new Set(result.groups.map((g) => g.name));
    const unknown = asked.filter((g) => !seen.has(g));
    if (unknown.length > 0) throw usageFailure('drift', `--group ${unknown.map((g) => JSON.stringify(g)).join(', ')}: no host of ${args.input} is in ${unknown.length === 1 ? 'it' : 'them'}`);
    process.exitCode = withFindingBit(hasDeviations(result), input.scanExitCode);
    if (!this.jsonEnabled()) writeStdout(flags.format === 'json' ? jsonForTerminal(result) : flags.format === 'csv' ? formatDriftCsv(result) : formatDriftTable(result));
    return result;
  }
}
