// A real capture of packet, ping and UDP-Lite sockets (fixtures/real-families, made by
// fixtures/tools/capture-families.sh in a namespace of its own), read against ss -0anpe for the
// packet sockets and against what the socket maker recorded of each socket (truth.json: inode from
// fstat, address from getsockname) for the rest: ss shows neither ping nor UDP-Lite sockets.
import type { ByteOrder, ParseContext } from '../../src/model/index.js';
import { parseByteOrder } from '../../src/parse/meta.js';
import { parseNetIcmp } from '../../src/parse/net-icmp.js';
import { parseNetPacket } from '../../src/parse/net-packet.js';
import { parseNetUdp } from '../../src/parse/net-udp.js';
import { parseNetUdplite } from '../../src/parse/net-udplite.js';
import { fixture } from './fixtures.js';

const read = (name: string): string => fixture(`real-families/${name}`);
const byteOrder = parseByteOrder(read('byteorder'), 'byteorder').rows[0] as ByteOrder;
const ctxOf = (table: string): ParseContext => ({ file: `/proc/net/${table}`, byteOrder, netns: 'default' });

interface Truth {
  kind: string;
  inode: number;
  type?: string;
  protocol?: number;
  ifindex?: number;
  running?: boolean;
  state?: string;
  local?: [string, number];
  remote?: [string, number];
}
const truth = JSON.parse(read('truth.json')) as Truth[];
const of = (kind: string): Truth[] => truth.filter((t) => t.kind === kind);

/** One socket of `ss -0anpe`: `p_raw UNCONN 0 0 [2048]:lo * users:(…) ino:N sk:…` and its `flags( running )` line. */
function ssPackets(text: string): Array<{ type: string; recvQ: number; protocol: string; iface: string; inode: number; running: boolean }> {
  const rows = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const m = /^(p_raw|p_dgr)\s+\S+\s+(\d+)\s+\d+\s+(\S+):(\S+)\s+\*.*\bino:(\d+)/.exec(lines[i] ?? '');
    if (!m) continue;
    rows.push({
      type: m[1] === 'p_raw' ? 'raw' : 'dgram',
      recvQ: Number(m[2]),
      protocol: m[3] ?? '',
      iface: m[4] ?? '',
      inode: Number(m[5]),
      running: /flags\( running \)/.test(lines[i + 1] ?? ''),
    });
  }
  return rows;
}

test('the capture was written by a little-endian host', () => {
  expect(byteOrder).toBe('little');
});

describe('/proc/net/packet against ss -0anpe', () => {
  const { rows, issues } = parseNetPacket(read('packet'), ctxOf('packet'));
  const ss = ssPackets(read('ss-packet.txt'));

  test('parses without an issue, every socket ss lists', () => {
    expect(issues).toEqual([]);
    expect(ss).toHaveLength(4);
    expect(rows.map((r) => r.inode).sort()).toEqual(ss.map((s) => s.inode).sort());
  });

  test('type, Recv-Q, running, and the protocol as ss names it ([decimal], * for ETH_P_ALL)', () => {
    const byInode = new Map(ss.map((s) => [s.inode, s]));
    for (const r of rows) {
      const s = byInode.get(r.inode);
      expect([r.type, r.recvQ, r.running, r.protocol === 3 ? '*' : `[${r.protocol}]`]).toEqual([s?.type, s?.recvQ, s?.running, s?.protocol]);
      // ss names the interface; lo's index is what the maker bound to
      expect(r.ifindex === 0 ? '*' : r.ifindex).toEqual(s?.iface === '*' ? '*' : of('packet').find((t) => t.inode === r.inode)?.ifindex);
    }
  });

  test('what the maker opened: a sniffer on lo, an IPv4 dgram, one never given a protocol, an IPv6 one on lo', () => {
    const mean = (t: { type?: string; protocol?: number; ifindex?: number; running?: boolean; inode: number }) => [t.inode, t.type, t.protocol, t.ifindex, t.running];
    expect(rows.map(mean)).toEqual(of('packet').map(mean));
  });
});

describe('ping and UDP-Lite sockets against what the maker recorded', () => {
  const parsed = {
    icmp: parseNetIcmp(read('icmp'), ctxOf('icmp'), false),
    icmp6: parseNetIcmp(read('icmp6'), ctxOf('icmp6'), true),
    udplite: parseNetUdplite(read('udplite'), ctxOf('udplite'), false),
    udplite6: parseNetUdplite(read('udplite6'), ctxOf('udplite6'), true),
    udp: parseNetUdp(read('udp'), ctxOf('udp'), false),
  };

  test.each(Object.keys(parsed) as Array<keyof typeof parsed>)('%s: no issue; proto, state, endpoints and inode as opened', (table) => {
    const { rows, issues } = parsed[table];
    expect(issues).toEqual([]);
    const want = of(table).map((t) => [table, t.state, t.local?.join(':'), (t.remote ?? [table.endsWith('6') ? '::' : '0.0.0.0', 0]).join(':'), t.inode]);
    expect(rows.map((r) => [r.proto, r.state, `${r.local.address}:${r.local.port}`, `${r.remote.address}:${r.remote.port}`, r.inode])).toEqual(want);
    expect(want.length).toBeGreaterThan(0);
  });

  test('a udp and a UDP-Lite socket on the same port: two protocols, two port spaces', () => {
    expect(parsed.udp.rows[0]?.local).toEqual(parsed.udplite.rows[0]?.local);
    expect([parsed.udp.rows[0]?.proto, parsed.udplite.rows[0]?.proto]).toEqual(['udp', 'udplite']);
  });
});
