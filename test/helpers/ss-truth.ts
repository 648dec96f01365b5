// `ss` output saved beside the real captures, read into the same shape as the parsed /proc rows.
// The normalising of ss's own forms (`*`, `[…]`, `%lo`, `ESTAB`, `TIME-WAIT` …) lives here in the
// tests, never in the product.

export interface SsInetRow {
  proto: string;
  local: string;
  peer: string;
  state: string;
  recvQ: number;
  sendQ: number;
  /** null when ss printed no `ino:` (ss -w does not, even with -e) */
  inode: number | null;
  /** ss -e prints uid only when it is not 0 */
  uid: number;
  owners: SsOwner[];
}

export interface SsUnixRow {
  type: string;
  state: string;
  path: string | null;
  inode: number;
  owners: SsOwner[];
}

export interface SsOwner {
  name: string;
  pid: number;
  fd: number;
}

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

/** `127.0.0.1:22`, `[::1]:22`, `*:22`, `127.0.0.53%lo:53`, `[fe80::1%eth0]:22`, `0.0.0.0:*` */
export function ssEndpoint(text: string): { address: string; port: number; v6: boolean } {
  const cut = text.lastIndexOf(':');
  if (cut === -1) throw new Error(`not an ss endpoint: ${text}`);
  let address = text.slice(0, cut);
  const portText = text.slice(cut + 1);
  const bracketed = address.startsWith('[') && address.endsWith(']');
  if (bracketed) address = address.slice(1, -1);
  address = address.replace(/%.*$/, ''); // interface scope: not in /proc
  // ss prints `*` for the IPv6 wildcard of a socket that is not v6only
  const star = address === '*';
  if (star) address = '::';
  const port = portText === '*' ? 0 : Number(portText);
  if (!Number.isInteger(port)) throw new Error(`bad ss port in ${text}`);
  return { address, port, v6: bracketed || star || address.includes(':') };
}

function owners(rest: string): SsOwner[] {
  return [...rest.matchAll(/\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=(\d+)\)/g)].map((m) => ({
    name: m[1] ?? '',
    pid: Number(m[2]),
    fd: Number(m[3]),
  }));
}

function state(text: string, line: string): string {
  const s = SS_STATES[text];
  if (s === undefined) throw new Error(`unknown ss state ${text} in: ${line}`);
  return s;
}

/** `ss -tuanpe` (netid first) or `ss -wanpe` (no netid column: pass the netid to use). */
export function parseSsInet(output: string, netid?: string): SsInetRow[] {
  const rows: SsInetRow[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '' || /^(Netid|State)\s/.test(line)) continue;
    const cols = line.trim().split(/\s+/);
    const [proto, st, recvQ, sendQ, localText, peerText] = netid === undefined ? cols : [netid, ...cols];
    if (proto === undefined || st === undefined || recvQ === undefined || sendQ === undefined || localText === undefined || peerText === undefined) {
      throw new Error(`short ss line: ${line}`);
    }
    const local = ssEndpoint(localText);
    const peer = ssEndpoint(peerText);
    const inode = /\bino:(\d+)/.exec(line);
    rows.push({
      proto: proto + (local.v6 ? '6' : ''),
      local: `${local.address}:${local.port}`,
      peer: `${peer.address}:${peer.port}`,
      state: state(st, line),
      recvQ: Number(recvQ),
      sendQ: Number(sendQ),
      inode: inode === null ? null : Number(inode[1]),
      uid: Number(/\buid:(\d+)/.exec(line)?.[1] ?? 0),
      owners: owners(line),
    });
  }
  return rows;
}

const UNIX_NETIDS: Record<string, string> = { u_str: 'stream', u_dgr: 'dgram', u_seq: 'seqpacket' };

/**
 * `ss -xanp`: `u_str LISTEN 0 4 /tmp/a b 12443 * 0 users:((…))`. The local name may contain spaces,
 * so the line is read from both ends: the name is what lies between the queues and ` INODE * PEER`.
 * Our captures only have `*` as the peer name (ss shows peers by inode).
 */
export function parseSsUnix(output: string): SsUnixRow[] {
  const rows: SsUnixRow[] = [];
  const LINE = /^(u_\w+)\s+(\S+)\s+\d+\s+\d+\s+(.*?) (\d+)\s+\* (\d+)\s*(users:.*)?$/;
  for (const line of output.split('\n')) {
    if (line.trim() === '' || line.startsWith('Netid')) continue;
    const m = LINE.exec(line.trimEnd());
    if (m === null) throw new Error(`unreadable ss -x line: ${line}`);
    const [, netid = '', st = '', name = '', inode = ''] = m;
    const type = UNIX_NETIDS[netid];
    if (type === undefined) throw new Error(`unknown unix netid ${netid}`);
    const path = name.trimStart();
    rows.push({ type, state: st, path: path === '*' ? null : path, inode: Number(inode), owners: owners(m[6] ?? '') });
  }
  return rows;
}
