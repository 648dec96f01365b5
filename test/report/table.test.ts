import type { ScanResult } from '../../src/model/index.js';
import { formatInetEndpoint, formatTable, PARTIAL_ATTRIBUTION_NOTE } from '../../src/report/table.js';
import { displayWidth } from '../../src/report/text-width.js';
import { db1, fleet, gw1, inet, proc, scan, web1 } from './scan-fixtures.js';

const plain = { color: false };

function lines(result: ScanResult, opts: { color: boolean; width?: number } = plain): string[] {
  const text = formatTable(result, opts);
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

/** The display column where `title` starts in `header`. */
function columnStart(header: string, title: string): number {
  return displayWidth(header.slice(0, header.indexOf(title)));
}

describe('formatTable', () => {
  it('prints one host like netstat -tulpen / -xp, without Host or Netns column', () => {
    expect(lines(scan([web1()]))).toEqual([
      'Active Internet connections',
      'Proto Recv-Q Send-Q Local Address Foreign Address State       User            PID/Program name',
      'tcp        0    128 0.0.0.0:22    0.0.0.0:*       LISTEN      root            812/sshd',
      'tcp6       0    511 [::]:80       [::]:*          LISTEN      root            1234/nginx,1235/nginx',
      'udp        0      0 127.0.0.53:53 0.0.0.0:*       UNCONN      systemd-resolve 501/systemd-resolve',
      'tcp        0      0 10.0.0.5:22   192.0.2.7:51234 ESTABLISHED root            9001/sshd',
      'Active UNIX domain sockets',
      'Proto Type   State     I-Node User PID/Program name Path',
      'unix  STREAM LISTEN    15     root 1/systemd        /run/systemd/private',
      'unix  DGRAM  CONNECTED 16     -    -',
    ]);
  });

  it('leads with Host when there are several hosts, then Netns when a socket is outside `default`', () => {
    const out = lines(fleet());
    expect(out[2]).toBe('Active Internet connections');
    expect(out[3]).toBe('Host Netns   Proto Recv-Q Send-Q Local Address Foreign Address State       User            PID/Program name');
    expect(out[4]).toBe('web1 default tcp        0    128 0.0.0.0:22    0.0.0.0:*       LISTEN      root            812/sshd');
    expect(out[9]).toBe('db1  ctr1    tcp        0      0 0.0.0.0:8080  0.0.0.0:*       LISTEN      1000            4243/\\x1b[31mevil');
    expect(out[10]).toBe('db1  default udp6       0      0 [::]:5353     [::]:*          UNCONN      108             -');
    expect(out).toContain('Host Netns   Proto Type   State     I-Node User    PID/Program name Path');

    const twoHostsNoNetns = lines(scan([web1(), gw1()]));
    expect(twoHostsNoNetns[1]).toMatch(/^Host Proto Recv-Q/);
    const oneHostWithNetns = lines(scan([db1()]));
    expect(oneHostWithNetns[2]).toMatch(/^Netns   Proto Recv-Q/);
  });

  it('writes addresses as ss -n: IPv6 in brackets, `*` for port 0', () => {
    expect(formatInetEndpoint({ address: '127.0.0.1', port: 22 })).toBe('127.0.0.1:22');
    expect(formatInetEndpoint({ address: '0.0.0.0', port: 0 })).toBe('0.0.0.0:*');
    expect(formatInetEndpoint({ address: '::', port: 0 })).toBe('[::]:*');
    expect(formatInetEndpoint({ address: '::', port: 22 })).toBe('[::]:22'); // never ss's `*:22`: /proc does not say v6only
    expect(formatInetEndpoint({ address: '::1', port: 631 })).toBe('[::1]:631');
    expect(formatInetEndpoint({ address: '2001:db8::1', port: 8444 })).toBe('[2001:db8::1]:8444');
    expect(formatInetEndpoint({ address: '::ffff:10.0.0.1', port: 443 })).toBe('[::ffff:10.0.0.1]:443');
  });

  it('escapes every remote string: process names, paths, host names, error messages', () => {
    const host = db1();
    host.name = 'db\x1b]0;owned\x07';
    const text = formatTable(scan([host, gw1()]), plain);
    expect(text.replace(/\n/g, '')).not.toMatch(/\p{Cc}/u);
    expect(text).toContain('4243/\\x1b[31mevil');
    expect(text).toContain('/tmp/evil\\nsock "quoted", here');
    expect(text).toContain('db\\x1b]0;owned\\x07 ');
    expect(text).toContain('gw1: unreachable: connect ECONNREFUSED 10.0.0.1:22\\x1b[2J\n');
  });

  it('lists failed hosts and unreadable lines after the tables', () => {
    const out = lines(fleet());
    expect(out.slice(-2)).toEqual([
      'db1: 1 unreadable line in /proc files (details in the JSON output)',
      'gw1: unreachable: connect ECONNREFUSED 10.0.0.1:22\\x1b[2J',
    ]);
  });

  it("prints netstat's note when attribution is partial, and names the hosts in a fleet", () => {
    expect(lines(scan([db1()]))[0]).toBe(PARTIAL_ATTRIBUTION_NOTE);
    expect(PARTIAL_ATTRIBUTION_NOTE).toBe(
      '(Not all processes could be identified, non-owned process info will not be shown, you would have to be root to see it all.)',
    );
    expect(lines(fleet()).slice(0, 2)).toEqual([PARTIAL_ATTRIBUTION_NOTE, '(hosts: db1)']);
    expect(formatTable(scan([web1()]), plain)).not.toContain('Not all processes');
  });

  it('prints only the header for a fleet where nothing could be scanned', () => {
    expect(lines(scan([gw1()]))).toEqual([
      'Active Internet connections',
      'Proto Recv-Q Send-Q Local Address Foreign Address State User PID/Program name',
      'gw1: unreachable: connect ECONNREFUSED 10.0.0.1:22\\x1b[2J',
    ]);
  });

  it('aligns columns by display width when names hold wide Unicode characters', () => {
    const out = lines(fleet());
    const header = out[3] ?? '';
    const row = out.find((l) => l.includes('日本db')) ?? '';
    expect(displayWidth(row.slice(0, row.indexOf('700/')))).toBe(columnStart(header, 'PID/Program name'));
    expect(displayWidth(row.slice(0, row.indexOf('LISTEN')))).toBe(columnStart(header, 'State'));
  });

  it('styles only the header and LISTEN when color is on, nothing when off', () => {
    const colored = lines(scan([web1()]), { color: true });
    expect(colored[1]).toBe('\x1b[1mProto Recv-Q Send-Q Local Address Foreign Address State       User            PID/Program name\x1b[0m');
    expect(colored[2]).toBe('tcp        0    128 0.0.0.0:22    0.0.0.0:*       \x1b[32mLISTEN\x1b[0m      root            812/sshd');
    expect(colored[5]).toBe('tcp        0      0 10.0.0.5:22   192.0.2.7:51234 ESTABLISHED root            9001/sshd');
    expect(formatTable(fleet(), plain)).not.toContain('\x1b');
  });

  it('cuts PID/Program name first to honour a width, never addresses', () => {
    const host = web1();
    host.sockets.push(
      inet({
        proto: 'tcp', state: 'LISTEN', local: { address: '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff', port: 65535 }, remote: { address: '::', port: 0 },
        processes: Array.from({ length: 40 }, (_, i) => proc(2000 + i, 'php-fpm', 'www-data', 33)),
      }),
    );
    const wide = lines(scan([host]));
    expect(Math.max(...wide.map(displayWidth))).toBeGreaterThan(300); // no width: nothing cut

    const out = lines(scan([host]), { color: false, width: 130 });
    for (const line of out) expect(displayWidth(line)).toBeLessThanOrEqual(130);
    const v6 = '[2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff]:65535';
    expect(out.join('\n')).toContain(`${v6} [::]:*`);
    const cut = out.find((l) => l.includes('2001:db8')) ?? '';
    expect(cut).toMatch(/ 2000\/php-fpm,2001\/…$/);
    expect(displayWidth(cut)).toBe(130);
    expect(out).toContain(`tcp        0    128 ${'0.0.0.0:22'.padEnd(v6.length)} 0.0.0.0:*       LISTEN      root            812/sshd`);
  });

  it('fits a fleet into 80 columns: cuts free text, then leaves out the queues (and says so); no line wraps', () => {
    const out = lines(fleet(), { color: false, width: 80 });
    for (const line of out) expect([line, displayWidth(line) <= 80]).toEqual([line, true]);
    expect(out).toContain('Host Netns   Proto Local Address Foreign Address State       User     PID/Progr…');
    expect(out).toContain('web1 default udp   127.0.0.53:53 0.0.0.0:*       UNCONN      systemd… 501/syste…');
    expect(out).toContain('web1 default tcp   10.0.0.5:22   192.0.2.7:51234 ESTABLISHED root     9001/sshd');
    expect(out).toContain('(Recv-Q and Send-Q are left out to fit the terminal: -W, or a wider terminal,');
    // the notes are wrapped at a space, not cut
    expect(out.slice(0, 2)).toEqual([
      '(Not all processes could be identified, non-owned process info will not be',
      'shown, you would have to be root to see it all.)',
    ]);
    // the unix section fits with its queues-free columns as they are
    expect(out).toContain('Host Netns   Proto Type   State     I-Node User    PID/Program n… Path');
  });

  it('narrower still: the Host column becomes a heading per host, rather than a cut name', () => {
    const host = (name: string) => ({ ...web1(), name });
    const out = lines(scan([host('web-frontend-01.prod.example.com'), host('web-frontend-02.prod.example.com')]), { color: false, width: 80 });
    for (const line of out) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    const headings = out.filter((l) => l.startsWith('web-frontend-'));
    expect(headings).toEqual(['web-frontend-01.prod.example.com:', 'web-frontend-02.prod.example.com:', 'web-frontend-01.prod.example.com:', 'web-frontend-02.prod.example.com:']);
    expect(out[1]).toBe('Proto Local Address Foreign Address State       User            PID/Program name');
    expect(out[2]).toBe('web-frontend-01.prod.example.com:');
    expect(out[3]).toBe('tcp   0.0.0.0:22    0.0.0.0:*       LISTEN      root            812/sshd');
  });

  it('on a tiny terminal every line is cut at its edge, with …', () => {
    const out = lines(scan([web1()]), { color: false, width: 20 });
    for (const line of out) expect(displayWidth(line)).toBeLessThanOrEqual(20);
    expect(out).toContain('tcp   0.0.0.0:22   …');
    expect(out.slice(0, 2)).toEqual(['Active Internet', 'connections']); // titles and notes wrap at a space
  });

  it('with colour, a cut line loses its styling rather than a half escape sequence', () => {
    const out = lines(scan([web1()]), { color: true, width: 20 });
    expect(out[2]).toBe('\x1b[1mProto Local Address…\x1b[0m');
    for (const line of out) expect(line.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/\x1b/);
  });
});

describe('formatTable: the scan\'s own session', () => {
  it('leaves its sockets out, and says how many (the JSON and CSV list them, marked collector)', () => {
    const host = web1();
    host.sockets.push(
      inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: 22 }, remote: { address: '192.0.2.9', port: 40022 }, processes: [proc(7001, 'sshd', 'root', 0)], collector: true }),
      inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: 22 }, remote: { address: '192.0.2.9', port: 40023 }, processes: [proc(7002, 'sshd', 'root', 0)], collector: true }),
    );
    const out = lines(scan([host]));
    expect(out.join('\n')).not.toContain('192.0.2.9');
    expect(out).toContain('(2 sockets of the scan\'s own session are not shown: --json and --format csv list them, marked collector.)');
    expect(lines(scan([web1()])).join('\n')).not.toContain('own session');
  });
});

describe('formatTable: host keys', () => {
  it('warns first, when any host key was not checked', () => {
    const unchecked = { ...web1(), hostKey: { type: 'ssh-ed25519', fingerprint: `SHA256:${'A'.repeat(43)}`, check: 'unchecked' as const } };
    expect(lines(scan([unchecked, db1()]))[0]).toBe(
      'WARNING: host keys were NOT checked (--insecure-no-host-key-check) for 1 host: a man in the middle would go unseen.',
    );
    expect(lines(scan([web1()]))[0]).not.toContain('WARNING');
  });
});
