// A host's row in the scan result, from whatever its scan ended with: a transport outcome that
// yielded no capture, or a host view built from one. Pure.
import type { HostKeySeen, HostScan, HostSpec, HostStatus } from '../model/index.js';
import type { HostView } from '../merge/host-view.js';

/** What is known of the connection whatever the outcome: the port used and the host key accepted. */
export interface ConnectionFacts {
  port: number;
  hostKey?: HostKeySeen;
}

/** A host that yielded no sockets: its status and why. */
export function failedHost(spec: HostSpec, connection: ConnectionFacts, kind: HostStatus, message: string): HostScan {
  return {
    name: spec.name,
    address: spec.address,
    port: connection.port,
    groups: spec.groups,
    status: kind,
    error: { kind, message },
    ...(connection.hostKey ? { hostKey: connection.hostKey } : {}),
    sockets: [],
    issues: [],
  };
}

/**
 * A host whose capture was read: `parse` when nothing could be made of it (a capture format this
 * fleetstat does not read included), `partial` when some lines or some processes could not be read
 * (or were hidden), else `ok`.
 */
export function scannedHost(spec: HostSpec, connection: ConnectionFacts, view: HostView): HostScan {
  const unreadable = view.facts?.attribution === 'partial';
  const nothing = view.facts === undefined || (view.sockets.length === 0 && view.issues.length > 0);
  const status: HostStatus = nothing ? 'parse' : view.issues.length > 0 || unreadable ? 'partial' : 'ok';
  return {
    name: spec.name,
    address: spec.address,
    port: connection.port,
    groups: spec.groups,
    status,
    ...(status === 'parse' ? { error: { kind: status, message: view.issues[0]?.message ?? 'nothing could be parsed' } } : {}),
    ...(connection.hostKey ? { hostKey: connection.hostKey } : {}),
    ...(view.facts ? { facts: view.facts } : {}),
    sockets: view.sockets,
    issues: view.issues,
  };
}
