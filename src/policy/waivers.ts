// Waivers as Chef InSpec has them: a justification always, an expiration_date maybe, `run`. The first
// waiver (as written) whose rule, hosts and narrowing match a finding is set on it. InSpec's waiver
// expires at 00:00 on its expiration_date, so the last day it holds is the day before; from that day
// on it is kept on the finding with `expired: true`, and the finding counts again. Pure.
import type { Finding } from '../model/finding.js';
import { inRanges, matchesAny } from './match.js';
import type { Policy, PolicyWaiver } from './policy.js';

export interface WaiverResult {
  findings: Finding[];
  /** waivers that matched no finding (a stale exception: the command warns) */
  unmatched: PolicyWaiver[];
}

/** `today`: YYYY-MM-DD, the local date of the run (the command's clock, so tests pass it). */
export function applyWaivers(findings: readonly Finding[], policy: Policy, today: string): WaiverResult {
  const used = new Set<PolicyWaiver>();
  const out = findings.map((finding) => {
    const waiver = policy.waivers.find((w) => waives(w, finding));
    if (waiver === undefined) return finding;
    used.add(waiver);
    return {
      ...finding,
      waiver: {
        justification: waiver.justification,
        expires: waiver.expirationDate,
        run: waiver.run,
        expired: isExpired(waiver, today),
        location: waiver.location,
      },
    };
  });
  return { findings: out, unmatched: policy.waivers.filter((w) => !used.has(w)) };
}

/** Expired from its expiration_date on (InSpec: at 00:00 local time on that day). YYYY-MM-DD compares as text. */
export function isExpired(waiver: PolicyWaiver, today: string): boolean {
  return waiver.expirationDate !== null && today >= waiver.expirationDate;
}

function waives(w: PolicyWaiver, f: Finding): boolean {
  if (w.rule !== f.ruleId) return false;
  if (w.hosts !== null && !matchesAny(f.host, w.hosts)) return false;
  if (w.protos !== null && !(w.protos as readonly string[]).includes(f.subject.proto ?? '')) return false;
  if (w.ports !== null && !inRanges(f.subject.port, w.ports)) return false;
  return w.processes === null || matchesAny(f.subject.process?.name ?? null, w.processes);
}
