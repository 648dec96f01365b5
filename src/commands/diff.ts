// `fleetstat diff OLD NEW`: what changed in what listens, host by host, between two scans (snapshots
// or scan JSON): listeners added, removed, changed (with the value before), hosts that appeared or
// vanished, hosts one scan could not see (never read as "every listener removed"). Exit 1 when there is
// drift, 0 when none, 2 on bad input (as diff(1) does).
import { Args, Flags } from '@oclif/core';
import { FleetstatCommand } from '../cli/command.js';
import { warnOnStderr, writeStdout } from '../cli/output.js';
import type { DiffResult, HostDiff } from '../model/diff.js';
import type { HostScan } from '../model/index.js';
import { diffHost, hasDrift } from '../merge/diff.js';
import { compareNodeNames } from '../merge/matrix.js';
import { bundledServices } from '../merge/services.js';
import { filterHost } from '../result/filter.js';
import { formatDiffCsv } from '../report/diff-csv.js';
import { formatDiffTable } from '../report/diff-table.js';
import { jsonForTerminal } from '../report/escape.js';
import { readSavedScan } from '../scan/saved-scan.js';

const LISTENING = { listeningOnly: true, protocols: [], addressFamilies: [] };

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
    // the old scan's listeners only, by host name (a host's listeners are few, its sockets many)
    const old = new Map<string, HostScan>();
    for await (const host of before.hosts) old.set(host.name, filterHost(host, LISTENING));
    const hosts: HostDiff[] = [];
    const summary: DiffResult['summary'] = { hostsCompared: 0, hostsWithDrift: 0, added: 0, removed: 0, changed: 0, appeared: 0, vanished: 0, notCompared: 0 };
    const count = (d: HostDiff) => {
      if (d.kind === 'compared') summary.hostsCompared += 1;
      if (d.kind === 'appeared') summary.appeared += 1;
      if (d.kind === 'vanished') summary.vanished += 1;
      if (d.kind === 'not-compared') summary.notCompared += 1;
      summary.added += d.added.length;
      summary.removed += d.removed.length;
      summary.changed += d.changed.length;
      if (d.kind === 'compared' && hasDrift(d)) summary.hostsWithDrift += 1;
      if (hasDrift(d) || d.kind === 'not-compared') hosts.push(d);
    };
    for await (const host of after.hosts) {
      // the new scan's hosts are compared as they come and let go: no need to narrow them first
      count(diffHost(host.name, old.get(host.name), host));
      old.delete(host.name);
    }
    for (const [name, host] of old) count(diffHost(name, host, undefined));
    hosts.sort((a, b) => compareNodeNames(a.name, b.name));
    const result: DiffResult = {
      schema: 'fleetstat/diff@1',
      before: { source: before.source, startedAt: before.startedAt },
      after: { source: after.source, startedAt: after.startedAt },
      hosts,
      summary,
    };
    const drift = hosts.some(hasDrift);
    process.exitCode = drift ? 1 : 0;
    if (!this.jsonEnabled()) writeStdout(flags.format === 'json' ? jsonForTerminal(result) : flags.format === 'csv' ? formatDiffCsv(result) : formatDiffTable(result));
    return result;
  }
}
