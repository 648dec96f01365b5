// ss output as the truth, and fleetstat's JSON, both turned into one comparable row form:
// `proto local peer state names`. The normalising of ss's forms (`*`, brackets, `%lo`, ESTAB…)
// lives here in the tests, never in the product.
import type { Socket } from '../../src/model/index.js';

const SS_STATES: Record<string, string> = {
  ESTAB: 'ESTABLISHED',
  LISTEN: 'LISTEN',
  UNCONN: 'UNCONN',
  'TIME-WAIT': 'TIME_WAIT',
  'CLOSE-WAIT': 'CLOSE_WAIT',
  'SYN-SENT': 'SYN_SENT',
  'SYN-RECV': 'SYN_RECV',
  'FIN-WAIT-1': 'FIN_WAIT1',
  'FIN-WAIT-2': 'FIN_WAIT2',
  'LAST-ACK': 'LAST_ACK',
  CLOSING: 'CLOSING',
  CLOSE: 'CLOSE',
};

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

/** `127.0.0.1:22` `[::1]:22` `*:22` `127.0.0.53%lo:53` `0.0.0.0:*` → {address, port, v6} */
function ssEndpoint(text: string): { address: string; port: number; v6: boolean } {
  const cut = text.lastIndexOf(':');
  let address = text.slice(0, cut);
  const port = text.slice(cut + 1);
  address = address.replace(/%[^\]]*$/, '').replace(/%[^\]]*\]$/, ']');
  if (address.startsWith('[')) address = address.slice(1, -1);
  // ss prints `*` for the IPv6 wildcard of a dual-stack socket
  if (address === '*') address = '::';
  return { address: address.toLowerCase(), port: port === '*' ? 0 : Number(port), v6: address.includes(':') };
}

/** One line of `ss -tuanpH` (or -tuanp with a header, which is skipped). */
export function parseSsLine(line: string): Row | null {
  const cols = line.trim().split(/\s+/);
  if (cols.length < 6 || cols[0] === 'Netid') return null;
  const [netid, state, , , localText, peerText] = cols as [string, string, string, string, string, string];
  const local = ssEndpoint(localText);
  const peer = ssEndpoint(peerText);
  const processes = [...line.matchAll(/\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=\d+\)/g)].map((m) => `${m[1]}/${m[2]}`);
  const mappedState = SS_STATES[state];
  if (!mappedState) throw new Error(`unknown ss state ${state} in: ${line}`);
  return {
    proto: netid + (local.v6 ? '6' : ''),
    local: `${local.address}:${local.port}`,
    peer: `${peer.address}:${peer.port}`,
    state: mappedState,
    processes: [...new Set(processes)].sort(),
  };
}

export function parseSs(output: string): Row[] {
  return output
    .split('\n')
    .map(parseSsLine)
    .filter((r): r is Row => r !== null);
}

export function fleetstatRow(socket: Socket): Row {
  if (socket.remote === null || !('address' in socket.local)) throw new Error(`not an inet socket: ${socket.proto}`);
  return {
    proto: socket.proto,
    local: `${socket.local.address}:${socket.local.port}`,
    peer: `${socket.remote.address}:${socket.remote.port}`,
    state: socket.state,
    processes: [...new Set(socket.processes.map((p) => `${p.name}/${p.pid}`))].sort(),
  };
}
