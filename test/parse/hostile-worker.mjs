// Runs one hostile input through a parser (from dist/) on a worker thread and posts back a small
// summary: the test's own thread stays free, so jest's timeout can end a parse that never returns.
import { parentPort, workerData } from 'node:worker_threads';

const p = await import(new URL('parse/index.js', workerData.dist).href);
const ctx = (file) => ({ file, byteOrder: 'little', netns: 'default' });
const many = (n, line) => {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(line(i));
  return parts.join('\n') + '\n';
};
const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const tcpRow = (inode, st = '01') =>
  `   0: 0100007F:1F90 0302010A:9C41 ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 100 0 0 10 0`;
const UNIX_HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path';

const CASES = {
  'fdlinks-unreadable': (n) => {
    const r = p.parseFdLinks(many(n, (i) => `/proc/${i + 1}/fd/:\nlrwx------ 1 0 0 64 Nov 26 14:08 3`), '/proc/*/fd');
    return { links: r.links.length, unreadable: r.unreadable.length, last: r.unreadable.at(-1), issues: r.issues.length };
  },
  'unreadable-pids': (n) => {
    const r = p.parseUnreadablePids(many(n + 1, (i) => String(Math.min(i, n - 1) + 1)), '/proc/*/fd');
    return { rows: r.rows.length, issues: r.issues.length };
  },
  'fdlinks-long-line': (n) => p.parseFdLinks(`/proc/7/fd/:\nl${' x'.repeat(n)} 9 -> socket:[5]\n`, '/proc/*/fd').links,
  'proc-links-arrows': (n) => {
    const r = p.parseProcLinks(`l${' x'.repeat(n)} /proc/7/exe -> ${'/a -> '.repeat(n)}b (deleted)\n`, '/proc/*/{exe,cwd}');
    const links = r.byPid.get(7);
    return { exeLength: links?.exe.length, exeDeleted: links?.exeDeleted, issues: r.issues.length };
  },
  'proc-links-many': (n) => {
    const r = p.parseProcLinks(many(n, (i) => `lrwxrwxrwx 1 0 0 0 Dec  2 10:00 /proc/${i + 1}/exe -> /usr/bin/x`), '/proc/*/{exe,cwd}');
    return { pids: r.byPid.size, last: r.byPid.get(n)?.exe, issues: r.issues.length };
  },
  'tcp-one-inode': (n) => {
    const r = p.parseNetTcp([TCP_HEADER, ...Array.from({ length: n }, (_, i) => tcpRow(4242, i === n - 1 ? '08' : '01'))].join('\n') + '\n', ctx('/proc/net/tcp'), false);
    return { rows: r.rows.map((x) => [x.state, x.source.line]), issues: r.issues.length };
  },
  'udp-junk': (n) => {
    const text = `${TCP_HEADER}\n${many(n, (i) => `${i}: x`)} 1: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 77 2 0 0\n`;
    const r = p.parseNetUdp(text, ctx('/proc/net/udp'), false);
    return { rows: r.rows.map((x) => x.inode), issues: r.issues.length };
  },
  'tcp-wide-line': (n) => p.parseNetTcp(`${TCP_HEADER}\n${tcpRow(9)} ${'1 '.repeat(n)}\n`, ctx('/proc/net/tcp'), false).rows.map((x) => x.inode),
  'unix-one-socket': (n) => {
    const r = p.parseNetUnix(`${UNIX_HEADER}\n${many(n, () => '0000000000000000: 00000002 00000000 00000000 0001 03 77')}`, ctx('/proc/net/unix'));
    return { rows: r.rows.length, folded: r.rows[0]?.line.foldedLines.length, issues: r.issues.length };
  },
  'unix-run-on-names': (n) => {
    const r = p.parseNetUnix(`${UNIX_HEADER}\n${many(n, (i) => `0000000000000000: 00000002 00000000 00000000 0002 01 ${i + 1} @a\nb c`)}`, ctx('/proc/net/unix'));
    return { rows: r.rows.length, runOn: r.rows.filter((x) => x.line.nameRunsOn).length, issues: r.issues.length };
  },
  'unix-forged-chain': async (n) => {
    // every row a name, each the rest of the one before: under full attribution only the first is held
    const { dropForgedUnixRows } = await import(new URL('merge/forged-unix.js', workerData.dist).href);
    const file = '/proc/net/unix';
    const r = p.parseNetUnix(`${UNIX_HEADER}\n${many(n, (i) => `0000000000000000: 00000002 00000000 00010000 0001 01 ${i + 1} @a`)}`, ctx(file));
    const issues = [];
    const [rows] = dropForgedUnixRows([{ file, rows: r.rows }], { otherTableInodes: new Set(), heldInodes: new Set([1]) }, issues);
    return { rows: rows.length, nameLines: rows[0]?.path.split('\n').length, issues: issues.length };
  },
  'unix-long-name': (n) => p.parseNetUnix(`${UNIX_HEADER}\n0000000000000000: 00000002 00000000 00000000 0001 01 77 @${'\0 '.repeat(n)}\n`, ctx('/proc/net/unix')).rows[0]?.path?.length,
  'unix-blanks': (n) => p.parseNetUnix(`${UNIX_HEADER}\n0000000000000000:${' '.repeat(n)}x\n`, ctx('/proc/net/unix')).issues.length,
  'packet-one-inode': (n) => {
    const r = p.parseNetPacket(`sk       RefCnt Type Proto  Iface R Rmem   User   Inode\n${many(n, () => '0000000000000000 3      3    0003   2     1 0      0      70001 ')}`, ctx('/proc/net/packet'));
    return { rows: r.rows.length, issues: r.issues.length };
  },
  'passwd-colons': (n) => p.parsePasswd(`a${':'.repeat(n)}\n`, '/etc/passwd').issues.length,
  'passwd-lines': (n) => p.parsePasswd(many(n, (i) => `u${i}:x:${i}:0::/:/bin/sh`), '/etc/passwd').rows.length,
  'netns-long-name': (n) => p.parseNetnsNames(`  42 ${'x'.repeat(n)}\n`, '/run/netns').rows.length,
  'netns-blanks': (n) => p.parseNetnsNames(`${' '.repeat(n)}x\n`, '/run/netns').issues.length,
};

parentPort.postMessage(await CASES[workerData.case](workerData.n));
