// `fleetstat check INPUT [--policy FILE]`: every host against the built-in rules (back doors, exposed
// datastores, odd executables) and the written policy (allowed, required, forbidden listeners per
// group), with the policy's waivers applied. Findings as a table, CSV, JSON, JUnit XML or SARIF.
// Each host is judged as it ends and let go: only its findings are kept.
import { Flags } from '@oclif/core';
import { FleetstatCommand } from '../cli/command.js';
import { warnOnStderr, writeStdout } from '../cli/output.js';
import { readHosts, scanInputArg, scanSourceFlags } from '../cli/scan-source.js';
import { usageFailure } from '../cli/usage.js';
import { readInputText } from '../local/input-file.js';
import type { HostScan } from '../model/index.js';
import type { Finding, FindingsResult, RuleDescription, Severity } from '../model/finding.js';
import { compareNodeNames } from '../merge/matrix.js';
import { withFindingBit } from '../result/exit-code.js';
import { bundledServices } from '../merge/services.js';
import { applyWaivers, checkPolicy, inRanges, isCalendarDate, loadPolicy, POLICY_RULE_IDS, SEVERITIES, type Policy } from '../policy/index.js';
import { BUILT_IN_RULES, checkHost } from '../rules/index.js';
import { jsonForTerminal } from '../report/escape.js';
import { counts } from '../report/findings-common.js';
import { formatFindingsCsv } from '../report/findings-csv.js';
import { formatFindingsJunit } from '../report/findings-junit.js';
import { formatFindingsSarif } from '../report/findings-sarif.js';
import { formatFindingsTable } from '../report/findings-table.js';
import { colorWanted, tableWidth } from '../cli/terminal.js';

/** The policy's own rules, described as the built-in ones are (SARIF's rules, JUnit's testcases). */
const POLICY_RULES: RuleDescription[] = [
  {
    id: 'policy.forbidden',
    name: 'policy-forbidden',
    severity: 'high',
    summary: 'A listener the policy forbids for one of the host\'s groups.',
    explanation: 'The written policy lists it under `forbidden` for a group the host is in; the finding points at that entry.',
    exception: 'Stop the listener, change the entry, or write a waiver for policy.forbidden.',
  },
  {
    id: 'policy.required',
    name: 'policy-required',
    severity: 'high',
    summary: 'A listener the policy requires for one of the host\'s groups is missing.',
    explanation: 'The written policy lists it under `required` for a group the host is in, and the host does not listen there (or another process does).',
    exception: 'Start the service, change the entry, or write a waiver for policy.required.',
  },
  {
    id: 'policy.unlisted',
    name: 'policy-unlisted',
    severity: 'medium',
    summary: 'A listener no `allowed` or `required` entry of the host\'s groups covers.',
    explanation: 'With `unlisted` set, every TCP, UDP and raw listener must be accounted for by an entry of one of the host\'s groups (or `all`).',
    exception: 'Add an `allowed` entry for the group, or a waiver for policy.unlisted.',
  },
];

const FAIL_ON = [...SEVERITIES, 'none'] as const;

/** The local date, YYYY-MM-DD: waivers expire at 00:00 local time on their expiration_date (as InSpec's). */
function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function parseAsOf(value: string): string {
  if (!isCalendarDate(value)) throw usageFailure('check', `--as-of ${JSON.stringify(value)}: a date as YYYY-MM-DD`);
  return value;
}

