// The diff for a sheet: one record per change, and one per host that appeared, vanished or could not
// be compared. Remote strings escaped as in every fleetstat CSV.
import { stringify } from 'csv-stringify/sync';
import type { DiffResult, HostDiff, ListenerChange, ListenerState } from '../model/diff.js';
import { csvList, escapeForCsv } from './escape.js';

export const DIFF_CSV_COLUMNS = [
  'host', 'change', 'netns', 'proto', 'family', 'port', 'path', 'before_address', 'before_processes', 'before_users',
  'after_address', 'after_processes', 'after_users', 'status_before', 'status_after',
] as const;

type Row = Record<(typeof DIFF_CSV_COLUMNS)[number], string | number>;

const list = (state: ListenerState | null, pick: 'process' | 'user') => (state === null ? '' : csvList(state.owners.map((o) => o[pick] ?? '?')));

function rows(h: HostDiff): Row[] {
  const base = { host: escapeForCsv(h.name), status_before: h.statusBefore ?? '', status_after: h.statusAfter ?? '' };
  const empty = { netns: '', proto: '', family: '', port: '', path: '', before_address: '', before_processes: '', before_users: '', after_address: '', after_processes: '', after_users: '' };
  if (h.kind !== 'compared') return [{ ...base, ...empty, change: h.kind }];
  const row = (change: string, c: ListenerChange): Row => ({
    ...base,
    change,
    netns: escapeForCsv(c.listener.netns ?? ''),
    proto: c.listener.proto,
    family: c.listener.family,
    port: c.listener.port ?? '',
    path: escapeForCsv(c.listener.path ?? ''),
    before_address: escapeForCsv(c.before?.address ?? ''),
    before_processes: list(c.before, 'process'),
    before_users: list(c.before, 'user'),
    after_address: escapeForCsv(c.after?.address ?? ''),
    after_processes: list(c.after, 'process'),
    after_users: list(c.after, 'user'),
  });
  return [...h.added.map((c) => row('added', c)), ...h.removed.map((c) => row('removed', c)), ...h.changed.map((c) => row('changed', c))];
}

export function formatDiffCsv(diff: DiffResult): string {
  return stringify(diff.hosts.flatMap(rows), { header: true, columns: [...DIFF_CSV_COLUMNS] });
}
