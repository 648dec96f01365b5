// Sockets as parsed from one /proc/net table, and as merged into a host's view.
import type { ByteOrder } from './capture.js';

/** The /proc/net table a row was read from. icmp/icmp6 are ping sockets (net/ipv4/ping.c): their "port" is the echo identifier. */
export type InetProto =
  | 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'udplite' | 'udplite6' | 'raw' | 'raw6' | 'icmp' | 'icmp6';
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
  /** for raw sockets: the IP protocol number; for icmp/icmp6 (ping) sockets: the echo identifier */
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
  /** datagram tables only, and only where the kernel prints it (none on 2.6.18: see fixtures/README.md) */
  drops?: number;
  netns: string;
  source: RowSource;
}

export interface UnixSocketRow {
  proto: 'unix';
  type: UnixType;
  state: UnixState;
  /** null when unbound; abstract names start with '@' (and their NUL bytes are shown as '@') */
  path: string | null;
  refCount: number;
  flags: number;
  inode: number;
  netns: string;
  source: RowSource;
  /** what the parser could see of where this line came from: the file's line structure is not trustworthy */
  line: UnixLineFacts;
}

/**
 * /proc/net/unix prints names raw, so a name holding a newline ends a line early and its remainder
 * becomes a line of its own, which a local user can make look like any row (a fake `LISTEN
 * /run/docker.sock`). These are the facts one file shows; weighing them (with fd links, shared
 * inodes) is for the host view.
 */
export interface UnixLineFacts {
  /** `Num` without its colon: zeros (kptr_restrict), a hashed or a real kernel pointer; 16 hex digits on 64-bit kernels, 8 on 32-bit */
  num: string;
  /** the line is exactly what the kernel's `%pK: %08X %08X %08X %04X %02X %5lu[ name]` prints (lowercase Num, padding, single spaces) */
  kernelLayout: boolean;
  /**
   * the line may be the tail of an earlier row's name: it lies, with every line between, within the
   * 108 bytes a name can have (UNIX_PATH_MAX). false: it certainly starts where the kernel began a row.
   */
  mayBeNameTail: boolean;
  /** the line just before was not a row: a fragment, most likely the rest of a name that held a newline */
  afterFragment: boolean;
  /** the line just after is a fragment: this row's name held a newline, so `path` is only its first line */
  nameRunsOn: boolean;
  /** the other lines of the same file that printed this socket and were folded into this row */
  foldedLines: number[];
  /**
   * present exactly when mayBeNameTail: each earlier row whose name this line may continue (its 108
   * bytes reach this line, every line between counted in), the nearest first
   */
  tailOf?: UnixNameTail[];
  /** present when some of foldedLines may be name tails: those lines, each with its own tailOf */
  foldedTails?: UnixFoldedTail[];
}

/** One way to read a line that may be the tail of a name: as part of the name of the row on line `of`. */
export interface UnixNameTail {
  /** the line of the earlier row with a name */
  of: number;
  /** what that name then has after the row's `path`: every line after the row's, through this one, each after a newline (NULs as '@', as in `path`) */
  rest: string;
}

/** A print folded into a row (see UnixLineFacts.foldedLines) that may be the tail of a name. */
export interface UnixFoldedTail {
  line: number;
  tailOf: UnixNameTail[];
}

/** One line of /proc/net/packet (net/packet/af_packet.c, packet_seq_show): an AF_PACKET socket. */
export interface PacketSocketRow {
  proto: 'packet';
  type: PacketType;
  /** the link-layer protocol it receives (ETH_P_*): 0x0003 ETH_P_ALL is every frame (a sniffer); 0 receives nothing until bound */
  protocol: number;
  /** the interface it is bound to; 0: every interface; -1: the interface it was bound to is gone */
  ifindex: number;
  /** R: its hook is registered, i.e. frames are being delivered to it */
  running: boolean;
  /** Rmem: bytes queued for reading (ss shows it as Recv-Q) */
  recvQ: number;
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
  /** the fds of this process that hold this socket, ascending (0: its stdin); absent when not known */
  fds?: number[];
  /** /proc/PID/exe: the executable's path, without the ` (deleted)` the kernel appends to an unlinked one; absent when not known */
  exe?: string;
  /** the executable was unlinked (/proc/PID/exe ends in ` (deleted)`); absent otherwise */
  exeDeleted?: true;
  /** /proc/PID/cwd as the kernel prints it (a directory since removed ends in ` (deleted)`); absent when not known */
  cwd?: string;
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
