// A hostile file of nothing but bad lines must not make one issue per line: 64 MiB of newlines
// would be 64 million issue objects in this process. Each file keeps its first issues, then one
// `too-many-issues` issue that counts the rest.
import { parseFdLinks, parseUnreadablePids } from '../../src/parse/fd-links.js';
import { MAX_ISSUES_PER_FILE } from '../../src/parse/lines.js';
import { parseNetnsNames } from '../../src/parse/meta.js';
import { parseProcMounts } from '../../src/parse/mountinfo.js';
import { parseNetPacket } from '../../src/parse/net-packet.js';
import { parseNetTcp } from '../../src/parse/net-tcp.js';
import { parseNetUnix } from '../../src/parse/net-unix.js';
import { parsePasswd } from '../../src/parse/passwd.js';
import { parseProcLinks } from '../../src/parse/proc-links.js';
import { parseStatusLines } from '../../src/parse/proc-status.js';
import type { ParseIssue } from '../../src/model/index.js';

const JUNK = 50_000;
const junk = (header: string) => `${header}\n${'x\n'.repeat(JUNK)}`;
const ctx = (file: string) => ({ file, byteOrder: 'little' as const, netns: 'default' });

test.each<[string, () => ParseIssue[], string]>([
  ['/proc/net/tcp', () => parseNetTcp(junk('  sl  local_address rem_address   st'), ctx('/proc/net/tcp'), false).issues, '/proc/net/tcp'],
  ['/proc/net/unix', () => parseNetUnix(junk('Num       RefCount Protocol Flags    Type St Inode Path'), ctx('/proc/net/unix')).issues, '/proc/net/unix'],
  ['/proc/net/packet', () => parseNetPacket(junk('sk       RefCnt Type Proto  Iface R Rmem   User   Inode'), ctx('/proc/net/packet')).issues, '/proc/net/packet'],
  ['fd links', () => parseFdLinks('x\n'.repeat(JUNK), '/proc/*/fd').issues, '/proc/*/fd'],
  ['unreadable pids', () => parseUnreadablePids('x\n'.repeat(JUNK), '/proc/*/fd').issues, '/proc/*/fd'],
  ['passwd', () => parsePasswd('x\n'.repeat(JUNK), '/etc/passwd').issues, '/etc/passwd'],
  ['netns names', () => parseNetnsNames('x\n'.repeat(JUNK), '/run/netns').issues, '/run/netns'],
  ['status lines', () => parseStatusLines('x\n'.repeat(JUNK), '/proc/*/status').issues, '/proc/*/status'],
  ['exe and cwd links', () => parseProcLinks('x\n'.repeat(JUNK), '/proc/*/{exe,cwd}').issues, '/proc/*/{exe,cwd}'],
  ['mountinfo', () => parseProcMounts('x\n'.repeat(JUNK), '/proc/self/mountinfo').issues, '/proc/self/mountinfo'],
])('%s: the first issues kept, then one that counts the rest', (_what, parse, file) => {
  const issues = parse();
  expect(issues).toHaveLength(MAX_ISSUES_PER_FILE + 1);
  expect(issues[0]).toEqual(expect.objectContaining({ file, line: expect.any(Number) }));
  const last = issues.at(-1)!;
  expect(last).toEqual({ kind: 'too-many-issues', file, line: 0, message: expect.stringMatching(/^\d+ more issues in this file were not kept/) });
  const kept = issues.slice(0, -1);
  const dropped = Number(/^(\d+)/.exec(last.message)![1]);
  expect(kept.length + dropped).toBeGreaterThanOrEqual(JUNK);
});

test('a file with fewer issues than the bound keeps them all, and no counting issue', () => {
  const { issues } = parseNetTcp('  sl  local_address\nx\ny\n', ctx('/proc/net/tcp'), false);
  expect(issues.map((i) => i.kind)).not.toContain('too-many-issues');
  expect(issues).toHaveLength(2);
});
