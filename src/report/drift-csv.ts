// Drift for a sheet: one record per deviation (a host odd in two groups has records in each, told
// apart by `group`), one per failed host and one per group too small to judge, so the sheet says
// what was not judged too. Remote strings escaped as in every fleetstat CSV.
import { stringify } from 'csv-stringify/sync';
import type { ListenerIdentity } from '../model/diff.js';
import type { DriftResult, DriftState, GroupDrift } from '../model/drift.js';
import { csvList, escapeForCsv } from './escape.js';

export const DRIFT_CSV_COLUMNS = [
  'group', 'host', 'deviation', 'netns', 'proto', 'family', 'port', 'path',
  'host_addresses', 'host_processes', 'host_users', 'group_addresses', 'group_processes', 'group_users', 'hosts_with_it', 'group_hosts', 'status',
] as const;

type Row = Record<(typeof DRIFT_CSV_COLUMNS)[number], string | number>;

// a group state bound to "one of the host's own addresses" has no one address: its scope says it
const addresses = (list: DriftState[] | null) => (list === null ? '' : csvList(list.map((s) => s.address ?? (s.scope === 'path' ? '' : s.scope))));
const owners = (list: DriftState[] | null, pick: 'process' | 'user') => (list === null ? '' : csvList(list.flatMap((s) => s.owners.map((o) => o[pick] ?? '?'))));

const EMPTY_LISTENER = { netns: '', proto: '', family: '', port: '', path: '' };
const EMPTY_STATES = { host_addresses: '', host_processes: '', host_users: '', group_addresses: '', group_processes: '', group_users: '', hosts_with_it: '' };

function listenerCells(l: ListenerIdentity) {
  return { netns: escapeForCsv(l.netns ?? ''), proto: l.proto, family: l.family, port: l.port ?? '', path: escapeForCsv(l.path ?? '') };
}

function stateCells(host: DriftState[] | null, group: DriftState[] | null) {
  return {
    host_addresses: addresses(host),
    host_processes: owners(host, 'process'),
    host_users: owners(host, 'user'),
    group_addresses: addresses(group),
    group_processes: owners(group, 'process'),
    group_users: owners(group, 'user'),
  };
}

function rows(g: GroupDrift): Row[] {
  const base = { group: escapeForCsv(g.name), group_hosts: g.hosts.length };
  const failed = g.failed.map((f): Row => ({ ...base, ...EMPTY_LISTENER, ...EMPTY_STATES, host: escapeForCsv(f.name), deviation: 'not-scanned', status: escapeForCsv(f.status) }));
  if (g.kind === 'too-small') return [{ ...base, ...EMPTY_LISTENER, ...EMPTY_STATES, host: '', deviation: 'too-small', status: '' }, ...failed];
  const deviations = g.deviations.flatMap((d) => {
    const host = { ...base, host: escapeForCsv(d.name), status: '' };
    return [
      ...d.missing.map((m): Row => ({ ...host, deviation: 'missing', ...listenerCells(m.listener), ...stateCells(null, m.group), hosts_with_it: '' })),
      ...d.extra.map((e): Row => ({ ...host, deviation: 'extra', ...listenerCells(e.listener), ...stateCells(e.host, null), hosts_with_it: e.hosts })),
      ...d.different.map((c): Row => ({ ...host, deviation: 'different', ...listenerCells(c.listener), ...stateCells(c.host, c.group), hosts_with_it: '' })),
    ];
  });
  return [...deviations, ...failed];
}

export function formatDriftCsv(drift: DriftResult): string {
  return stringify(drift.groups.flatMap(rows), { header: true, columns: [...DRIFT_CSV_COLUMNS] });
}
