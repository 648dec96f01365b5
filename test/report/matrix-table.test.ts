// The matrix in a terminal: a 500-host fleet in 80 and 200 columns with no line longer than the width,
// columns that do not fit folded into further blocks (each repeating the endpoints), hosts as rows,
// hostile names escaped, and the small cases (one host, nothing scanned, nothing listening).
import { MatrixBuilder } from '../../src/merge/matrix.js';
import type { HostScan, Socket } from '../../src/model/index.js';
import type { PortMatrix } from '../../src/model/matrix.js';
import { formatMatrixTable, cellText } from '../../src/report/matrix-table.js';
import { displayWidth } from '../../src/report/text-width.js';
import { ESC_RED, facts, inet, proc } from './scan-fixtures.js';

const times = { startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:05.000Z' };

function host(name: string, sockets: Socket[], status: HostScan['status'] = 'ok'): HostScan {
  return { name, address: '127.0.0.1', port: 22, groups: [], status, facts: facts(), sockets, issues: [] };
}

const listen = (port: number, name: string, user: string, address = '0.0.0.0', proto: Socket['proto'] = 'tcp'): Socket =>
  inet({ proto, state: proto.startsWith('udp') ? 'UNCONN' : 'LISTEN', local: { address, port }, processes: [proc(port, name, user, 0)] });

/** 500 hosts: web001-400 mostly alike (every 50th runs an extra debug port), db01-50, cache01-40, 10 odd ones. */
function fleet500(): PortMatrix {
  const b = new MatrixBuilder(new Set(['tcp', 'udp']));
  const base = [listen(22, 'sshd', 'root'), listen(22, 'sshd', 'root', '::', 'tcp6'), listen(323, 'chronyd', '_chrony', '127.0.0.1', 'udp')];
  for (let i = 1; i <= 400; i++) {
    const extra = i % 50 === 0 ? [listen(9229, 'node', 'app')] : [];
    b.add(host(`web${String(i).padStart(3, '0')}`, [...base, listen(80, 'nginx', 'www-data'), listen(443, 'nginx', 'www-data'), ...extra]));
  }
  for (let i = 1; i <= 50; i++) b.add(host(`db${String(i).padStart(2, '0')}`, [...base, listen(5432, 'postgres', 'postgres', i === 7 ? '0.0.0.0' : '127.0.0.1')]));
  for (let i = 1; i <= 40; i++) b.add(host(`cache${String(i).padStart(2, '0')}.example.com`, [...base, listen(6379, 'redis-server', 'redis', '127.0.0.1')], i === 3 ? 'unreachable' : 'ok'));
  for (let i = 1; i <= 10; i++) b.add(host(`10.0.0.${i}`, [...base, listen(8000 + i, 'python3', 'deploy')]));
  return b.build(times);
}

describe('a 500-host fleet', () => {
  const matrix = fleet500();

  test.each([80, 200])('in %i columns: no line is longer, every column is named in the legend, every block has every row', (width) => {
    const text = formatMatrixTable(matrix, { width });
    const lines = text.split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    // the legend names every column's hosts whole: its lines joined again (wrapped after commas)
    const legend = text.slice(0, text.indexOf('\n\n')).replace(/\n {6}/g, '');
    matrix.columns.forEach((c, i) => expect(legend).toContain(`#${i + 1}  ${c.nodeset}  (${c.count} host`));
    // each block starts with a heading line: Proto … ; and holds one line per endpoint
    const blocks = lines.filter((l) => l.startsWith('Proto'));
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(lines.filter((l) => /^tcp +22 +0\.0\.0\.0/.test(l))).toHaveLength(blocks.length);
    expect(text).toContain('not scanned (unreachable): cache03.example.com  (1 host)');
  });

  test('80 columns folds into more blocks than 200; without a width there is one block', () => {
    const blocks = (width?: number) => formatMatrixTable(matrix, width === undefined ? {} : { width }).split('\n').filter((l) => l.startsWith('Proto')).length;
    expect(blocks(80)).toBeGreaterThan(blocks(200));
    expect(blocks()).toBe(1);
  });

  test('the folded columns: the largest set first, named as nodeset folds it', () => {
    expect(matrix.columns[0]).toMatchObject({ nodeset: expect.stringMatching(/^web\[001-049,051-/), count: 392 });
    expect(matrix.columns.reduce((n, c) => n + c.count, 0)).toBe(499);
  });

  test('hosts as rows: one line per listening set, every line within the width', () => {
    const text = formatMatrixTable(matrix, { width: 80, hostsAsRows: true });
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    const firstBlock = text.split('\n\n').find((b) => b.startsWith('Hosts'))!;
    expect(firstBlock.split('\n')).toHaveLength(1 + matrix.columns.length);
  });
});

describe('small cases and hostile names', () => {
  test('a process named with an escape sequence is shown escaped; its user too', () => {
    const b = new MatrixBuilder(new Set(['tcp']));
    b.add(host('a', [listen(80, `evil${ESC_RED}`, `u${ESC_RED}`)]));
    b.add(host(`b${ESC_RED}`, []));
    const text = formatMatrixTable(b.build(times), { width: 80 });
    expect(text).not.toContain('\x1b');
    expect(text).toContain('evil\\x1b[31m');
  });

  test('cells: several owners, no process seen, nothing', () => {
    expect(cellText({ owners: [{ process: 'nginx', user: 'root' }, { process: 'nginx', user: 'www-data' }, { process: null, user: 'root' }] })).toBe('nginx root,www-data; ? root');
    expect(cellText(null)).toBe('-');
  });

  test('nothing scanned, and nothing listening, each say so', () => {
    const none = new MatrixBuilder(new Set(['tcp']));
    none.add(host('a', [], 'unreachable'));
    expect(formatMatrixTable(none.build(times))).toContain('No host was scanned');
    const quiet = new MatrixBuilder(new Set(['tcp']));
    quiet.add(host('a', []));
    expect(formatMatrixTable(quiet.build(times))).toContain('No listening socket on any scanned host.');
  });

  test('hosts as rows: an endpoint\'s heading is proto, port and bind (its service would only be cut)', () => {
    const b = new MatrixBuilder(new Set(['tcp']));
    b.add(host('a', [{ ...listen(5432, 'postgres', 'postgres', '127.0.0.1'), service: 'postgresql' }]));
    const text = formatMatrixTable(b.build(times), { width: 80, hostsAsRows: true });
    expect(text).toMatch(/^Hosts +tcp 5432 127\.0\.0\.1$/m);
  });

  test(':: is marked as maybe dual-stack, with the note under the table', () => {
    const b = new MatrixBuilder(new Set(['tcp']));
    b.add(host('a', [listen(22, 'sshd', 'root', '::', 'tcp6')]));
    const text = formatMatrixTable(b.build(times), {});
    expect(text).toMatch(/^tcp +22 +\[::\]\* +/m);
    expect(text).toContain('* [::] may take IPv4 too');
  });
});
