// ss's rows and fleetstat's sockets in one comparable form: `proto local peer state [name/pid…]`.
// ss's own forms are normalised in ss-truth.ts, in the tests, never in the product.
import type { Socket } from '../../src/model/index.js';
import { parseSsInet } from './ss-truth.js';

export interface Row {
  proto: string;
  local: string;
  peer: string;
  state: string;
  /** `name/pid`, sorted, each once */
  processes: string[];
}

export function rowKey(row: Row): string {
  return `${row.proto} ${row.local} ${row.peer} ${row.state} [${row.processes.join(',')}]`;
}

/** `ss -tuanp` or `ss -tuanpH` output. */
export function parseSs(output: string): Row[] {
  return parseSsInet(output).map((r) => ({
    proto: r.proto,
    local: r.local,
    peer: r.peer,
    state: r.state,
    processes: [...new Set(r.owners.map((o) => `${o.name}/${o.pid}`))].sort(),
  }));
}

/** The sockets `ss -tuan` lists: tcp and udp (udplite, icmp, raw, packet, unix and other take other flags). */
export function ssTuanLists(socket: Socket): boolean {
  return ['tcp', 'tcp6', 'udp', 'udp6'].includes(socket.proto);
}

export function fleetstatRow(socket: Socket): Row {
  if (socket.remote === null || socket.local === null || !('address' in socket.local)) throw new Error(`not an inet socket: ${socket.proto}`);
  return {
    proto: socket.proto,
    local: `${socket.local.address}:${socket.local.port}`,
    peer: `${socket.remote.address}:${socket.remote.port}`,
    state: socket.state,
    processes: [...new Set(socket.processes.map((p) => `${p.name}/${p.pid}`))].sort(),
  };
}
