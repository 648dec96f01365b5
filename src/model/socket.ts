// Sockets as parsed from one /proc/net table, and as merged into a host's view.
import type { ByteOrder } from './capture.js';

export type InetProto =
  | 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'udplite' | 'udplite6' | 'raw' | 'raw6'
  // ping sockets (SOCK_DGRAM + IPPROTO_ICMP/ICMPV6): the "port" is the echo identifier
  | 'icmp' | 'icmp6';
/** `other`: a socket a process holds that no table the collection reads lists (netlink, vsock, …). */
export type Proto = InetProto | 'unix' | 'packet' | 'other';

/** netstat's names. TCP: ESTABLISHED … LISTEN; UDP/raw: UNCONN or ESTABLISHED; unix: see UnixState. */
export type TcpState =
  | 'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'TIME_WAIT'
  | 'CLOSE' | 'CLOSE_WAIT' | 'LAST_ACK' | 'LISTEN' | 'CLOSING' | 'NEW_SYN_RECV';
export type UnixState = 'LISTEN' | 'UNCONN' | 'CONNECTING' | 'CONNECTED' | 'DISCONNECTING';
export type UnixType = 'stream' | 'dgram' | 'seqpacket' | 'raw' | 'rdm';
/** AF_PACKET sockets: SOCK_RAW (link-level header included), SOCK_DGRAM (cooked), SOCK_PACKET (obsolete). */
export type PacketType = 'raw' | 'dgram' | 'packet';

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

/** A line of /proc/net/packet: `sk RefCnt Type Proto Iface R Rmem User Inode`. */
export interface PacketSocketRow {
  proto: 'packet';
  type: PacketType;
  /** the Proto column: the ethertype the socket receives, in host order (3 = ETH_P_ALL, every protocol) */
  ethertype: number;
  /** the Iface column: the interface index it is bound to, 0 for every interface */
  ifindex: number;
  /** the R column: the socket is hooked into the receive path */
  running: boolean;
  /** bytes waiting in its receive buffer */
  rmem: number;
  uid: number;
  inode: number;
  netns: string;
  source: RowSource;
}

export type SocketRow = InetSocketRow | UnixSocketRow | PacketSocketRow;

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

/** Where a packet socket listens: which ethertype, on which interface (ss -0 shows `proto:iface`). */
export interface PacketEndpoint {
  ethertype: number;
  /** 0: every interface */
  ifindex: number;
}

/** One socket of one host as the JSON contract (`fleetstat/scan@1`) shows it. */
export interface Socket {
  proto: Proto;
  state: string;
  /** null for `other` sockets: no table says anything of them but their inode */
  local: InetEndpoint | UnixPath | PacketEndpoint | null;
  /** null for unix (/proc/net/unix does not name the peer), packet and other sockets */
  remote: InetEndpoint | null;
  /** unix and packet only */
  type?: UnixType | PacketType;
  recvQ: number;
  sendQ: number;
  /** the socket's owner as the kernel reports it; null for unix (not in /proc/net/unix) and other */
  uid: number | null;
  /** the name of `uid` in the host's passwd (netstat -e's User), null when none; absent means null */
  user?: string | null;
  inode: number;
  /** for `other` sockets: the namespace of the processes holding it (no table says the socket's own) */
  netns: string;
  processes: ProcessRef[];
  direction: Direction;
  service?: string;
  /** the collection's own session (sshd's end of its connection, sockets only the session's processes
   *  hold): changes on every run; kept, but to be left out of comparisons. Absent otherwise. */
  collector?: true;
}