/** Does the policy name this port (an entry with the protocol and a port range holding it)? FS010 asks. */
function namesPort(policy: Policy | null): (proto: 'tcp' | 'udp', port: number) => boolean {
  return (proto, port) => policy?.entries.some((e) => e.protos.includes(proto) && inRanges(port, e.ports ?? [])) ?? false;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

export default class Check extends FleetstatCommand {
  static override summary = 'Check every host against the built-in rules and the written policy: findings for auditors and CI.';
  static override description = [
    `Built-in rules (${BUILT_IN_RULES.map((r) => r.id).join(', ')}) look for what an attacker leaves listening: a shell or netcat holding a socket, an inline interpreter program listening, a reverse shell, a socket as a process's stdin/stdout, a listener run from /tmp or a deleted binary, an AF_PACKET sniffer, a database port on every address, a listener with no visible owner, a port nothing names. \`fleetstat check --help\` lists them; docs/rules.md explains each and how to except it.`,
    '--policy FILE adds the written policy (fleetstat/policy@1: docs/policy.md, examples/policy.yml): per inventory group, allowed, required and forbidden listeners, and waivers (InSpec\'s justification, expiration_date, run) for any rule. A waiver expires at 00:00 on its expiration_date; an expired waiver\'s finding counts again.',
    'Hosts that could not be scanned are listed as not checked (never "no findings").',
    'Exit status: 0 no finding at or above --fail-on, 1 some (waived ones do not count; expired waivers do), 2 bad command line, input or policy; 4 is added when a host was unreachable or timed out, 8 when one failed otherwise (as scan: 5 = findings and an unreachable host); 130/143 interrupted.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> check inventory.yml',
    '<%= config.bin %> check inventory.yml --policy examples/policy.yml --fail-on high',
    '<%= config.bin %> check today.snap.gz --policy policy.yml --format sarif > fleetstat.sarif',
    '<%= config.bin %> check today.snap.gz --format junit > fleetstat-junit.xml',
    '<%= config.bin %> check scan.json --format csv --as-of 2027-01-01 > findings.csv',
  ];
  static override enableJsonFlag = true;
  static override args = {
    input: scanInputArg,
  };
  static override flags = {
    policy: Flags.string({ char: 'P', description: 'the written policy (YAML, fleetstat/policy@1): allowed, required and forbidden listeners per group, and waivers' }),
    'fail-on': Flags.option({ options: FAIL_ON, default: 'medium', description: 'exit 1 when a finding of this severity or above counts (low: also unnamed ports and unseen owners; none: never)' })(),
    'as-of': Flags.string({ description: 'judge waivers\' expiration dates as of this day (YYYY-MM-DD) [default: today, local time]' }),
    format: Flags.option({ options: ['table', 'json', 'csv', 'junit', 'sarif'] as const, default: 'table', description: 'output format (junit: JUnit XML, one testcase per host and rule; sarif: SARIF 2.1.0 for code scanning)' })(),
    wide: Flags.boolean({ char: 'W', description: 'never cut the table to the terminal\'s width', default: false }),
    color: Flags.boolean({ allowNo: true, description: 'colour the table [default: on a terminal, unless NO_COLOR is set]' }),
    ...scanSourceFlags,
  };

  async run(): Promise<FindingsResult> {
    const { args, flags } = await this.parse(Check);
    const today = flags['as-of'] !== undefined ? parseAsOf(flags['as-of']) : localToday();
    const known = new Set([...BUILT_IN_RULES.map((r) => r.id), ...POLICY_RULE_IDS]);
    const policy = flags.policy !== undefined ? loadPolicy(readInputText(flags.policy, 'policy'), flags.policy, known) : null;
    const services = bundledServices();
    const policyNames = namesPort(policy);

    const hostsChecked: FindingsResult['hostsChecked'] = [];
    const unchecked: FindingsResult['unchecked'] = [];
    let findings: Finding[] = [];
    const judge = (host: HostScan) => {
      if (host.status !== 'ok' && host.status !== 'partial') {
        unchecked.push({ host: host.name, groups: host.groups, status: host.status, message: host.error?.message ?? host.status });
        return;
      }
      const hostLocation = host.definedAt ?? null;
      hostsChecked.push({ host: host.name, groups: host.groups, location: hostLocation });
      findings.push(...checkHost(host, { services, hostLocation, policyNames }));
      if (policy) findings.push(...checkPolicy(host, policy));
    };
    const input = await readHosts({ input: args.input, flags, command: 'check', version: this.config.version, progress: true, onHost: judge });

    if (policy) {
      const waived = applyWaivers(findings, policy, today);
      findings = waived.findings;
      for (const w of waived.unmatched) warnOnStderr(`${w.location.file}:${w.location.line}:${w.location.column ?? 1}: the waiver for ${w.rule} matched no finding`);
    }
    const byName = (a: { host: string }, b: { host: string }) => compareNodeNames(a.host, b.host);
    hostsChecked.sort(byName);
    unchecked.sort(byName);
    findings.sort((a, b) => compareNodeNames(a.host, b.host));
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s && counts(f)).length])) as Record<Severity, number>;
    const result: FindingsResult = {
      schema: 'fleetstat/findings@1',
      source: { input: args.input, policy: flags.policy ?? null, startedAt: input.startedAt },
      rules: [...BUILT_IN_RULES.map(({ check: _check, ...description }) => description), ...(policy ? POLICY_RULES : [])],
      hostsChecked,
      unchecked,
      findings,
      summary: { hosts: hostsChecked.length, unchecked: unchecked.length, findings: findings.length, waived: findings.filter((f) => !counts(f)).length, bySeverity },
    };

    const failOn = flags['fail-on'];
    const failing = failOn !== 'none' && findings.some((f) => counts(f) && rank(f.severity) >= rank(failOn));
    process.exitCode = withFindingBit(failing, input.scanExitCode);
    if (!this.jsonEnabled()) writeStdout(this.render(result, flags));
    return result;
  }

  private render(result: FindingsResult, flags: { format: string; wide: boolean; color?: boolean | undefined }): string {
    switch (flags.format) {
      case 'json':
        return jsonForTerminal(result);
      case 'csv':
        return formatFindingsCsv(result);
      case 'junit':
        return formatFindingsJunit(result);
      case 'sarif':
        return formatFindingsSarif(result, { toolVersion: this.config.version, srcRoot: process.cwd() });
      default: {
        const width = tableWidth(process.stdout, process.env, flags.wide);
        return formatFindingsTable(result, { ...(width !== undefined ? { width } : {}), color: colorWanted(flags.color, process.stdout, process.env) });
      }
    }
  }
}
