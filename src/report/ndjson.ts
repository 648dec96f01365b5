// NDJSON (`--format ndjson`): one `fleetstat/socket@1` record per line (schema/socket-v1.schema.json),
// one line per socket with its host inlined, and one line with `socket: null` for a host without
// sockets (failed, or nothing found), as CSV gives such a host one row. Each line stands alone, so
// `grep`, `jq -c 'select(.socket.state == "LISTEN")'` and log shippers can take it line by line.
// Host and socket are written exactly as in the scan@1 document (json.ts's copies); the host's facts
// and issues are left to that document.
import type { Writable } from 'node:stream';
import type { HostScan, Socket } from '../model/index.js';
import { terminalSafeJson } from './escape.js';
import { hostHeadOut, socketOut } from './json.js';
import type { FormatWriter } from './output.js';
import { writeChunk } from './write.js';

export const SOCKET_RECORD_SCHEMA = 'fleetstat/socket@1';

/** The host's fields every one of its lines carries. */
type HostOfRecord = Pick<HostScan, 'name' | 'address' | 'port' | 'groups' | 'status' | 'error' | 'hostKey'>;

export interface SocketRecord {
  schema: typeof SOCKET_RECORD_SCHEMA;
  host: HostOfRecord;
  socket: Socket | null;
}

/** A host's lines, one at a time, each ending with a newline. */
function* ndjsonLines(host: HostScan): Generator<string> {
  const { name, address, port, groups, status, error, hostKey } = hostHeadOut(host);
  const inlined: HostOfRecord = { name, address, port, groups, status, ...(error ? { error } : {}), ...(hostKey ? { hostKey } : {}) };
  const line = (socket: Socket | null) => `${terminalSafeJson(JSON.stringify({ schema: SOCKET_RECORD_SCHEMA, host: inlined, socket } satisfies SocketRecord))}\n`;
  if (host.sockets.length === 0) yield line(null);
  for (const socket of host.sockets) yield line(socketOut(socket));
}

/** Lines are gathered to about this many characters per write: fewer, bigger writes. */
const BATCH = 64 * 1024;

export function openNdjsonWriter(out: Writable): FormatWriter {
  return {
    start: async () => {},
    host: async (scan) => {
      let batch = '';
      for (const line of ndjsonLines(scan)) {
        batch += line;
        if (batch.length >= BATCH) {
          await writeChunk(out, batch);
          batch = '';
        }
      }
      await writeChunk(out, batch);
    },
    end: async () => {},
  };
}

