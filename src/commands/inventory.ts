// `fleetstat inventory INVENTORY`: the hosts a scan would contact, resolved as it would resolve them.
import { homedir, userInfo } from 'node:os';
import { Args, Flags } from '@oclif/core';
import { FleetstatCommand } from '../cli/command.js';
import { readCommandInput } from '../cli/input.js';
import { warnOnStderr, writeStdout } from '../cli/output.js';
import { sshConfigLookup } from '../transport/index.js';
import { planConnection, type ConnectionPlan } from '../transport/plan.js';
import { escapeForTerminal } from '../report/escape.js';
import type { HostSpec } from '../model/index.js';
import { CliFailure } from '../cli/failure.js';
import { isSnapshotFile, readSnapshot } from '../capture/snapshot-reader.js';

export interface ResolvedHost {
  name: string;
  connection: HostSpec['connection'];
  /** where the connection goes after ssh_config (HostName) */
  address: string;
  port: number;
  user: string;
  groups: string[];
  become: boolean;
  /** ProxyJump hops, first to last, as user@host:port */
  jump: string[];
  /** why a scan would not contact it */
  errors: string[];
}

export default class Inventory extends FleetstatCommand {
  static override summary = 'List the hosts of an inventory as a scan would reach them (after --limit and ssh_config).';
  static override examples = ['<%= config.bin %> inventory hosts.ini --limit web', '<%= config.bin %> inventory inventory.yml --json | jq -r \'.[].name\''];
  static override enableJsonFlag = true;
  static override args = {
    inventory: Args.string({ description: 'Ansible inventory: a file (YAML, INI, the JSON of ansible-inventory --list) or a directory of them, or a YAML list of hosts; or a snapshot (scan --save): the hosts it holds', required: true }),
  };
  static override flags = {
    limit: Flags.string({ description: 'only these hosts, as Ansible\'s --limit' }),
    'ssh-config': Flags.string({ char: 'F', description: 'OpenSSH client config file instead of ~/.ssh/config' }),
  };

  async run(): Promise<ResolvedHost[]> {
    const { args, flags } = await this.parse(Inventory);
    const home = process.env.HOME ?? homedir();
    const local = { localUser: process.env.USER ?? userInfo().username, homeDir: home };
    if (isSnapshotFile(args.inventory)) {
      if (flags.limit !== undefined) throw new CliFailure('usage', `${args.inventory} is a snapshot, listed as it was saved: --limit applies only to an inventory`);
      const hosts = await savedHosts(args.inventory);
      if (!this.jsonEnabled()) writeStdout(table(hosts));
      return hosts;
    }
    const input = await readCommandInput({ inventory: args.inventory, limit: flags.limit, sshConfig: flags['ssh-config'], homeDir: home }, warnOnStderr);

    const lookup = sshConfigLookup(input.sshConfig, local);
    const hosts = input.hosts.map((spec): ResolvedHost => {
      const base = { name: spec.name, connection: spec.connection, groups: spec.groups, become: spec.become };
      if (spec.notContactedBecause !== undefined) {
        return { ...base, address: spec.address, port: spec.port ?? 22, user: spec.user ?? local.localUser, jump: [], errors: [spec.notContactedBecause] };
      }
      if (spec.connection === 'local') return { ...base, address: 'localhost', port: 0, user: local.localUser, jump: [], errors: [] };
      const plan = planConnection(spec, lookup, local);
      return { ...base, address: plan.host, port: plan.port, user: plan.user, jump: hops(plan.via), errors: plan.errors };
    });
    if (!this.jsonEnabled()) writeStdout(table(hosts));
    return hosts;
  }
}

/** The hosts a snapshot holds, in the inventory's order, as they were reached when it was saved. */
async function savedHosts(path: string): Promise<ResolvedHost[]> {
  const snapshot = await readSnapshot(path);
  const hosts: Array<{ index: number; host: ResolvedHost }> = [];
  for await (const record of snapshot.hosts) {
    const { spec, outcome } = record;
    hosts.push({
      index: record.index,
      host: {
        name: spec.name, connection: spec.connection, groups: spec.groups, become: spec.become,
        address: spec.connection === 'local' ? 'localhost' : spec.address,
        port: spec.connection === 'local' ? 0 : outcome.port,
        user: spec.user ?? '',
        jump: [],
        errors: outcome.kind === 'not-contacted' ? [outcome.message.replace(/^not contacted: /, '')] : [],
      },
    });
  }
  const end = snapshot.end();
  if (!end.complete) warnOnStderr(`${path}: ${end.reason}: the hosts after the cut are not in it`);
  return hosts.sort((a, b) => a.index - b.index).map((h) => h.host);
}

function hops(via: ConnectionPlan | null): string[] {
  return via ? [...hops(via.via), `${via.user}@${via.host}:${via.port}`] : [];
}

function table(hosts: ResolvedHost[]): string {
  const rows = [
    ['Name', 'Address', 'Port', 'User', 'Groups', 'Jump', 'Note'],
    ...hosts.map((h) => [
      h.name,
      h.connection === 'local' ? '(local)' : h.address,
      h.connection === 'local' ? '-' : String(h.port),
      h.user + (h.become ? ' (sudo)' : ''),
      h.groups.join(',') || '-',
      h.jump.join(' → ') || '-',
      h.errors.length > 0 ? `not contacted: ${h.errors[0]}` : '',
    ]),
  ].map((row) => row.map(escapeForTerminal));
  // a loop, not Math.max(...spread): a spread of 100k+ rows overflows the stack
  const widths = rows[0]!.map((_, i) => rows.reduce((widest, r) => Math.max(widest, r[i]!.length), 0));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}
