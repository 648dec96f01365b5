// /proc/net/packet: AF_PACKET sockets, i.e. whatever reads link-layer frames (tcpdump, DHCP clients,
// and sniffers left behind as backdoors). net/packet/af_packet.c, packet_seq_show, alike from 2.6 to
// 6.x but for the header's padding of `sk` (to the pointer width on newer kernels):
//   sk       RefCnt Type Proto  Iface R Rmem   User   Inode
//   "%pK %-6d %-4d %04x   %-5d %1d %-6u %-6u %-6lu\n"   (%p in older kernels, 2.6.32 included)
// Left-aligned columns, so lines end in padding spaces. Proto is the ethertype in host order, lowercase.
// Columns after Inode (a `Drops` has been proposed) are not read.
import type { PacketSocketRow, PacketType, ParseContext, Parsed } from '../model/index.js';
import {
  excerpt,
  keepLastOfEachKey,
  leadingColumns,
  lineIssue,
  parseDecimal,
  parseSignedDecimal,
  tableLines,
  type LineProblem,
} from './lines.js';

/** include/linux/net.h: SOCK_DGRAM 2, SOCK_RAW 3, SOCK_PACKET 10 (the pre-2.2 interface). */
export const PACKET_TYPES: ReadonlyMap<number, PacketType> = new Map<number, PacketType>([
  [2, 'dgram'],
  [3, 'raw'],
  [10, 'packet'],
]);

/** ETH_P_ALL: the protocol of a socket that sees every frame of its interface(s). */
export const ETH_P_ALL = 0x0003;

const COLUMNS = ['sk', 'RefCnt', 'Type', 'Proto', 'Iface', 'R', 'Rmem', 'User', 'Inode'];

export function parseNetPacket(text: string, ctx: ParseContext): Parsed<PacketSocketRow> {
  const { data, issues } = tableLines(text, ctx.file, 'sk');
  const rows: Array<{ row: PacketSocketRow; key: string }> = [];
  for (const line of data) {
    const { columns, count } = leadingColumns(line.text, COLUMNS.length);
    const result = readColumns(columns, count, line.text);
    if ('problem' in result) {
      issues.push(lineIssue(ctx.file, line, result.problem));
      continue;
    }
    // a cut last line may have lost the end of its inode, unless padding or another column follows it
    if (!line.terminated && count === COLUMNS.length && !/[ \t]$/.test(line.text)) {
      issues.push(lineIssue(ctx.file, line, { kind: 'truncated-line', field: 'Inode', message: `the line may have been cut: ${excerpt(line.text)}` }));
      continue;
    }
    const row: PacketSocketRow = { ...result.row, netns: ctx.netns, source: { file: ctx.file, line: line.number } };
    // the inode is the socket; inode 0 (a socket being released) only with every column equal
    const key = row.inode !== 0 ? String(row.inode) : JSON.stringify([result.sk, row.type, row.protocol, row.ifindex, row.running, row.recvQ, row.uid]);
    rows.push({ row, key });
  }
  return { rows: keepLastOfEachKey(rows), issues: issues.done() };
}

type Columns = { row: Omit<PacketSocketRow, 'netns' | 'source'>; sk: string } | { problem: LineProblem };

function readColumns(cols: readonly string[], count: number, text: string): Columns {
  if (count === 0) return { problem: { kind: 'bad-line', message: 'blank line' } };
  if (count < COLUMNS.length) {
    return { problem: { kind: 'too-few-fields', field: COLUMNS[count], message: `${count} columns, need ${COLUMNS.length}: ${excerpt(text)}` } };
  }
  const [sk = '', , typeText = '', protoText = '', ifaceText = '', runningText = '', rmemText = '', userText = '', inodeText = ''] = cols;
  // sk (the kernel's pointer) and RefCnt are not read; sk only tells apart inode-0 rows
  const typeCode = parseDecimal(typeText);
  if (typeCode === null) return { problem: { kind: 'bad-number', field: 'Type', message: `bad Type ${excerpt(typeText)}` } };
  const type = PACKET_TYPES.get(typeCode);
  if (type === undefined) return { problem: { kind: 'unknown-state', field: 'Type', message: `socket type ${typeCode} is not a packet socket type` } };
  const protocol = /^[0-9A-Fa-f]{1,4}$/.test(protoText) ? parseInt(protoText, 16) : null;
  if (protocol === null) return { problem: { kind: 'bad-number', field: 'Proto', message: `bad Proto ${excerpt(protoText)}` } };
  // an int: -1 once the interface it was bound to is unregistered
  const ifindex = parseSignedDecimal(ifaceText);
  if (ifindex === null) return { problem: { kind: 'bad-number', field: 'Iface', message: `bad Iface ${excerpt(ifaceText)}` } };
  const running = parseDecimal(runningText);
  if (running === null) return { problem: { kind: 'bad-number', field: 'R', message: `bad R ${excerpt(runningText)}` } };
  const recvQ = parseDecimal(rmemText);
  if (recvQ === null) return { problem: { kind: 'bad-number', field: 'Rmem', message: `bad Rmem ${excerpt(rmemText)}` } };
  const uid = parseDecimal(userText);
  if (uid === null || uid > 0xffffffff) return { problem: { kind: 'bad-number', field: 'User', message: `bad User ${excerpt(userText)}` } };
  const inode = parseDecimal(inodeText);
  if (inode === null) return { problem: { kind: 'bad-number', field: 'Inode', message: `bad Inode ${excerpt(inodeText)}` } };
  return { row: { proto: 'packet', type, protocol, ifindex, running: running !== 0, recvQ, uid, inode }, sk };
}
