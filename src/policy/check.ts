// One host against the written policy: the entries of its groups and of `all`. A forbidden listener
// present is `policy.forbidden`; a required one absent is `policy.required`; with `unlisted` set, an
// Internet listener (tcp, udp, raw) that no allowed or required entry covers is `policy.unlisted`
// (CIS's manual "only approved services are listening", automated). Listeners are the ones drift
// compares: UDP clients in the ephemeral range and the scan's own session never count. Pure.
import type { Finding, FindingProcess, FindingSubject, Severity } from '../model/finding.js';
import type { HostScan } from '../model/index.js';
import { listenersByIdentity } from '../merge/listener-identity.js';
import { escapeControls } from '../report/escape.js';
import { SEVERITIES } from './load.js';
import { endpointMatches, listenerMatches, portMatches, type PolicyListener } from './match.js';
import type { ListenerMatch, Policy, PolicyEntry, PortRange } from './policy.js';

/** What `unlisted` judges: unix sockets are a host's plumbing (dozens of them), not its exposure. */
const UNLISTED_PROTOS: ReadonlySet<string> = new Set(['tcp', 'udp', 'raw']);

/**
 * The policy's findings on one host, in a stable order: forbidden and unlisted listeners (by proto,
 * port, address), then missing required ones (as written). A host whose listeners are not known (a
 * failed scan) has none: the command reports it as unchecked, never as compliant.
 */
export function checkPolicy(host: HostScan, policy: Policy): Finding[] {
  if (host.status !== 'ok' && host.status !== 'partial') return [];
  const groups = new Set(['all', ...host.groups]);
  const entries = policy.entries.filter((e) => groups.has(e.group));
  const forbidden = entries.filter((e) => e.kind === 'forbidden');
  const allowing = entries.filter((e) => e.kind !== 'forbidden');
  const listeners = listenersOf(host);
  const findings: Finding[] = [];
  for (const l of listeners) {
    const banned = mostSevere(forbidden.filter((e) => listenerMatches(e, l, 'some')));
    if (banned) findings.push(forbiddenFinding(host, l, banned));
    else if (policy.unlisted && UNLISTED_PROTOS.has(l.proto) && !allowing.some((e) => listenerMatches(e, l, 'every'))) {
      findings.push(unlistedFinding(host, l, policy, allowing.find((e) => portMatches(e, l)) ?? null));
    }
  }
  const seen = new Set<string>();
  for (const entry of entries.filter((e) => e.kind === 'required')) {
    const key = matchKey(entry);
    if (seen.has(key)) continue; // the same requirement in two of the host's groups: one finding
    seen.add(key);
    if (!listeners.some((l) => listenerMatches(entry, l, 'some'))) findings.push(requiredFinding(host, listeners, entry, key));
  }
  return findings;
}

function listenersOf(host: HostScan): PolicyListener[] {
  const out: PolicyListener[] = [];
  for (const list of listenersByIdentity(host).values()) {
    for (const { identity, state } of list) {
      out.push({ netns: identity.netns, proto: identity.proto, address: identity.proto === 'unix' ? null : state.address, path: identity.path, port: identity.port, owners: state.owners });
    }
  }
  const text = (l: PolicyListener) => `${l.netns ?? ''}\u0000${l.address ?? l.path ?? ''}`;
  return out.sort((a, b) => a.proto.localeCompare(b.proto) || (a.port ?? 0) - (b.port ?? 0) || text(a).localeCompare(text(b)));
}

function mostSevere(entries: PolicyEntry[]): PolicyEntry | undefined {
  const rank = (e: PolicyEntry) => SEVERITIES.indexOf(e.severity ?? 'high');
  return entries.reduce<PolicyEntry | undefined>((best, e) => (best === undefined || rank(e) > rank(best) ? e : best), undefined);
}

function forbiddenFinding(host: HostScan, l: PolicyListener, entry: PolicyEntry): Finding {
  const holder = l.owners.find((o) => listenerMatches(entry, { ...l, owners: [o] }, 'some')) ?? l.owners[0]!;
  const subject = subjectOf(host, l, holder.process);
  return listenerFinding(host, 'policy.forbidden', entry.severity ?? 'high', subject, l, entry, {
    message: `${showListener(l)}${heldBy(l)} is forbidden by ${entryName(entry)}${entry.reason ? `: ${entry.reason}` : ''}`,
    evidence: evidenceOf(l, subject.process),
  });
}

function unlistedFinding(host: HostScan, l: PolicyListener, policy: Policy, near: PolicyEntry | null): Finding {
  const subject = subjectOf(host, l, l.owners[0]?.process ?? null);
  const groups = ['all', ...host.groups].filter((g) => policy.groups.includes(g));
  const closest = near ? `; ${entryName(near)} (line ${near.location.line}) allows only ${showMatch(near)}` : '';
  return listenerFinding(host, 'policy.unlisted', policy.unlisted!.severity, subject, l, null, {
    message: `${showListener(l)}${heldBy(l)} is allowed by no entry of ${groups.length > 0 ? `groups ${groups.join(', ')}` : 'any group of this host'}`,
    evidence: `${evidenceOf(l, subject.process)}${closest}`,
    location: policy.unlisted!.location,
  });
}

