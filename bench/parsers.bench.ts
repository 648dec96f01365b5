// Parser throughput (MB/s of /proc text), issue 10's part a: /proc/net/tcp of 10k and 100k sockets as
// the kernel prints them (get_tcp4_sock's layout), /proc/net/unix, and the fd-link listing. Prints
// figures beside the target (200 MB/s of tcp text); asserts nothing about time.
import { parseNetTcp } from '../src/parse/net-tcp.js';
import { parseNetUnix } from '../src/parse/net-unix.js';
import { parseFdLinks } from '../src/parse/fd-links.js';
import { printTable } from './print.js';

const TARGET_MBPS = 200;
const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

/** /proc/net/tcp with `count` sockets: a few listeners, the rest established, as tcp4_seq_show prints them. */
export function tcpText(count: number): string {
  const lines = ['  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     '];
  for (let i = 0; i < count; i++) {
    const listening = i < 16;
    const local = `${hex(0x0100007f, 8)}:${hex(listening ? 8000 + i : 40000 + (i % 20000), 4)}`;
    const remote = listening ? '00000000:0000' : `${hex(0x0100007f + (i % 200) * 0x01000000, 8)}:${hex(443, 4)}`;
    lines.push(`${String(i).padStart(4)}: ${local} ${remote} ${listening ? '0A' : '01'} 00000000:00000000 00:00000000 00000000  1000        0 ${100000 + i} 1 0000000000000000 20 4 30 10 -1                     `);
  }
  return `${lines.join('\n')}\n`;
}

function unixText(count: number): string {
  const lines = ['Num       RefCount Protocol Flags    Type St Inode Path'];
  for (let i = 0; i < count; i++) lines.push(`0000000000000000: 00000002 00000000 00000000 0001 03 ${200000 + i}${i % 3 === 0 ? ` /run/app/worker-${i}.sock` : ''}`);
  return `${lines.join('\n')}\n`;
}

function fdText(processes: number, fdsEach: number): string {
  const lines: string[] = [];
  for (let p = 0; p < processes; p++) {
    lines.push(`/proc/${1000 + p}/fd:`);
    for (let fd = 0; fd < fdsEach; fd++) lines.push(`lrwx------ 1 0 0 64 Dec  2 10:00 ${fd} -> socket:[${100000 + p * fdsEach + fd}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** MB/s over enough repetitions to take about a second (after one warm-up pass). */
function throughput(text: string, parse: (text: string) => unknown): { mbps: number; ms: number } {
  parse(text);
  const bytes = Buffer.byteLength(text);
  let runs = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 1e9 || runs < 3) {
    parse(text);
    runs += 1;
    elapsed = Number(process.hrtime.bigint() - started);
  }
  const seconds = elapsed / 1e9 / runs;
  return { mbps: bytes / 1e6 / seconds, ms: seconds * 1000 };
}

test('parser throughput', () => {
  const ctx = { file: '/proc/net/tcp', byteOrder: 'little' as const, netns: 'default' };
  const cases: Array<[string, string, (t: string) => unknown]> = [
    ['tcp, 10k sockets', tcpText(10_000), (t) => parseNetTcp(t, ctx, false)],
    ['tcp, 100k sockets', tcpText(100_000), (t) => parseNetTcp(t, ctx, false)],
    ['unix, 100k sockets', unixText(100_000), (t) => parseNetUnix(t, { ...ctx, file: '/proc/net/unix' })],
    ['fd links, 1k processes x 100', fdText(1000, 100), (t) => parseFdLinks(t, 'fdlinks')],
  ];
  const rows = cases.map(([label, text, parse]) => {
    const { mbps, ms } = throughput(text, parse);
    return [label, `${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB`, `${ms.toFixed(1)} ms`, `${mbps.toFixed(0)} MB/s`, label.startsWith('tcp') ? `target >= ${TARGET_MBPS} MB/s${mbps >= TARGET_MBPS ? '' : ' (not met)'}` : ''];
  });
  process.stdout.write('\nparser throughput (one pass, median of ~1 s of passes)\n');
  printTable(['text', 'size', 'per pass', 'throughput', ''], rows);
});
