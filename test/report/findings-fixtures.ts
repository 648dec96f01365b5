// FindingsResults built in code for the findings formats' tests: four checked hosts (one clean), one
// host that could not be checked, built-in and policy rules (one that nothing breaks), two findings of
// one rule on one host, a waived finding, one whose waiver expired, one with no location, a connection
// in a container's namespace, and hostile remote strings (a formula, CR LF, TAB, ESC).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Finding, FindingProcess, FindingsResult, RuleDescription, Severity } from '../../src/model/finding.js';
import { ESC_RED, FORMULA } from './scan-fixtures.js';

export { ESC_RED, FORMULA };
export const STARTED = '2026-03-01T09:00:00.000Z';
export const INVENTORY = 'inventory/prod hosts.yml';
export const POLICY = 'policy/ports.yml';
/** evidence with every character a line-based reader or a terminal could be fooled by */
export const HOSTILE_EVIDENCE = `${FORMULA} -c 'x'\r\n=1+1\tnext${ESC_RED}`;

export const RULES: RuleDescription[] = [
  { id: 'FS001', name: 'shell-listening', severity: 'high', summary: 'A shell holds a listening socket.', explanation: 'A shell that listens is how a bind shell looks; no service is a shell.', exception: 'A waiver naming the host and the port, with a justification.' },
  { id: 'FS003', name: 'shell-connected', severity: 'high', summary: 'A shell holds a connection to a peer that is not loopback.', explanation: 'A reverse shell connects out from a shell to its operator.', exception: 'A waiver with a justification.' },
  { id: 'FS004', name: 'database-bound-to-all', severity: 'medium', summary: 'A database or cache port is bound to all addresses.', explanation: 'Databases are meant to be reached from their clients only; binding to all addresses exposes them to every network the host is on.', exception: 'Bind it to the address its clients use, or a waiver.' },
  { id: 'FS007', name: 'packet-socket', severity: 'high', summary: 'A process holds an AF_PACKET socket.', explanation: 'A sniffer, or a BPFDoor-like back door.', exception: 'A waiver for the DHCP client or capture tool that needs it.' },
  { id: 'FS010', name: 'unnamed-port', severity: 'low', summary: 'A listener on a port no services table and no policy names.', explanation: 'Every port should be accounted for.', exception: 'Name it in the policy as allowed.' },
  { id: 'policy/web/forbidden/1', name: 'forbidden-telnet', severity: 'critical', summary: 'Telnet is forbidden on web hosts.', explanation: 'Written policy, line 12.', exception: 'Change the policy.' },
];

function proc(pid: number, name: string, user: string | null, cmdline: string[] = [name]): FindingProcess {
  return { pid, name, user, cmdline };
}

const ruleSeverity = (id: string): Severity => RULES.find((r) => r.id === id)!.severity;

function finding(host: string, groups: string[], ruleId: string, rest: Partial<Finding> & Pick<Finding, 'subject' | 'evidence' | 'message'>): Finding {
  const s = rest.subject;
  return {
    host,
    groups,
    ruleId,
    severity: ruleSeverity(ruleId),
    fingerprint: `${host}|${ruleId}|${s.netns ?? ''}|${s.proto ?? ''}|${s.address ?? ''}|${s.port ?? ''}|${s.process?.name ?? ''}`,
    waiver: null,
    location: { file: INVENTORY, line: 3 },
    ...rest,
  };
}

const WEB = ['web', 'prod'];
const DB = ['db'];

