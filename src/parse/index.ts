// The /proc parsers: pure functions, text in, rows and issues out.
export { splitLines, keepLastOfEachKey, type TextLine } from './lines.js';
export { decodeInetAddress, decodePort, formatIpv6 } from './inet-address.js';
export { parseInetTable, parseInetLine, duplicateKey, type InetTableSpec, type InetState } from './net-inet.js';
export { parseNetTcp, TCP_STATES } from './net-tcp.js';
export { parseNetUdp, DATAGRAM_STATES } from './net-udp.js';
export { parseNetUdplite } from './net-udplite.js';
export { parseNetRaw } from './net-raw.js';
export { parseNetIcmp } from './net-icmp.js';
export { parseNetUnix, UNIX_TYPES, UNIX_STATES, UNIX_FLAG_LISTENING, UNIX_NAME_MAX } from './net-unix.js';
export { parseNetPacket, PACKET_TYPES, ETH_P_ALL } from './net-packet.js';
export { INET_TABLES, UNIX_TABLE, PACKET_TABLE, type InetTableParser } from './tables.js';
export { parseFdLinks, parseUnreadablePids, type FdLink } from './fd-links.js';
export { parseCmdline, parseComm, parseUid } from './process.js';
export { parseProcLinks, type ProcessLinks } from './proc-links.js';
export { parsePasswd, type PasswdEntry } from './passwd.js';
export { parseByteOrder, parsePortRange, parseNetnsNames, type PortRange, type NetnsName } from './meta.js';
