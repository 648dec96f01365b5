// Stand-ins for parsers that belong in src/parse/ and are being written there on another branch
// (packet, udplite, icmp), and for the /proc/PID/status and mountinfo lines the script now sends.
// Each has the shape expected of its parse/ counterpart — `(text, ctx[, v6]) => Parsed<Row>` — so that
// wiring the real one in is a change of import in tables.ts (or attribution.ts), nothing else.
import type { InetSocketRow, PacketSocketRow, PacketType, ParseContext, ParseIssue, Parsed } from '../model/index.js';
import { parseNetUdp } from '../parse/net-udp.js';
import { excerpt, lineIssue, parseDecimal, parseHex, splitLines, tableLines } from '../parse/lines.js';

/** /proc/net/udplite{,6}: udp's format (net/ipv4/udplite.c registers udp4_seq_show). */
export function parseNetUdplite(text: string, ctx: ParseContext, v6: boolean): Parsed<InetSocketRow> {
  return withProto(parseNetUdp(text, ctx, v6), v6 ? 'udplite6' : 'udplite');
}

/** /proc/net/icmp{,6}: ping sockets, udp's format (ping_v4_format_sock); the port is the echo id. */
export function parseNetIcmp(text: string, ctx: ParseContext, v6: boolean): Parsed<InetSocketRow> {
  return withProto(parseNetUdp(text, ctx, v6), v6 ? 'icmp6' : 'icmp');
}

function withProto(parsed: Parsed<InetSocketRow>, proto: InetSocketRow['proto']): Parsed<InetSocketRow> {
  return { rows: parsed.rows.map((row) => ({ ...row, proto })), issues: parsed.issues };
}

const PACKET_TYPES: ReadonlyMap<number, PacketType> = new Map<number, PacketType>([
  [2, 'dgram'],
  [3, 'raw'],
  [10, 'packet'],
]);
const PACKET_COLUMNS = ['sk', 'RefCnt', 'Type', 'Proto', 'Iface', 'R', 'Rmem', 'User', 'Inode'];

/**
 * /proc/net/packet (net/packet/af_packet.c packet_seq_show):
 *   `%pK %-6d %-4d %04x   %-5d %1d %-6u %-6u %-8lu` — sk RefCnt Type Proto Iface R Rmem User Inode.
 */
export function parseNetPacket(text: string, ctx: ParseContext): Parsed<PacketSocketRow> {
  const { data, issues } = tableLines(text, ctx.file, 'sk');
  const rows: PacketSocketRow[] = [];
  const seen = new Set<number>();
  for (const line of data) {
    const cols = line.text.trim() === '' ? [] : line.text.trim().split(/\s+/);
    const bad = (kind: ParseIssue['kind'], field: string | undefined, why: string) =>
      issues.push(lineIssue(ctx.file, line, { kind, ...(field === undefined ? {} : { field }), message: `${why}: ${excerpt(line.text)}` }));
    if (cols.length < PACKET_COLUMNS.length) {
      bad('too-few-fields', PACKET_COLUMNS[cols.length], `${cols.length} columns, need ${PACKET_COLUMNS.length}`);
      continue;
    }
    const [sk = '', , typeText = '', protoText = '', ifaceText = '', runningText = '', rmemText = '', userText = '', inodeText = ''] = cols;
    const typeCode = parseDecimal(typeText);
    const type = typeCode === null ? undefined : PACKET_TYPES.get(typeCode);
    const ethertype = /^[0-9a-fA-F]{4}$/.test(protoText) ? parseHex(protoText) : null;
    const ifindex = parseDecimal(ifaceText);
    const rmem = parseDecimal(rmemText);
    const uid = parseDecimal(userText);
    const inode = parseDecimal(inodeText);
    // sk is a kernel pointer (%pK): 64 bits do not fit a JS number, and nothing needs its value
    if (!/^[0-9a-fA-F]{1,16}$/.test(sk)) bad('bad-number', 'sk', `bad sk "${sk}"`);
    else if (typeCode === null) bad('bad-number', 'Type', `bad Type "${typeText}"`);
    else if (type === undefined) bad('unknown-state', 'Type', `unknown packet socket type ${typeText}`);
    else if (ethertype === null) bad('bad-number', 'Proto', `bad Proto "${protoText}"`);
    else if (ifindex === null) bad('bad-number', 'Iface', `bad Iface "${ifaceText}"`);
    else if (runningText !== '0' && runningText !== '1') bad('bad-number', 'R', `bad R "${runningText}"`);
    else if (rmem === null) bad('bad-number', 'Rmem', `bad Rmem "${rmemText}"`);
    else if (uid === null) bad('bad-number', 'User', `bad User "${userText}"`);
    else if (inode === null) bad('bad-number', 'Inode', `bad Inode "${inodeText}"`);
    else if (!seen.has(inode) || inode === 0) {
      // a non-atomic read may print a socket twice: its inode is its identity
      seen.add(inode);
      rows.push({ proto: 'packet', type, ethertype, ifindex, running: runningText === '1', rmem, uid, inode, netns: ctx.netns, source: { file: ctx.file, line: line.number } });
    }
  }
  return { rows, issues };
}

/**
 * The Name: of /proc/PID/status: comm with `\n` and `\\` escaped by the kernel
 * (proc_task_name → seq_escape_str(…, "\n\\")), so it is always one line.
 */
export function unescapeStatusName(text: string): string {
  return text.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export interface StatusSummary {
  name: string | null;
  /** a VmSize: line: the process has memory (a kernel thread or a zombie has none, and no fds either) */
  hasMemory: boolean;
}

/** `grep -H -e '^Name:' -e '^VmSize:'` over /proc/PID/status files: `/proc/PID/status:Name:\tcomm`. */
export function parseStatusLines(text: string): Map<number, StatusSummary> {
  const byPid = new Map<number, StatusSummary>();
  for (const line of splitLines(text)) {
    const m = /^\/proc\/([0-9]{1,10})\/status:(Name|VmSize):\t?(.*)$/.exec(line.text);
    const pid = parseDecimal(m?.[1] ?? '');
    if (m === null || pid === null) continue; // grep's own output: nothing else can appear here
    const summary = byPid.get(pid) ?? { name: null, hasMemory: false };
    if (m[2] === 'Name') summary.name = unescapeStatusName(m[3] ?? '');
    else summary.hasMemory = true;
    byPid.set(pid, summary);
  }
  return byPid;
}

export interface ProcMount {
  mountPoint: string;
  /** per-mount and super-block options together, e.g. rw, relatime, hidepid=invisible, gid=27 */
  options: string[];
}

/**
 * The proc lines of /proc/self/mountinfo:
 *   `22 27 0:21 / /proc rw,relatime shared:12 - proc proc rw,hidepid=invisible`
 * (the mount point's spaces are written `\040`). Lines that do not have this form are skipped: they
 * came from the kernel through grep and only the /proc mount's options matter here.
 */
export function parseProcMounts(text: string): ProcMount[] {
  const mounts: ProcMount[] = [];
  for (const line of splitLines(text)) {
    const [left = '', right] = line.text.split(' - ');
    if (right === undefined) continue;
    const fields = left.split(' ');
    const [fstype, , superOptions = ''] = right.split(' ');
    if (fstype !== 'proc' || fields.length < 6) continue;
    const mountPoint = (fields[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    mounts.push({ mountPoint, options: [...(fields[5] ?? '').split(','), ...superOptions.split(',')] });
  }
  return mounts;
}
