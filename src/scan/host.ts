// Scans one host, one stage after the other: the transport runs the collection, the capture is
// split, the host view is built from it, the host's row is made. A failing host is data (a status
// and a message), never an exception.
import type { HostScan, HostSpec } from '../model/index.js';
import { BECOME_COMMAND, REMOTE_COMMAND, newMarker, scriptInput } from '../capture/script.js';
import { splitCapture } from '../capture/split.js';
import { buildHostView } from '../merge/host-view.js';
import type { ServiceTable } from '../merge/services.js';
import { failedHost, scannedHost, type ConnectionFacts } from '../result/host-result.js';
import { type ExecLimits, type NotContacted, type Transport, TransportError } from '../transport/transport.js';

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
  if (result.timedOut) return failed('timeout', `the collection did not finish within ${limits.deadlineMs} ms`);
  const capture = splitCapture(result.stdout, marker);
  if (result.truncated) return failed('truncated', `the output passed the cap of ${limits.maxBytes} bytes; nothing was parsed`);
  if (result.exitCode !== 0 || !capture.complete) {
    const why =
      result.exitCode !== null ? `exit status ${result.exitCode}` :
      result.signal !== null ? `killed by ${result.signal}` :
      'no exit status: the connection was lost';
    const stderr = result.stderr.trim().split('\n')[0] ?? '';
    return failed('exec', `the collection script failed (${why})${stderr ? `: ${stderr}` : ''}`);
  }
  return scannedHost(spec, connection(), buildHostView(capture, services));
}
