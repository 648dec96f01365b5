// Real captures of this project's own test sockets (fixtures/tools/make-sockets.py), with ss's view of
// the same moment saved beside them as the truth. See fixtures/README.md.
import type { InetSocketRow, ParseContext, UnixSocketRow } from '../../src/model/index.js';
import { parseFdLinks } from '../../src/parse/fd-links.js';
import { parseByteOrder } from '../../src/parse/meta.js';
import { parseNetRaw } from '../../src/parse/net-raw.js';
import { parseNetTcp } from '../../src/parse/net-tcp.js';
import { parseNetUdp } from '../../src/parse/net-udp.js';
import { parseNetUnix } from '../../src/parse/net-unix.js';
import { fixture } from './fixtures.js';
import { parseSsInet, parseSsUnix, type SsInetRow, type SsUnixRow } from '../helpers/ss-truth.js';

const DIR = 'real-loopback';
const read = (name: string): string => fixture(`${DIR}/${name}`);

const byteOrder = parseByteOrder(read('byteorder'), 'byteorder').rows[0];
const ctxOf = (table: string): ParseContext => {
  if (byteOrder === undefined) throw new Error('the capture has no byte order');
  return { file: `/proc/net/${table}`, byteOrder, netns: 'default' };
};

function parseInet(tables: Array<['tcp' | 'udp' | 'raw', boolean]>): { rows: InetSocketRow[]; issueCount: number } {
  const parsers = { tcp: parseNetTcp, udp: parseNetUdp, raw: parseNetRaw };
  const rows: InetSocketRow[] = [];
  let issueCount = 0;
  for (const [proto, v6] of tables) {
    const table = v6 ? `${proto}6` : proto;
    const parsed = parsers[proto](read(table), ctxOf(table), v6);
    rows.push(...parsed.rows);
    issueCount += parsed.issues.length;
  }
  return { rows, issueCount };
}

/** What both sides are compared on. Send-Q of a listener is its backlog limit in ss, not in /proc. */
const inetKey = (r: { proto: string; local: string; peer: string; state: string; recvQ: number; sendQ: number; inode: number | null; uid: number }): string =>
  `${r.proto} ${r.local} ${r.peer} ${r.state} recvQ=${r.recvQ} sendQ=${r.state === 'LISTEN' ? '-' : r.sendQ} ino=${r.inode} uid=${r.uid}`;
const fromProc = (r: InetSocketRow): string =>
  inetKey({ ...r, local: `${r.local.address}:${r.local.port}`, peer: `${r.remote.address}:${r.remote.port}` });
const fromSs = (r: SsInetRow): string => inetKey(r);

test('the capture was written by a little-endian host', () => {
  expect(byteOrder).toBe('little');
});

describe('tcp and udp against ss -tuanpe', () => {
  const { rows, issueCount } = parseInet([['tcp', false], ['tcp', true], ['udp', false], ['udp', true]]);
  const ss = parseSsInet(read('ss.txt'));

  test('every table parses without an issue', () => {
    expect(issueCount).toBe(0);
  });

  test('the same sockets: proto, endpoints, state, queues, inode, uid', () => {
    expect(rows.map(fromProc).sort()).toEqual(ss.map(fromSs).sort());
  });

  test('the capture holds the cases it was made for', () => {
    const keys = rows.map(fromProc);
    const has = (fragment: string): boolean => keys.some((k) => k.startsWith(fragment));
    expect(has('tcp 127.0.0.1:47100 0.0.0.0:0 LISTEN recvQ=1')).toBe(true); // one connection waiting in the backlog
    expect(has('tcp6 :::47101 :::0 LISTEN')).toBe(true);
    expect(has('tcp6 ::ffff:127.0.0.1:47101 ::ffff:127.0.0.1:')).toBe(true);
    expect(has('tcp6 ::1:47101 ::1:')).toBe(true);
    expect(rows.some((r) => r.state === 'TIME_WAIT' && r.inode === 0)).toBe(true);
    expect(rows.some((r) => r.state === 'ESTABLISHED' && r.inode === 0)).toBe(true); // not yet accept()ed
    expect(rows.some((r) => r.recvQ === 100)).toBe(true);
    expect(has('udp 127.0.0.1:47102 0.0.0.0:0 UNCONN')).toBe(true);
    expect(rows.some((r) => r.proto === 'udp' && r.state === 'ESTABLISHED' && r.remote.port === 47102)).toBe(true);
    expect(has('udp6 ::1:47103 :::0 UNCONN')).toBe(true);
    expect(rows.find((r) => r.local.port === 47104)?.drops).toBe(199);
  });
});

