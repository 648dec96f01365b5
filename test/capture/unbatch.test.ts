// Format 4's batched sections come back as the one-file sections of format 3, byte for byte: a
// namespace's tables from one `head`, the holders' names, uids and cmdlines from one grep each. The
// splitting must hold where a table is empty, absent, unread (its reader gone, or head failing), cut
// off, and where a unix path holds a line that looks like head's header; a cmdline must come back
// exact for every byte, through this machine's real GNU grep and busybox grep.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NET_TABLES } from '../../src/capture/format.js';
import { HEAD_TABLE_ORDER, MAX_UNSEEN_HOLDERS, unbatchSections } from '../../src/capture/unbatch.js';
import type { CaptureSection } from '../../src/model/index.js';
import { parseCmdline } from '../../src/parse/process.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';

const ok = (name: string, text: string, arg = ''): CaptureSection => ({ name, arg, status: 'ok', text });

/** What `head -n N /dev/null T…` prints for these tables (POSIX: a blank line before every header but the first). */
const headOf = (tables: Array<[string, string]>) => ['==> /dev/null <==\n', ...tables.map(([t, bytes]) => `\n==> ${t} <==\n${bytes}`)].join('');

const TCP = '  sl  local_address rem_address   st\n   0: 0100007F:0016 00000000:0000 0A\n';
const UNIX = 'Num       RefCount Protocol Flags    Type St Inode Path\n0000000000000000: 00000002 00000000 00010000 0001 01 7 /run/a\n';

const tablesOf = (sections: readonly CaptureSection[]) => Object.fromEntries(sections.filter((s) => s.name.startsWith('net.')).map((s) => [s.name, [s.status, s.text]]));