function listenerFinding(
  host: HostScan, ruleId: string, severity: Severity, subject: FindingSubject, l: PolicyListener, entry: PolicyEntry | null,
  text: { message: string; evidence: string; location?: Finding['location'] },
): Finding {
  return {
    host: host.name,
    groups: host.groups,
    ruleId,
    severity,
    message: escapeControls(text.message),
    subject,
    evidence: escapeControls(text.evidence),
    fingerprint: JSON.stringify([host.name, ruleId, l.netns, l.proto, l.address ?? l.path, l.port, subject.process?.name ?? null]),
    waiver: null,
    location: text.location ?? entry!.location,
  };
}

function requiredFinding(host: HostScan, listeners: PolicyListener[], entry: PolicyEntry, key: string): Finding {
  const there = listeners.filter((l) => endpointMatches(entry, l));
  const unseen = there.some((l) => l.owners.some((o) => o.process === null));
  const evidence = there.length === 0
    ? `nothing listens on ${showMatch({ ...entry, processes: null, users: null })}`
    : `${there.map((l) => `${showListener(l)}${heldBy(l)}`).join('; ')}${unseen ? ' (a holder could not be seen: attribution partial, scan as root to tell)' : ''}`;
  return {
    host: host.name,
    groups: host.groups,
    ruleId: 'policy.required',
    severity: entry.severity ?? 'high',
    message: escapeControls(`required listener missing: ${showMatch(entry)} (${entryName(entry)})${entry.reason ? `: ${entry.reason}` : ''}`),
    subject: { proto: entry.protos[0]!, address: entry.paths?.[0] ?? null, port: entry.ports?.[0]?.low ?? null, netns: null, process: null },
    evidence: escapeControls(evidence),
    fingerprint: JSON.stringify([host.name, 'policy.required', key]),
    waiver: null,
    location: entry.location,
  };
}

/** The finding's socket and process: the first socket of the listener held by the process named (pid and cmdline are evidence, never identity). */
function subjectOf(host: HostScan, l: PolicyListener, processName: string | null): FindingSubject {
  const socket = host.sockets.find((s) => {
    if (s.direction !== 'listen' || s.collector === true || s.local === null) return false;
    if ((s.netns === 'default' ? null : s.netns) !== l.netns || (s.proto !== l.proto && s.proto !== `${l.proto}6`)) return false;
    if (l.proto === 'unix') return 'path' in s.local && s.local.path === l.path;
    return 'address' in s.local && s.local.address === l.address && s.local.port === l.port;
  });
  const p = socket?.processes.find((q) => q.name === processName) ?? null;
  const process: FindingProcess | null = p ? { pid: p.pid, name: p.name, user: p.user, cmdline: p.cmdline } : null;
  return { proto: l.proto, address: l.address ?? l.path, port: l.port, netns: l.netns, process };
}

function matchKey(m: ListenerMatch): string {
  return JSON.stringify([m.protos, m.ports, m.paths, m.bind, m.processes, m.users]);
}

// ---- text (one line, plain; the sinks escape for their medium) ----

function entryName(e: PolicyEntry): string {
  return `groups.${e.group}.${e.kind}[${e.index}]`;
}

function showListener(l: PolicyListener): string {
  const where = l.proto === 'unix'
    ? `unix ${l.path ?? '(unbound)'}`
    : l.proto === 'raw' ? `raw ${l.address} protocol ${l.port}` : `${l.proto} ${l.address?.includes(':') ? `[${l.address}]` : l.address}:${l.port}`;
  return l.netns === null ? where : `${where} in netns ${l.netns}`;
}

function heldBy(l: PolicyListener): string {
  const names = l.owners.map((o) => (o.process === null ? `an unseen process${o.user ? ` (socket of ${o.user})` : ''}` : `${o.process}${o.user ? ` (${o.user})` : ''}`));
  return ` held by ${names.join(', ')}`;
}

function evidenceOf(l: PolicyListener, p: FindingProcess | null): string {
  if (p === null) return `${showListener(l)}${heldBy(l)}`;
  return `${showListener(l)} held by ${p.name} (pid ${p.pid}${p.user ? `, user ${p.user}` : ''})${p.cmdline.length > 0 ? `: ${p.cmdline.join(' ')}` : ''}`;
}

function showRanges(ranges: readonly PortRange[]): string {
  return ranges.map((r) => (r.low === r.high ? `${r.low}` : `${r.low}-${r.high}`)).join(',');
}

/** An entry as a phrase: `tcp 8000-8099 bound to loopback by nginx as www-data`. */
function showMatch(m: ListenerMatch): string {
  const parts = [m.protos.join('/')];
  if (m.paths) parts.push(m.paths.join(','));
  if (m.ports) parts.push(showRanges(m.ports));
  if (m.bind) parts.push(`bound to ${m.bind.map((b) => ('scope' in b ? b.scope : b.address)).join(' or ')}`);
  if (m.processes) parts.push(`by ${m.processes.join(' or ')}`);
  if (m.users) parts.push(`as ${m.users.join(' or ')}`);
  return parts.join(' ');
}
