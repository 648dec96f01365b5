// Picks the transport for a host.
import type { HostScan, HostSpec } from '../model/index.js';
import { localTransport } from './local.js';
import type { Transport } from './transport.js';

export function transportFor(spec: HostSpec): Transport | HostScan {
  if (spec.connection === 'local') return localTransport();
  // SSH arrives with the fleet issue (#3); until then an ssh host is reported, not silently dropped.
  const message = 'ssh connections are not supported yet: only ansible_connection: local hosts can be scanned';
  return { name: spec.name, address: spec.address, port: spec.port ?? 22, groups: spec.groups, status: 'exec', error: { kind: 'exec', message }, sockets: [], issues: [] };
}
