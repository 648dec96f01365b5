// One host's run, in two halves that a snapshot sits between:
// - collectHost: the transport runs the collection; what it ends with is the host's outcome (I/O);
// - hostFromOutcome: the outcome's bytes are split, parsed and merged into the host's row (pure).
// A replay of a snapshot calls only the second, with the saved outcome: today's parsers on old bytes.
// Whatever goes wrong on one host stays on that host's row: a failing host is data, never an exception.
import type { ExecResult, HostOutcome, HostScan, HostSpec, RawCapture } from '../model/index.js';
import { BECOME_COMMAND, REMOTE_COMMAND, newMarker, scriptInput, type CollectionWanted } from '../capture/script.js';
import { splitCapture } from '../capture/split.js';
import { buildHostView, type HostView } from '../merge/host-view.js';
import type { ServiceTable } from '../merge/services.js';
import { failedHost, scannedHost, type ConnectionFacts } from '../result/host-result.js';
import { LocalResourceError } from '../local/resource-error.js';
import { type ExecLimits, type NotContacted, type Transport, TransportError } from '../transport/transport.js';

/** Runs the collection on one host and keeps what came back, whatever it was. */
export async function collectHost(spec: HostSpec, transport: Transport | NotContacted, limits: ExecLimits, wanted: CollectionWanted = {}): Promise<HostOutcome> {
  if ('notContacted' in transport) return { kind: 'not-contacted', port: transport.port, status: transport.kind, message: transport.message };
  const connection = (): ConnectionFacts => {
    const hostKey = transport.hostKey?.();
    return { port: transport.port ?? spec.port ?? 22, ...(hostKey ? { hostKey } : {}) };
  };
  const marker = newMarker();
  try {
    // the collection ends itself on the host at the same deadline, also if this side never comes back
    const exec = await transport.exec(spec.become ? BECOME_COMMAND : REMOTE_COMMAND, scriptInput(marker, Math.ceil(limits.deadlineMs / 1000), wanted), limits);
    return { kind: 'ran', ...connection(), marker, exec, deadlineMs: limits.deadlineMs };
  } catch (err) {
    // no file descriptors left: every later host would fail the same way, so the run ends
    if (err instanceof LocalResourceError) throw err;
    if (err instanceof TransportError && err.kind === 'interrupted') return { kind: 'interrupted', ...connection(), started: true, message: err.message };
    if (err instanceof TransportError) return { kind: 'failed', ...connection(), status: err.kind, message: err.message };
    // a library's surprise (ssh2 throwing where it should have called back): this host's failure alone
    return { kind: 'failed', ...connection(), status: 'exec', message: `fleetstat failed on this host (please report it): ${describe(err)}` };
  } finally {
    await transport.close().catch(() => {});
  }
}

export interface ViewBuilder {
  (capture: RawCapture, services: ServiceTable): HostView;
}

/** The host's row from its outcome: what the transport said, or the capture parsed and merged. Pure. */
export function hostFromOutcome(spec: HostSpec, outcome: HostOutcome, services: ServiceTable, build: ViewBuilder = buildHostView): HostScan {
  const row = hostRow(spec, outcome, services, build);
  // where the inventory names the host: findings are anchored there (not part of scan@1)
  return spec.definedAt ? { ...row, definedAt: spec.definedAt } : row;
}

function hostRow(spec: HostSpec, outcome: HostOutcome, services: ServiceTable, build: ViewBuilder): HostScan {
  const connection: ConnectionFacts = { port: outcome.port, ...(outcome.kind !== 'not-contacted' && outcome.hostKey ? { hostKey: outcome.hostKey } : {}) };
  switch (outcome.kind) {
    case 'not-contacted':
    case 'failed':
      return failedHost(spec, connection, outcome.status, outcome.message);
    case 'interrupted':
      return failedHost(spec, connection, 'interrupted', outcome.message);
    case 'ran':
      break;
  }
  const { exec, marker, deadlineMs } = outcome;
  const failed = (kind: HostScan['status'], message: string) => failedHost(spec, connection, kind, message);
  if (exec.timedOut) return failed('timeout', `the collection did not finish within ${deadlineMs / 1000} s (--command-timeout)`);
  // checked before anything is decoded: a truncated capture is never parsed, nor even split
  if (exec.truncated) return failed('truncated', `the output passed the cap of ${exec.stdout.length} bytes (--max-bytes); nothing was parsed`);
  try {
    const capture = splitCapture(exec.stdout, marker);
    if (exec.exitCode !== 0 || !capture.complete) return failed('exec', notCaptured(exec, capture));
    return scannedHost(spec, connection, build(capture, services));
  } catch (err) {
    // a parser's bug on odd input: this host's row says so, every other host is unaffected
    return failed('parse', `fleetstat could not read this host's capture (a bug: please report it): ${describe(err)}`);
  }
}

/** The two halves together, for one host. */
export async function scanHost(spec: HostSpec, transport: Transport | NotContacted, limits: ExecLimits, services: ServiceTable): Promise<HostScan> {
  return hostFromOutcome(spec, await collectHost(spec, transport, limits), services);
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0]!.slice(0, 300);
}

/** What came back instead of a whole capture, in words: how far it got, how it ended, its stderr. */
function notCaptured(result: ExecResult, capture: RawCapture): string {
  const ended =
    result.exitCode !== null ? `exit status ${result.exitCode}` :
    result.signal !== null ? `killed by ${result.signal}` :
    'no exit status: the connection was lost';
  const stderr = firstLine(result.stderr);
  const because = stderr ? `: ${stderr}` : '';
  const sections = capture.sections.length;
  if (sections === 0 && result.exitCode === 0) {
    // the command that ran was not the collection (a ForceCommand, a shell that is not sh, a banner)
    const stdout = firstLine(result.stdout.subarray(0, 4096).toString('utf8'));
    return `the output is not a fleetstat capture (no start marker; ${ended}): ${stdout || stderr || 'it printed nothing'}`;
  }
  if (sections === 0) return `the collection failed before its first section (${ended})${because}`;
  if (!capture.complete) return `the capture stops after ${sections} ${sections === 1 ? 'section' : 'sections'}, before its end marker (${ended})${because}`;
  return `the capture is complete, but the collection ended with ${ended}${because}`;
}

/** The first non-blank line, cut to a readable length (outputs escape it). */
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 200);
}
