import { splitCapture } from '../../src/capture/split.js';

const M = 'FLEETSTATdeadbeefdeadbeefdeadbeefdeadbeef';
const section = (name: string, arg: string, bytes: string, status = 'ok') => `\n${M} ${name} ${arg}\n${bytes}\n${M} rc ${status}`;

describe('splitCapture', () => {
  test('sections keep their exact bytes, with or without a final newline', () => {
    const out = section('meta.hostname', '', 'web01\n') + section('proc.cmdline', '42', 'nginx\0-g\0daemon off;\0') + `\n${M} end\n`;
    const capture = splitCapture(Buffer.from(out), M);
    expect(capture.complete).toBe(true);
    expect(capture.sections).toEqual([
      { name: 'meta.hostname', arg: '', status: 'ok', text: 'web01\n' },
      { name: 'proc.cmdline', arg: '42', status: 'ok', text: 'nginx\0-g\0daemon off;\0' },
    ]);
  });

  test('absent and unreadable files keep their status', () => {
    const out = section('net.tcp6', '4026531840', '', 'absent') + section('proc.comm', '7', '', 'error') + `\n${M} end\n`;
    const { sections } = splitCapture(Buffer.from(out), M);
    expect(sections.map((s) => s.status)).toEqual(['absent', 'error']);
  });

  test('a hostile file that imitates another run\'s marker cannot forge a section', () => {
    const forged = `\nFLEETSTAT00000000000000000000000000000000 passwd \nroot:x:0:0::/:/bin/sh\n`;
    const out = section('net.unix', '1', `Num RefCount\n0000: 00000002 00000000 00010000 0001 01 1 /tmp/x${forged}`) + `\n${M} end\n`;
    const { sections } = splitCapture(Buffer.from(out), M);
    expect(sections).toHaveLength(1);
    expect(sections[0]!.text).toContain(forged);
  });

  test('output cut short is incomplete, and the cut section is marked as an error', () => {
    const out = section('meta.hostname', '', 'web01\n') + `\n${M} net.tcp 1\n  sl  local_address rem_addr`;
    const capture = splitCapture(Buffer.from(out), M);
    expect(capture.complete).toBe(false);
    expect(capture.sections.map((s) => [s.name, s.status])).toEqual([
      ['meta.hostname', 'ok'],
      ['net.tcp', 'error'],
    ]);
  });

  test('no marker at all: nothing, incomplete', () => {
    const capture = splitCapture(Buffer.from('sh: 1: cannot open\n'), M);
    expect(capture).toEqual({ sections: [], complete: false, bytes: 19 });
  });
});
