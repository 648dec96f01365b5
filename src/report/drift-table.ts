// Drift for a person: one block per group (its hosts, folded as `nodeset -f` folds them; its failed
// hosts; too small to judge), a line per deviation under the host it is on (`-` missing, `+` extra,
// `~` different: the host's state, then the group's), then the totals. A host in two groups has a
// block line in each.
import type { ListenerIdentity } from '../model/diff.js';
import type { DriftResult, DriftState, GroupDrift, HostDeviation } from '../model/drift.js';
import { foldNodeset } from '../merge/nodeset.js';
import { escapeForTerminal } from './escape.js';
import { plural } from './text-layout.js';

function listener(l: ListenerIdentity): string {
  const netns = l.netns !== null ? ` (netns ${escapeForTerminal(l.netns)})` : '';
  if (l.proto === 'unix') return `unix ${escapeForTerminal(l.path ?? '(unbound)')}${netns}`;
  return `${l.proto}${l.family === 'inet6' ? '6' : ''} ${l.port}${netns}`;
}

function state(s: DriftState): string {
  const bind = s.scope === 'path' ? '' : s.address === null ? 'a host address ' : `${escapeForTerminal(s.address)} `;
  const owners = s.owners.map((o) => `${o.process === null ? '?' : escapeForTerminal(o.process)}${o.user !== null ? ` (${escapeForTerminal(o.user)})` : ''}`).join(', ');
  return `${bind}${owners}`.trim();
}

const states = (list: DriftState[]) => list.map(state).join('; ');

function hostLines(d: HostDeviation, of: number): string[] {
  const counts = [[d.missing.length, 'missing'], [d.extra.length, 'extra'], [d.different.length, 'different']].filter(([n]) => n !== 0).map(([n, w]) => `${n} ${w}`);
  return [
    `  ${escapeForTerminal(d.name)}: ${counts.join(', ')}`,
    ...d.missing.map((m) => `    - ${listener(m.listener)}  (the group: ${states(m.group)})`),
    ...d.extra.map((e) => `    + ${listener(e.listener)}  ${states(e.host)}  (${e.hosts} of ${of} hosts)`),
    ...d.different.map((c) => `    ~ ${listener(c.listener)}  ${states(c.host)}  (the group: ${states(c.group)})`),
  ];
}

function groupBlock(g: GroupDrift, minimumHosts: number): string[] {
  const hosts = g.hosts.length === 0 ? 'no host scanned' : `${plural(g.hosts.length, 'host')} ${escapeForTerminal(foldNodeset(g.hosts))}`;
  const failed = g.failed.length === 0 ? '' : `; not scanned: ${g.failed.map((f) => `${escapeForTerminal(f.name)} (${escapeForTerminal(f.status)})`).join(', ')}`;
  const head = `${escapeForTerminal(g.name)}: ${hosts}${failed}`;
  if (g.kind === 'too-small') return [`${head}: too small to judge (fewer than ${minimumHosts} scanned hosts)`];
  const verdict = g.deviations.length === 0 ? `: every host has the group's ${plural(g.consensus.length, 'listener')}` : `: ${plural(g.consensus.length, 'listener')} in consensus`;
  return [`${head}${verdict}`, ...g.deviations.flatMap((d) => hostLines(d, g.hosts.length))];
}

export function formatDriftTable(drift: DriftResult): string {
  const lines = drift.groups.flatMap((g) => groupBlock(g, drift.minimumHosts));
  const s = drift.summary;
  const quiet = s.hostsJudged - s.hostsWithDeviations;
  const notes = [s.groupsTooSmall > 0 ? `${plural(s.groupsTooSmall, 'group')} too small` : '', s.failed > 0 ? `${plural(s.failed, 'host')} not scanned` : '', s.notInGroups > 0 ? `${plural(s.notInGroups, 'host')} in no group judged` : ''].filter((n) => n !== '');
  lines.push(
    `${lines.length > 0 ? '\n' : ''}${s.hostsWithDeviations === 0 ? 'No drift' : 'Drift'}: ${s.missing} missing, ${s.extra} extra, ${s.different} different; ${quiet} of ${s.hostsJudged} judged hosts like their groups${notes.length > 0 ? `; ${notes.join(', ')}` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
