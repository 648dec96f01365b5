// The stand-in parsers (see src/merge/pending-parsers.ts), on text as the kernel writes it.
import { parseNetPacket, parseProcMounts, parseStatusLines, unescapeStatusName } from '../../src/merge/pending-parsers.js';

const ctx = { file: '/proc/net/packet', byteOrder: 'little' as const, netns: 'default' };
const HEADER = 'sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n';

describe('parseNetPacket', () => {
  test('rows as packet_seq_show prints them', () => {
    const text = `${HEADER}000000008b6a25fc 3      3    0003   0     1 0      0      722574  \nffff9b0f04a6c800 3      2    88cc   2     1 1280   101    722580  \n`;
    expect(parseNetPacket(text, ctx)).toEqual({
      rows: [
        { proto: 'packet', type: 'raw', ethertype: 3, ifindex: 0, running: true, rmem: 0, uid: 0, inode: 722574, netns: 'default', source: { file: ctx.file, line: 2 } },
        { proto: 'packet', type: 'dgram', ethertype: 0x88cc, ifindex: 2, running: true, rmem: 1280, uid: 101, inode: 722580, netns: 'default', source: { file: ctx.file, line: 3 } },
      ],
      issues: [],
    });
  });

  test.each([
    ['000000008b6a25fc 3      3    0003   0     1 0      0', 'too-few-fields', 'Inode'],
    ['000000008b6a25fc 3      9    0003   0     1 0      0      1', 'unknown-state', 'Type'],
    ['000000008b6a25fc 3      3    03     0     1 0      0      1', 'bad-number', 'Proto'],
    ['000000008b6a25fc 3      3    0003   0     1 0      root   1', 'bad-number', 'User'],
  ])('%j: %s on %s', (line, kind, field) => {
    expect(parseNetPacket(`${HEADER}${line}\n`, ctx).issues).toEqual([expect.objectContaining({ kind, field, line: 2, file: ctx.file })]);
  });

  test('a socket printed twice is one', () => {
    const line = '000000008b6a25fc 3      3    0003   0     1 0      0      722574\n';
    expect(parseNetPacket(HEADER + line + line, ctx).rows).toHaveLength(1);
  });
});

describe('status and mountinfo lines', () => {
  test('Name: is unescaped as the kernel escaped it (\\n and \\\\ only)', () => {
    expect(unescapeStatusName('a\\nb\\\\c\\t')).toBe('a\nb\\c\\t');
  });

  test('grep -H output: name per pid; VmSize: means it has memory', () => {
    const text = '/proc/1/status:Name:\tsystemd\n/proc/1/status:VmSize:\t   1 kB\n/proc/2/status:Name:\tkthreadd\n/proc/3/status:Name:\tx\\ny\nnoise\n';
    expect([...parseStatusLines(text)]).toEqual([
      [1, { name: 'systemd', hasMemory: true }],
      [2, { name: 'kthreadd', hasMemory: false }],
      [3, { name: 'x\ny', hasMemory: false }],
    ]);
  });

  test('proc mounts: the mount point (\\040 for a space), and both option fields', () => {
    const text = '22 27 0:21 / /proc rw,relatime shared:12 - proc proc rw,hidepid=invisible,gid=27\n30 22 0:40 / /my\\040proc rw - proc proc rw\n';
    expect(parseProcMounts(text)).toEqual([
      { mountPoint: '/proc', options: ['rw', 'relatime', 'rw', 'hidepid=invisible', 'gid=27'] },
      { mountPoint: '/my proc', options: ['rw', 'rw'] },
    ]);
  });
});
