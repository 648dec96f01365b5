import { escapeForTerminal, neutraliseCsvCell } from '../../src/report/escape.js';
import { displayWidth, truncateMiddle, truncateToWidth } from '../../src/report/text-width.js';

describe('escapeForTerminal', () => {
  it.each([
    ['\x1b[31mred', '\\x1b[31mred'],
    ['a\nb', 'a\\nb'],
    ['a\rb', 'a\\rb'],
    ['a\tb', 'a\\tb'],
    ['nul\0', 'nul\\x00'],
    ['bell\x07', 'bell\\x07'],
    ['del\x7f', 'del\\x7f'],
    ['csi\u009b31m', 'csi\\x9b31m'], // C1 CSI: some terminals obey it like ESC [
    ['osc\u009d0;title\u009c', 'osc\\x9d0;title\\x9c'],
    ['abc\u202Egnp.exe', 'abc\\u202egnp.exe'], // bidi override (Trojan Source)
    ['line\u2028sep', 'line\\u2028sep'],
    ['C:\\x1b', 'C:\\\\x1b'], // a literal backslash cannot pass for an escape
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeForTerminal(input)).toBe(expected);
  });

  it('keeps printable text, Unicode included, unchanged', () => {
    for (const text of ['nginx: worker process', '/run/user/1000/bus', 'пост', '日本db', 'café', '🙂', '@/tmp/.X11-unix/X0', "=cmd|' /C calc'!A0"]) {
      expect(escapeForTerminal(text)).toBe(text);
    }
  });

  it('leaves no C0, DEL or C1 character in its output, for every one of them', () => {
    for (let cp = 0; cp <= 0x9f; cp++) {
      if (cp >= 0x20 && cp < 0x7f) continue;
      const out = escapeForTerminal(`a${String.fromCodePoint(cp)}b`);
      expect(out).toMatch(/^a\\[a-z0-9]+b$/);
    }
  });
});

describe('neutraliseCsvCell', () => {
  it.each(['=', '+', '-', '@', '\t', '\r', '\n'])('prefixes a cell starting with %j', (trigger) => {
    expect(neutraliseCsvCell(`${trigger}1+1`)).toBe(`'${trigger}1+1`);
  });

  it('neutralises the classic payloads', () => {
    expect(neutraliseCsvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(neutraliseCsvCell('@SUM(1+9)*cmd|\' /C calc\'!A0')).toBe('\'@SUM(1+9)*cmd|\' /C calc\'!A0');
    expect(neutraliseCsvCell('-2+3+cmd|\' /C calc\'!A0')).toBe('\'-2+3+cmd|\' /C calc\'!A0');
    expect(neutraliseCsvCell('=HYPERLINK("http://evil","x")')).toBe('\'=HYPERLINK("http://evil","x")');
  });

  it('never prefixes a plain number, nor harmless text', () => {
    for (const text of ['0', '22', '65535', '-1', '3.5', '', 'nginx', '/usr/sbin/sshd -D', 'a=b', "it's"]) {
      expect(neutraliseCsvCell(text)).toBe(text);
    }
  });
});

describe('displayWidth / truncateToWidth', () => {
  it.each([
    ['abc', 3],
    ['', 0],
    ['日本', 4],
    ['e\u0301', 1], // e + combining acute
    ['🙂', 2],
    ['δ-user', 6],
  ])('%j takes %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it('cuts to the width with an ellipsis, and never splits a wide character over the limit', () => {
    expect(truncateToWidth('1234/nginx', 20)).toBe('1234/nginx');
    expect(truncateToWidth('1234/nginx', 8)).toBe('1234/ng…');
    expect(truncateToWidth('700/日本db', 6)).toBe('700/…'); // 日 would end at column 6, leaving no room for …
    expect(displayWidth(truncateToWidth('700/日本db', 7))).toBeLessThanOrEqual(7);
  });

  it('cuts in the middle, keeping both ends, for names whose end tells them apart', () => {
    expect(truncateMiddle('net:[4026532522]', 16)).toBe('net:[4026532522]');
    expect(truncateMiddle('net:[4026532522]', 11)).toBe('net:[…2522]');
    expect(truncateMiddle('fleetstat-24adbd-1', 10)).toBe('flee…dbd-1');
    expect(displayWidth(truncateMiddle('日本日本日本', 5))).toBeLessThanOrEqual(5);
  });
});