describe('a namespace\'s tables from one head', () => {
  test('every table exact, in the format\'s order, absent ones absent, an empty one empty', () => {
    const present = HEAD_TABLE_ORDER.filter((t) => t !== 'udplite' && t !== 'udplite6');
    const bytes = Object.fromEntries(present.map((t) => [t, t === 'tcp' ? TCP : t === 'unix' ? UNIX : t === 'raw6' ? '' : `${t} header\n`]));
    const { sections, issues } = unbatchSections(
      [ok('net.absent', 'udplite udplite6', 'self'), ok('net.tables', headOf(present.map((t) => [t, bytes[t]!])), 'self')],
      true,
    );
    expect(issues).toEqual([]);
    expect(sections.map((s) => s.name)).toEqual(NET_TABLES.map((t) => `net.${t}`));
    expect(sections.every((s) => s.arg === 'self')).toBe(true);
    expect(tablesOf(sections)).toEqual(
      Object.fromEntries(NET_TABLES.map((t) => [`net.${t}`, t.startsWith('udplite') ? ['absent', ''] : ['ok', bytes[t]]])),
    );
  });

  test('a table whose last line has no newline keeps it so', () => {
    const { sections } = unbatchSections([ok('net.absent', ''), ok('net.tables', headOf([...HEAD_TABLE_ORDER].map((t) => [t, t === 'tcp' ? 'no newline' : 'x\n'])))], true);
    expect(sections.find((s) => s.name === 'net.tcp')?.text).toBe('no newline');
  });

  test('a header-like line in a unix path is unix\'s, and forges no table', () => {
    const forged = `${UNIX}0000000000000000: 00000002 00000000 00010000 0001 01 8 /tmp/x\n\n==> tcp <==\n   0: 0100007F:1F90 00000000:0000 0A\n`;
    const { sections, issues } = unbatchSections([ok('net.absent', ''), ok('net.tables', headOf(HEAD_TABLE_ORDER.map((t) => [t, t === 'unix' ? forged : t === 'tcp' ? TCP : ''])))], true);
    expect(issues).toEqual([]);
    expect(sections.find((s) => s.name === 'net.tcp')?.text).toBe(TCP);
    expect(sections.find((s) => s.name === 'net.unix')?.text).toBe(forged);
  });

  test('a header-like line in unix cannot stand for a table head never reached', () => {
    // tcp6 failed to open (no header); unix's forged tcp6 header must not take unix's bytes
    const forged = `${UNIX}\n==> tcp6 <==\nfake\n`;
    const tables = HEAD_TABLE_ORDER.filter((t) => t !== 'tcp6').map((t): [string, string] => [t, t === 'unix' ? forged : '']);
    const { sections } = unbatchSections([ok('net.absent', ''), { ...ok('net.tables', headOf(tables)), status: 'error' }], true);
    expect(tablesOf(sections)['net.tcp6']).toEqual(['error', '']);
    expect(tablesOf(sections)['net.unix']).toEqual(['ok', forged]);
  });

  test('tables head never reached are gone when the reader exited, else unreadable', () => {
    const some = headOf([['tcp', TCP]]);
    for (const status of ['gone', 'error'] as const) {
      const { sections } = unbatchSections([ok('net.absent', '', '4026532001'), { ...ok('net.tables', some, '4026532001'), status }], true);
      expect(tablesOf(sections)['net.tcp']).toEqual(['ok', TCP]);
      expect(tablesOf(sections)['net.udp']).toEqual([status, '']);
      expect(tablesOf(sections)['net.unix']).toEqual([status, '']);
    }
  });

  test('cut off inside a table: that table is an error, the ones before it are whole, the rest unread', () => {
    const cut = headOf([['tcp', TCP], ['tcp6', 'half a li']]);
    const { sections } = unbatchSections([ok('net.absent', ''), { ...ok('net.tables', cut), status: 'error' }], false);
    expect(tablesOf(sections)['net.tcp']).toEqual(['ok', TCP]);
    expect(tablesOf(sections)['net.tcp6']).toEqual(['error', 'half a li']);
    expect(tablesOf(sections)['net.udp']).toEqual(['error', '']);
  });

  test('listening only (L=1): tcp and tcp6 from net.listening, the rest from net.tables, none unread', () => {
    const rest = HEAD_TABLE_ORDER.filter((t) => t !== 'tcp' && t !== 'tcp6' && t !== 'raw6');
    const { sections, issues } = unbatchSections(
      [
        ok('net.absent', 'raw6', '4026532001'),
        ok('net.tables', headOf(rest.map((t) => [t, t === 'unix' ? UNIX : ''])), '4026532001'),
        ok('net.listening', headOf([['tcp', TCP], ['tcp6', '  sl  local_address\n']]), '4026532001'),
      ],
      true,
    );
    expect(issues).toEqual([]);
    expect(sections.map((s) => s.name)).toEqual(NET_TABLES.map((t) => `net.${t}`));
    const tables = tablesOf(sections);
    expect(tables['net.tcp']).toEqual(['ok', TCP]);
    expect(tables['net.tcp6']).toEqual(['ok', '  sl  local_address\n']);
    expect(tables['net.unix']).toEqual(['ok', UNIX]);
    expect(tables['net.raw6']).toEqual(['absent', '']);
    expect(Object.values(tables).filter(([status]) => status === 'error')).toEqual([]);
  });

  test('output that is not head\'s is an issue, and no table is read from it', () => {
    const { sections, issues } = unbatchSections([ok('net.absent', ''), ok('net.tables', 'garbage\n==> tcp <==\n')], true);
    expect(issues).toEqual([expect.objectContaining({ kind: 'bad-line', file: '(net.tables )' })]);
    expect(tablesOf(sections)['net.tcp']).toEqual(['error', '']);
  });
});

