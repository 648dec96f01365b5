// The diff for a person: one block per host that drifted or could not be compared, a line per change
// (`+` added, `-` removed, `~` changed: before -> after), then how many hosts had none.
import type { DiffResult, HostDiff, ListenerChange, ListenerState } from '../model/diff.js';
import { escapeForTerminal } from './escape.js';

function where(c: ListenerChange, state: ListenerState | null): string {
  const l = c.listener;
  if (l.proto === 'unix') return `unix ${escapeForTerminal(l.path ?? '(unbound)')}`;
  const address = state?.address ?? '?';
  const shown = l.family === 'inet6' ? `[${address}]` : address;
  return `${l.proto}${l.family === 'inet6' ? '6' : ''} ${shown}:${l.port}${l.netns !== null ? ` (netns ${escapeForTerminal(l.netns)})` : ''}`;
}

function owners(state: ListenerState | null): string {
  if (state === null) return '';
  return state.owners.map((o) => `${o.process === null ? '?' : escapeForTerminal(o.process)}${o.user !== null ? ` (${escapeForTerminal(o.user)})` : ''}`).join(', ');
}

function hostBlock(h: HostDiff): string[] {
  const name = escapeForTerminal(h.name);
  if (h.kind === 'appeared') return [`${name}: appeared (not in the old scan)`];
  if (h.kind === 'vanished') return [`${name}: vanished (not in the new scan)`];
  if (h.kind === 'not-compared') return [`${name}: not compared: ${h.statusBefore ?? '-'} in the old scan, ${h.statusAfter ?? '-'} in the new one`];
  const counts = [[h.added.length, 'added'], [h.removed.length, 'removed'], [h.changed.length, 'changed']].filter(([n]) => n !== 0).map(([n, w]) => `${n} ${w}`);
  return [
    `${name}: ${counts.join(', ')}`,
    ...h.added.map((c) => `  + ${where(c, c.after)}  ${owners(c.after)}`),
    ...h.removed.map((c) => `  - ${where(c, c.before)}  ${owners(c.before)}`),
    ...h.changed.map((c) => `  ~ ${where(c, c.after)}  ${owners(c.after)}  (was ${where(c, c.before)}  ${owners(c.before)})`),
  ];
}

export function formatDiffTable(diff: DiffResult): string {
  const lines = diff.hosts.flatMap(hostBlock);
  const s = diff.summary;
  const quiet = s.hostsCompared - s.hostsWithDrift;
  lines.push(
    `${lines.length > 0 ? '\n' : ''}${s.hostsWithDrift === 0 && s.appeared + s.vanished === 0 ? 'No drift' : 'Drift'}: ${s.added} added, ${s.removed} removed, ${s.changed} changed; ${s.appeared} hosts appeared, ${s.vanished} vanished; ${quiet} of ${s.hostsCompared} compared hosts unchanged${s.notCompared > 0 ? `; ${s.notCompared} not compared` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
