// A host reduced to its summary line: counts by protocol and TCP state (as `ss -s`), listeners, and how
// the scan went. The scan's own session is never counted: it is the scan's, not the host's.
import type { HostScan } from '../model/index.js';
import type { HostSummary, SocketCounts } from '../model/host-summary.js';

function countsOf(host: HostScan): { sockets: SocketCounts; listeners: number } {
  const sockets: SocketCounts = { tcp: { total: 0, byState: {} }, udp: 0, raw: 0, unix: 0, other: 0 };
  let listeners = 0;
  for (const s of host.sockets) {
    if (s.collector === true) continue;
    if (s.direction === 'listen') listeners += 1;
    if (s.proto === 'tcp' || s.proto === 'tcp6') {
      sockets.tcp.total += 1;
      sockets.tcp.byState[s.state] = (sockets.tcp.byState[s.state] ?? 0) + 1;
    } else if (s.proto === 'udp' || s.proto === 'udp6') sockets.udp += 1;
    else if (s.proto === 'raw' || s.proto === 'raw6') sockets.raw += 1;
    else if (s.proto === 'unix') sockets.unix += 1;
    else sockets.other += 1;
  }
  return { sockets, listeners };
}

export function summarizeHost(host: HostScan): HostSummary {
  const { sockets, listeners } = countsOf(host);
  const timing = host.timing;
  const duration = timing ? Date.parse(timing.finishedAt) - Date.parse(timing.startedAt) : NaN;
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    groups: [...host.groups],
    status: host.status,
    reason: host.error?.message ?? null,
    startedAt: timing?.startedAt ?? null,
    finishedAt: timing?.finishedAt ?? null,
    durationMs: Number.isFinite(duration) ? duration : null,
    hostname: host.facts?.hostname ?? null,
    kernel: host.facts?.kernel ?? null,
    attribution: host.facts?.attribution ?? null,
    hostKey: host.hostKey ? { type: host.hostKey.type, fingerprint: host.hostKey.fingerprint, check: host.hostKey.check } : null,
    listeners,
    sockets: { ...sockets, tcp: { total: sockets.tcp.total, byState: Object.fromEntries(Object.entries(sockets.tcp.byState).sort(([a], [b]) => (a < b ? -1 : 1))) } },
    issues: host.issues.length,
  };
}