export function findings(): Finding[] {
  return [
    // listed out of order on purpose: every format sorts (most severe first)
    finding('web1', WEB, 'FS010', { message: 'udp [::]:31337 is named by no services table nor policy', evidence: 'python3 -m http.server 31337', subject: { proto: 'udp', address: '::', port: 31337, netns: null, process: proc(3100, 'python3', 'www-data', ['python3', '-m', 'http.server', '31337']) } }),
    finding('web1', WEB, 'FS001', { message: 'A shell listens on tcp 0.0.0.0:4444', evidence: HOSTILE_EVIDENCE, subject: { proto: 'tcp', address: '0.0.0.0', port: 4444, netns: null, state: 'LISTEN', process: proc(666, FORMULA, 'root', [FORMULA, '-c', 'x']) } }),
    finding('web1', WEB, 'FS010', { message: 'tcp 127.0.0.1:8081 is named by no services table nor policy', evidence: 'node server.js', subject: { proto: 'tcp', address: '127.0.0.1', port: 8081, netns: null, process: proc(3200, 'node', 'app', ['node', 'server.js']) } }),
    finding('web1', WEB, 'policy/web/forbidden/1', { message: 'telnetd listens on tcp 0.0.0.0:23, forbidden for group web', evidence: '/usr/sbin/in.telnetd', subject: { proto: 'tcp', address: '0.0.0.0', port: 23, netns: null, process: { ...proc(412, 'in.telnetd', 'root'), exe: '/usr/sbin/in.telnetd' } }, location: { file: POLICY, line: 12, column: 5 } }),
    finding('web2', WEB, 'FS003', { message: 'bash is connected to 203.0.113.9:4444', evidence: 'bash -i (stdin is the socket)', location: null, subject: { proto: 'tcp', address: '10.0.0.5', port: 51234, netns: 'container:4f1c', remote: { address: '203.0.113.9', port: 4444 }, state: 'ESTABLISHED', process: proc(901, 'bash', null, ['bash', '-i']) } }),
    finding('db1', DB, 'FS004', { message: 'redis-server listens on tcp 0.0.0.0:6379 (all addresses)', evidence: 'bound to 0.0.0.0', subject: { proto: 'tcp', address: '0.0.0.0', port: 6379, netns: null, process: proc(700, 'redis-server', 'redis') }, waiver: { justification: 'Cache for the batch VLAN until it moves, OPS-7', expires: '2025-06-30', run: true, expired: true, location: { file: 'policy/waivers.yml', line: 4 } } }),
    finding('db1', DB, 'FS010', { message: 'tcp [::]:9999 is named by no services table nor policy', evidence: 'postgres_exporter', subject: { proto: 'tcp', address: '::', port: 9999, netns: null, process: proc(720, 'postgres_exporter', 'prometheus') }, waiver: { justification: 'Metrics exporter, scraped by Prometheus; ticket OPS-12', expires: '2027-01-31', run: true, expired: false, location: { file: 'policy/waivers.yml', line: 9 } } }),
  ];
}

export function summaryOf(found: readonly Finding[], hosts: number, unchecked: number): FindingsResult['summary'] {
  const bySeverity: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  const counted = found.filter((f) => f.waiver === null || f.waiver.expired);
  for (const f of counted) bySeverity[f.severity]++;
  return { hosts, unchecked, findings: counted.length, waived: found.length - counted.length, bySeverity };
}

export function findingsResult(): FindingsResult {
  const found = findings();
  const hostsChecked = [
    { host: 'web1', groups: WEB, location: { file: INVENTORY, line: 3 } },
    { host: 'web2', groups: WEB, location: { file: INVENTORY, line: 4 } },
    { host: 'web3', groups: WEB, location: { file: INVENTORY, line: 5 } },
    { host: 'db1', groups: DB, location: null },
  ];
  const unchecked = [{ host: 'db9', groups: DB, status: 'unreachable', message: `connect ECONNREFUSED 10.0.0.9:22${ESC_RED}\u0001` }];
  return {
    schema: 'fleetstat/findings@1',
    source: { input: INVENTORY, policy: POLICY, startedAt: STARTED },
    rules: RULES,
    hostsChecked,
    unchecked,
    findings: found,
    summary: summaryOf(found, hostsChecked.length, unchecked.length),
  };
}

/** A check of clean hosts only: nothing found, nothing unchecked. */
export function cleanResult(): FindingsResult {
  const hostsChecked = ['web1', 'web2', 'web3'].map((host, i) => ({ host, groups: WEB, location: { file: INVENTORY, line: 3 + i } }));
  return { schema: 'fleetstat/findings@1', source: { input: INVENTORY, policy: null, startedAt: STARTED }, rules: RULES, hostsChecked, unchecked: [], findings: [], summary: summaryOf([], 3, 0) };
}

const goldenDir = new URL('./golden/findings/', import.meta.url);

/** The golden file's text; FLEETSTAT_UPDATE_GOLDEN=1 writes `text` there first (to be read and committed with the change). */
export function golden(name: string, text: string): string {
  if (process.env.FLEETSTAT_UPDATE_GOLDEN === '1') {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(new URL(name, goldenDir), text);
  }
  return readFileSync(new URL(name, goldenDir), 'utf8');
}
