// What the fleet's progress looks like: a one-line bar while scanning, a one-line summary after.
import type { HostScan } from '../model/index.js';
import { escapeForTerminal } from './escape.js';

export interface ProgressCounts {
  total: number;
  done: number;
  failed: number;
  inFlight: number;
}

/** `[#######.............]  37/250 done, 2 failed, 64 in flight, ETA 12s` fitted to `width`. */
export function progressLine(counts: ProgressCounts, elapsedMs: number, width: number): string {
  const { total, done, failed, inFlight } = counts;
  const eta = done > 0 && done < total ? ` ETA ${formatSeconds((elapsedMs / done) * (total - done))}` : '';
  const text = ` ${String(done).padStart(String(total).length)}/${total} done, ${failed} failed, ${inFlight} in flight${eta ? `,${eta}` : ''}`;
  const barWidth = Math.max(10, Math.min(40, width - text.length - 3));
  const filled = total === 0 ? barWidth : Math.round((done / total) * barWidth);
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${text}`.slice(0, Math.max(0, width - 1));
}

function formatSeconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

const FAILED_SHOWN = 5;

/**
 * One line for the end of every scan: `5 hosts: 3 ok, 1 partial, 1 unreachable (web07)`, naming at most
 * a few failed hosts per status.
 */
export function failureSummary(hosts: readonly Pick<HostScan, 'name' | 'status'>[]): string {
  const byStatus = new Map<string, string[]>();
  for (const host of hosts) {
    const names = byStatus.get(host.status) ?? [];
    names.push(host.name);
    byStatus.set(host.status, names);
  }
  const parts = [...byStatus.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([status, names]) => {
      if (status === 'ok' || status === 'partial') return `${names.length} ${status}`;
      const shown = names.slice(0, FAILED_SHOWN).map(escapeForTerminal).join(', ');
      const more = names.length > FAILED_SHOWN ? `, +${names.length - FAILED_SHOWN} more` : '';
      return `${names.length} ${status} (${shown}${more})`;
    });
  return `${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}: ${parts.join(', ') || 'none'}`;
}

function rank(status: string): number {
  return status === 'ok' ? 0 : status === 'partial' ? 1 : 2;
}
