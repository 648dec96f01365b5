// Findings (`fleetstat/findings@1`): what `fleetstat check` reports. Each one is a rule (built-in, or
// a line of the written policy) that one host breaks, with the socket and process that break it, and
// the waiver that excepts it, if any. Its fingerprint names it without pid, inode or queue sizes, so
// the same finding on the next run has the same fingerprint (SARIF's partialFingerprints, waivers).

/** Ordered: info < low < medium < high < critical. `--fail-on` takes one of them. */
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** A place in a local file: the inventory line that defines the host, the policy line of a rule. */
export interface SourceLocation {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based; absent when only the line is known */
  column?: number;
}

/** The process a finding is about (one of a socket's holders). */
export interface FindingProcess {
  pid: number;
  name: string;
  user: string | null;
  /** the executable's path (/proc/PID/exe), absent when not collected or unreadable */
  exe?: string;
  cmdline: string[];
}

/** What a finding is about: a socket (Internet, unix or packet) or, for a required listener that is missing, only what was required. */
export interface FindingSubject {
  /** tcp, udp, raw, unix, packet (families folded: the address says which); null when no socket is concerned */
  proto: string | null;
  /** the bound (local) address; a unix socket's path; null when none */
  address: string | null;
  port: number | null;
  /** the network namespace label; null for the collector's own */
  netns: string | null;
  /** the peer, for a connection */
  remote?: { address: string; port: number };
  state?: string;
  process: FindingProcess | null;
}

/** A waiver that matched a finding (InSpec's waiver file: justification, expiration_date, run). */
export interface AppliedWaiver {
  justification: string;
  /** YYYY-MM-DD, the expiration_date as written: as in InSpec it expires at 00:00 that day, so the day before is the last it holds; null: no expiry */
  expires: string | null;
  /** false: the check still ran and the finding is reported as waived (skipped); true is InSpec's default */
  run: boolean;
  /** true: the date has passed, so the finding counts again (reported with the waiver it had) */
  expired: boolean;
  /** where the waiver is written */
  location: SourceLocation;
}

export interface Finding {
  host: string;
  groups: string[];
  /** stable: `FS…` for built-in rules; policy.forbidden, policy.required, policy.unlisted for the policy's (the entry is the location) */
  ruleId: string;
  severity: Severity;
  /** one line, plain text: what is wrong */
  message: string;
  subject: FindingSubject;
  /** what was seen that makes it so: a command line, an exe path, the bind address (plain text, one line) */
  evidence: string;
  /** host, rule and the subject's identity (netns, proto, address, port, process name): never pid or inode */
  fingerprint: string;
  waiver: AppliedWaiver | null;
  /** where the finding is anchored: the policy line for policy rules, the inventory line of the host otherwise */
  location: SourceLocation | null;
}

/** A rule as outputs describe it (SARIF's tool.driver.rules, JUnit's testcase names). */
export interface RuleDescription {
  id: string;
  /** a short name in kebab-case: shell-listening */
  name: string;
  severity: Severity;
  /** one sentence */
  summary: string;
  /** why it matters and what usually explains it */
  explanation: string;
  /** how to except it: a waiver, a policy entry */
  exception: string;
}

/** Hosts `check` could not judge: failed scans (unreachable …) are not "no findings". */
export interface UncheckedHost {
  host: string;
  groups: string[];
  status: string;
  message: string;
}

export interface FindingsResult {
  schema: 'fleetstat/findings@1';
  /** the inventory or snapshot checked; the policy file, if any */
  source: { input: string; policy: string | null; startedAt: string };
  rules: RuleDescription[];
  /** every host that was checked, in inventory order (JUnit's testcases: one per host × rule) */
  hostsChecked: Array<{ host: string; groups: string[]; location: SourceLocation | null }>;
  unchecked: UncheckedHost[];
  findings: Finding[];
  summary: { hosts: number; unchecked: number; findings: number; waived: number; bySeverity: Record<Severity, number> };
}
