// Scans one host, one stage after the other: the transport runs the collection, the capture is
// split, the host view is built from it, the host's row is made. A failing host is data (a status
// and a message), never an exception.
import type { HostScan, HostSpec, RawCapture } from '../model/index.js';
import { BECOME_COMMAND, REMOTE_COMMAND, newMarker, scriptInput } from '../capture/script.js';
import { splitCapture } from '../capture/split.js';
import { buildHostView } from '../merge/host-view.js';
import type { ServiceTable } from '../merge/services.js';
import { failedHost, scannedHost, type ConnectionFacts } from '../result/host-result.js';
import { type ExecLimits, type ExecResult, type NotContacted, type Transport, TransportError } from '../transport/transport.js';

export async function scanHost(
  spec: HostSpec,
  transport: Transport | NotContacted,
  limits: ExecLimits,
  services: ServiceTable,
): Promise<HostScan> {
  if ('notContacted' in transport) return failedHost(spec, { port: transport.port }, transport.kind, transport.message);
  const connection = (): ConnectionFacts => {
    const hostKey = transport.hostKey?.();
    return { port: transport.port ?? spec.port ?? 22, ...(hostKey ? { hostKey } : {}) };
  };

  const marker = newMarker();
  let result;
  try {
    result = await transport.exec(spec.become ? BECOME_COMMAND : REMOTE_COMMAND, scriptInput(marker), limits);
  } catch (err) {
    if (err instanceof TransportError) return failedHost(spec, connection(), err.kind, err.message);
    throw err;
  } finally {
    await transport.close();
  }

  const failed = (kind: HostScan['status'], message: string) => failedHost(spec, connection(), kind, message);
  if (result.timedOut) return failed('timeout', `the collection did not finish within ${limits.deadlineMs / 1000} s (--command-timeout)`);
  const capture = splitCapture(result.stdout, marker);
  if (result.truncated) return failed('truncated', `the output passed the cap of ${limits.maxBytes} bytes (--max-bytes); nothing was parsed`);
  if (result.exitCode !== 0 || !capture.complete) return failed('exec', notCaptured(result, capture));
  return scannedHost(spec, connection(), buildHostView(capture, services));
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