describe('the socket holders from one grep each', () => {
  const holders = (status: string, cmdlines: string, statusOf: CaptureSection['status'] = 'ok') =>
    unbatchSections([ok('proc.holders', '12 345 6789'), { ...ok('proc.status', status), status: statusOf }, ok('proc.cmdlines', cmdlines)], true);

  test('name, effective uid and cmdline per pid; a pid with no status lines had exited', () => {
    const status = '/proc/12/status:Name:\tnginx\n/proc/12/status:Uid:\t0\t33\t33\t33\n/proc/345/status:Name:\ta/status:Uid:\\n\n/proc/345/status:Uid:\t1000\t1000\t1000\t1000\n';
    const cmdlines = '/proc/12/cmdline:nginx: worker\0/proc/12/cmdline:\0/proc/345/cmdline:x\ny\0';
    const { sections, issues } = holders(status, cmdlines);
    expect(issues).toEqual([]);
    expect(sections).toEqual([
      ok('proc.name', 'nginx', '12'),
      ok('proc.uid', '33', '12'),
      ok('proc.cmdline', 'nginx: worker\0\0', '12'),
      ok('proc.name', 'a/status:Uid:\\n', '345'),
      ok('proc.uid', '1000', '345'),
      ok('proc.cmdline', 'x\ny\0', '345'),
      { name: 'proc.name', arg: '6789', status: 'gone', text: '' },
      { name: 'proc.uid', arg: '6789', status: 'gone', text: '' },
      ok('proc.cmdline', '', '6789'),
    ]);
  });

  test('status lines cut off: the pids without theirs are unknown, not exited', () => {
    const { sections } = holders('/proc/12/status:Name:\tnginx\n/proc/12/status:Uid:\t0\t0\t0\t0\n/proc/345/st', '', 'error');
    expect(sections.filter((s) => s.name === 'proc.name').map((s) => s.status)).toEqual(['ok', 'error', 'error']);
  });

  test('a line of another form, or a record of another file, is an issue', () => {
    const { issues } = holders('/proc/12/status:State:\tS\n', '/proc/12/environ:X=1\0');
    expect(issues.map((i) => [i.kind, i.file, i.line])).toEqual([
      ['bad-line', '/proc/*/status', 1],
      ['bad-line', '/proc/*/cmdline', 1],
    ]);
  });

  test('a pid listed twice is one holder; a million listed with no status line cost a bounded number of sections, said', () => {
    const many = Array.from({ length: 1_000_000 }, (_, i) => String(i + 100)).join(' ');
    const { sections, issues } = unbatchSections([ok('proc.holders', `12 12 ${many}`), ok('proc.status', '/proc/12/status:Name:\tsh\n'), ok('proc.cmdlines', '')], true);
    const names = sections.filter((s) => s.name === 'proc.name');
    expect(names.filter((s) => s.arg === '12')).toEqual([ok('proc.name', 'sh', '12')]);
    expect(names).toHaveLength(1 + MAX_UNSEEN_HOLDERS);
    expect(issues).toEqual([expect.objectContaining({ kind: 'too-many-issues', file: '/proc/*/status', message: `1000000 socket holders have no status line: the first ${MAX_UNSEEN_HOLDERS} are kept` })]);
  });

  test('where grep had no -z, the per-pid cmdline sections the script wrote stay as they were', () => {
    const { sections } = unbatchSections(
      [ok('proc.holders', '12'), ok('proc.status', '/proc/12/status:Name:\tsh\n'), { ...ok('proc.cmdlines', ''), status: 'absent' }, ok('proc.cmdline', 'sh\0-s\0', '12')],
      true,
    );
    expect(sections.filter((s) => s.name === 'proc.cmdline')).toEqual([ok('proc.cmdline', 'sh\0-s\0', '12')]);
  });
});

// A private mount namespace with a tmpfs on /proc: files named /proc/PID/cmdline with any bytes, read
// by the real greps exactly as the script reads them.
const greps: Array<[string, string]> = [
  ['GNU grep', "grep -a -z -H ''"],
  ['busybox grep', "busybox grep -z -H ''"],
];
const needs = [...(isRoot ? [] : ['root']), ...['unshare', 'busybox'].filter((c) => !hasCommand(c))];

describeIf(needs, 'cmdlines through grep -z, every byte', () => {
  const everyByte = Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1));
  const samples: Buffer[] = [
    Buffer.from('sh\0-c\0\0a\nb\0x\\y\0 \t%s\\0\0retitled with no NUL'),
    Buffer.from('sleep\x00100000\x00'),
    Buffer.alloc(0),
    Buffer.from('\0\0\0'),
    Buffer.from('\0'),
    Buffer.concat([everyByte, Buffer.from([0]), everyByte]),
    Buffer.concat([Buffer.alloc(300 * 1024, 'a'), Buffer.from('\0b')]),
    Buffer.from('/proc/2/cmdline:forged\0'),
  ];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-unbatch-'));
    samples.forEach((bytes, i) => writeFileSync(join(dir, String(i + 1)), bytes));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(greps)('%s', (_, grep) => {
    const pids = samples.map((_, i) => String(i + 1));
    const files = pids.map((pid) => `/proc/${pid}/cmdline`).join(' ');
    const setup = pids.map((pid) => `mkdir /proc/${pid} && cp ${dir}/${pid} /proc/${pid}/cmdline`).join(' && ');
    const run = spawnSync('unshare', ['--mount', 'sh', '-c', `mount -t tmpfs none /proc && ${setup} && ${grep} ${files}`], { maxBuffer: 8 * 1024 * 1024 });
    expect(run.stderr.toString()).toBe('');
    // latin1 both ways: every byte survives as one character, as it would not through UTF-8
    const { sections, issues } = unbatchSections([ok('proc.holders', pids.join(' ')), ok('proc.status', ''), ok('proc.cmdlines', run.stdout.toString('latin1'))], true);
    expect(issues).toEqual([]);
    const cmdlines = sections.filter((s) => s.name === 'proc.cmdline').map((s) => parseCmdline(s.text));
    expect(cmdlines).toEqual(samples.map((bytes) => parseCmdline(bytes.toString('latin1'))));
  });
});
