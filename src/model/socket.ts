// Sockets as parsed from one /proc/net table, and as merged into a host's view.
import type { ByteOrder } from './capture.js';

export type InetProto = 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'raw' | 'raw6';
export type Proto = InetProto | 'unix';

/** netstat's names. TCP: ESTABLISHED … LISTEN; UDP/raw: UNCONN or ESTABLISHED; unix: see UnixState. */
export type TcpState =
  | 'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'TIME_WAIT'
  | 'CLOSE' | 'CLOSE_WAIT' | 'LAST_ACK' | 'LISTEN' | 'CLOSING' | 'NEW_SYN_RECV';
export type UnixState = 'LISTEN' | 'UNCONN' | 'CONNECTING' | 'CONNECTED' | 'DISCONNECTING';
export type UnixType = 'stream' | 'dgram' | 'seqpacket' | 'raw' | 'rdm';

export interface InetEndpoint {
  /** IPv4 dotted; IPv6 RFC 5952; IPv4-mapped as ::ffff:a.b.c.d */
  address: string;
  /** for raw sockets: the IP protocol number */
  port: number;
}

/** Where a row came from, for error messages and dedupe. */
export interface RowSource {
  file: string;
  line: number;
}

/** What every parser is told about the capture it reads. */
export interface ParseContext {
  /** the file as named on the host, used in issues */
  file: string;
  /** the captured host's byte order: /proc/net addresses are written in it */
  byteOrder: ByteOrder;
  /** label of the network namespace the table was read from */
  netns: string;
}

export interface InetSocketRow {
  proto: InetProto;
  state: TcpState | 'UNCONN';
  local: InetEndpoint;
  remote: InetEndpoint;
  recvQ: number;
  sendQ: number;
  uid: number;
  /** 0 for TIME_WAIT and request sockets: never a join key */
  inode: number;
  /** udp and raw only */
  drops?: number;
  netns: string;
  source: RowSource;
}

export interface UnixSocketRow {
  proto: 'unix';
  type: UnixType;
  state: UnixState;
  /** null when unbound; abstract names start with '@' */
  path: string | null;
  refCount: number;
  flags: number;
  inode: number;
  netns: string;
  source: RowSource;
}

export type SocketRow = InetSocketRow | UnixSocketRow;

export type Direction = 'listen' | 'inbound' | 'outbound' | 'unknown';

export interface ProcessRef {
  pid: number;
  /** comm, as the kernel keeps it (at most 15 bytes) */
  name: string;
  /** effective uid, null when unreadable */
  uid: number | null;
  /** user name from the host's passwd, null when the uid has no entry */
  user: string | null;
  /** argv, as /proc/PID/cmdline has it (NUL-separated); empty for kernel threads or when unreadable */
  cmdline: string[];
}

export interface UnixPath {
  path: string | null;
}

/** One socket of one host as the JSON contract (`fleetstat/scan@1`) shows it. */
export interface Socket {
  proto: Proto;
  state: string;
  local: InetEndpoint | UnixPath;
  /** null for unix sockets: /proc/net/unix does not name the peer */
  remote: InetEndpoint | null;
  /** unix only */
  type?: UnixType;
  recvQ: number;
  sendQ: number;
  /** the socket's owner as the kernel reports it; null for unix (not in /proc/net/unix) */
  uid: number | null;
  inode: number;
  netns: string;
  processes: ProcessRef[];
  direction: Direction;
  service?: string;
}
