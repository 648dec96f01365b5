// Scans one host: run the script through its transport, split, build the host's view.
// A failing host is data (a status and a message), never an exception.
import type { HostScan, HostSpec, HostStatus } from '../model/index.js';
import { buildHostView } from '../merge/host-view.js';
import type { ServiceTable } from '../merge/services.js';
import { type ExecLimits, type Transport, TransportError } from '../transport/transport.js';
import { BECOME_COMMAND, REMOTE_COMMAND, newMarker, scriptInput } from './script.js';
import { splitCapture } from './split.js';

/** A host that yielded no sockets: its status and why. */
export function failedScan(spec: HostSpec, port: number, kind: HostStatus, message: string): HostScan {
  return { name: spec.name, address: spec.address, port, groups: spec.groups, status: kind, error: { kind, message }, sockets: [], issues: [] };
}

export async function scanHost(spec: HostSpec, transport: Transport, limits: ExecLimits, services: ServiceTable): Promise<HostScan> {
  const port = transport.port ?? spec.port ?? 22;
  const hostKey = () => {
    const seen = transport.hostKey?.();
    return seen ? { hostKey: seen } : {};
  };
  const failed = (kind: HostStatus, message: string): HostScan => ({ ...failedScan(spec, port, kind, message), ...hostKey() });

  const marker = newMarker();
  let result;
  try {
    result = await transport.exec(spec.become ? BECOME_COMMAND : REMOTE_COMMAND, scriptInput(marker), limits);
  } catch (err) {
    if (err instanceof TransportError) return failed(err.kind, err.message);
    throw err;
  } finally {
    await transport.close();
  }

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

  const view = buildHostView(capture, services);
  const unreadable = view.facts.attribution === 'partial';
  const status: HostStatus = view.sockets.length === 0 && view.issues.length > 0 ? 'parse' : view.issues.length > 0 || unreadable ? 'partial' : 'ok';
  return {
    name: spec.name,
    address: spec.address,
    port,
    groups: spec.groups,
    status,
    ...(status === 'parse' ? { error: { kind: status, message: view.issues[0]?.message ?? 'nothing could be parsed' } } : {}),
    ...hostKey(),
    facts: view.facts,
    sockets: view.sockets,
    issues: view.issues,
  };
}
