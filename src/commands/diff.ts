// `fleetstat diff OLD NEW`: what changed in what listens, host by host, between two scans (snapshots
// or scan JSON): listeners added, removed, changed (with the value before), hosts that appeared or
// vanished, hosts one scan could not see (never read as "every listener removed"). Exit 1 when there is
// drift, 0 when none, 2 on bad input (as diff(1) does).
import { Args, Flags } from '@oclif/core';
import { FleetstatCommand } from '../cli/command.js';
import { warnOnStderr, writeStdout } from '../cli/output.js';
import type { DiffResult } from '../model/diff.js';
import { anyDrift, DiffBuilder } from '../merge/diff.js';
import { bundledServices } from '../merge/services.js';
import { formatDiff } from '../report/baseline-output.js';
import { readSavedScan } from '../scan/saved-scan.js';

export default class Diff extends FleetstatCommand {
  static override summary = 'What changed in what listens, host by host, between two scans (snapshots or scan JSON).';
  static override description = [
    'Listeners are compared by identity: network namespace, protocol, address family and port (a unix socket: its path), never pid or inode, so a restarted service is no change. A listener whose bind address or owner (process name, user) differs is `changed`, with what it was. UDP sockets bound in the host\'s ephemeral port range are clients and are left out; the scan\'s own session never counts.',
    'A host in one scan only has appeared or vanished; a host one scan could not see (unreachable, timeout …) is `not compared`, never "every listener removed".',
    'Exit status: 0 no drift, 1 drift found, 2 bad command line or input.',
  ].join('\n\n');
  static override examples = ['<%= config.bin %> diff monday.snap.gz today.snap.gz', '<%= config.bin %> diff last-week.json now.json --format csv > drift.csv'];
  static override enableJsonFlag = true;
  static override args = {
    old: Args.string({ description: 'the earlier scan: a snapshot (scan --save) or scan JSON (scan --json)', required: true }),
    new: Args.string({ description: 'the later scan, likewise', required: true }),
  };
  static override flags = {
    format: Flags.option({ options: ['table', 'json', 'csv'] as const, default: 'table', description: 'output format' })(),
  };

  async run(): Promise<DiffResult> {
    const { args, flags } = await this.parse(Diff);
    const services = bundledServices();
    const before = await readSavedScan(args.old, services, 'diff');
    const after = await readSavedScan(args.new, services, 'diff');
    if (before.inventoryDigest !== null && after.inventoryDigest !== null && before.inventoryDigest !== after.inventoryDigest) {
      warnOnStderr(`${args.old} and ${args.new} scanned different inventories: hosts in one only are listed as appeared or vanished`);
    }
    const diff = new DiffBuilder();
    for await (const host of before.hosts) diff.before(host);
    // the new scan's hosts are compared as they come and let go
    for await (const host of after.hosts) diff.after(host);
    const result = diff.end({ before: { source: before.source, startedAt: before.startedAt }, after: { source: after.source, startedAt: after.startedAt } });
    const drift = anyDrift(result);
    process.exitCode = drift ? 1 : 0;
    if (!this.jsonEnabled()) writeStdout(formatDiff(result, flags.format));
    return result;
  }
}