describe('raw against ss -wanpe', () => {
  const { rows, issueCount } = parseInet([['raw', false], ['raw', true]]);
  // ss -w prints no inode: take it from the pid/fd ss names, through the captured fd links
  const fdInode = new Map(parseFdLinks(read('fdlinks'), '/proc/*/fd').links.map((l) => [`${l.pid}/${l.fd}`, l.inode]));
  const ss = parseSsInet(read('ss-raw.txt'), 'raw').map((r) => ({
    ...r,
    inode: r.owners.map((o) => fdInode.get(`${o.pid}/${o.fd}`)).find((i) => i !== undefined) ?? null,
  }));

  test('the same sockets, the protocol number as the port', () => {
    expect(issueCount).toBe(0);
    expect(ss.every((r) => r.inode !== null)).toBe(true);
    expect(rows.map(fromProc).sort()).toEqual(ss.map(fromSs).sort());
    expect(rows.map((r) => `${r.proto}/${r.local.port}`).sort()).toEqual(['raw/1', 'raw/255', 'raw6/58']);
  });
});

describe('unix against ss -xanp', () => {
  const parsed = parseNetUnix(read('unix'), ctxOf('unix'));
  const ss = parseSsUnix(read('ss-unix.txt'));
  // ss names a connected socket ESTAB; 02/04 (no struct socket yet/any more) never reach ss
  const SS_STATE: Record<UnixSocketRow['state'], string> = {
    LISTEN: 'LISTEN',
    CONNECTED: 'ESTAB',
    UNCONN: 'UNCONN',
    CONNECTING: '(not listed by ss)',
    DISCONNECTING: '(not listed by ss)',
  };
  const fromProcUnix = (r: UnixSocketRow): string => `${r.type} ${SS_STATE[r.state]} ${JSON.stringify(r.path)} ino=${r.inode}`;
  const fromSsUnix = (r: SsUnixRow): string => `${r.type} ${r.state} ${JSON.stringify(r.path)} ino=${r.inode}`;

  test('parses without an issue', () => {
    expect(parsed.issues).toEqual([]);
  });

  test('the same sockets: type, state, path (spaces, abstract, unbound), inode', () => {
    const listedBySs = parsed.rows.filter((r) => r.inode !== 0);
    expect(listedBySs.map(fromProcUnix).sort()).toEqual(ss.map(fromSsUnix).sort());
  });

  test('the only /proc rows ss does not list are the inode-0 connections still in an accept queue', () => {
    expect(parsed.rows.filter((r) => r.inode === 0).map((r) => [r.state, r.path])).toEqual([['CONNECTING', '@fleetstat test']]);
  });

  test('the capture holds the cases it was made for', () => {
    const paths = parsed.rows.map((r) => r.path);
    expect(paths).toContain('/tmp/fleetstat test/listen sock');
    expect(paths).toContain('@fleetstat test');
    expect(paths).toContain('@fleet@stat');
    expect(paths).toContain(null);
    expect(parsed.rows.find((r) => r.path === '@fleetstat test' && r.inode !== 0)?.state).toBe('LISTEN');
    expect(parsed.rows.map((r) => r.type)).toContain('seqpacket');
  });
});

describe('fd links against the pid/fd ss shows for each socket', () => {
  const { links, unreadable, issues } = parseFdLinks(read('fdlinks'), '/proc/*/fd');
  const owned = [
    ...parseSsInet(read('ss.txt')).flatMap((r) => r.owners.map((o) => ({ ...o, inode: r.inode }))),
    ...parseSsUnix(read('ss-unix.txt')).flatMap((r) => r.owners.map((o) => ({ ...o, inode: r.inode }))),
  ];

  test('parses without an issue', () => {
    expect(issues).toEqual([]);
  });

  test('every (pid, fd, inode) ss names is a parsed link, and every link is one ss names', () => {
    // ss -w gives no inode, so raw sockets' links are checked by pid/fd only
    const rawOwners = parseSsInet(read('ss-raw.txt'), 'raw').flatMap((r) => r.owners.map((o) => `${o.pid}/${o.fd}`));
    expect(owned.length).toBeGreaterThan(30);
    expect(rawOwners).toHaveLength(3);
    const fromSsLinks = owned.map((o) => `${o.pid}/${o.fd} -> ${o.inode}`).sort();
    const parsedLinks = links.filter((l) => !rawOwners.includes(`${l.pid}/${l.fd}`)).map((l) => `${l.pid}/${l.fd} -> ${l.inode}`).sort();
    expect(parsedLinks).toEqual(fromSsLinks);
    expect(links.filter((l) => rawOwners.includes(`${l.pid}/${l.fd}`))).toHaveLength(3);
  });

  test('pid 1 here has links even root may not read (another user namespace): reported as unreadable', () => {
    expect(unreadable).toEqual([1]);
  });
});
