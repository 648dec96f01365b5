import { decodeInetAddress, decodePort, formatIpv6 } from '../../src/parse/inet-address.js';

describe('decodeInetAddress: IPv4, one 32-bit word in the host byte order', () => {
  test.each([
    ['0100007F', 'little', '127.0.0.1'],
    ['7F000001', 'big', '127.0.0.1'],
    ['00000000', 'little', '0.0.0.0'],
    ['00000000', 'big', '0.0.0.0'],
    ['0A0A0A0A', 'little', '10.10.10.10'],
    ['050AA8C0', 'little', '192.168.10.5'],
    ['C0A80A05', 'big', '192.168.10.5'],
    ['FFFFFFFF', 'little', '255.255.255.255'],
    ['0100007f', 'little', '127.0.0.1'],
  ] as const)('%s on a %s-endian host → %s', (hex, order, expected) => {
    expect(decodeInetAddress(hex, order)).toBe(expected);
  });

  test.each([
    ['0100007F', '127.0.0.1', '1.0.0.127'],
    ['C0A80A05', '5.10.168.192', '192.168.10.5'],
  ])('the same hex %s decodes differently: little → %s, big → %s', (hex, little, big) => {
    expect(decodeInetAddress(hex, 'little')).toBe(little);
    expect(decodeInetAddress(hex, 'big')).toBe(big);
    expect(little).not.toBe(big);
  });
});

describe('decodeInetAddress: IPv6, four host-order words', () => {
  test.each([
    ['00000000000000000000000000000000', 'little', '::'],
    ['00000000000000000000000001000000', 'little', '::1'],
    ['00000000000000000000000000000001', 'big', '::1'],
    ['0000000000000000FFFF00000100007F', 'little', '::ffff:127.0.0.1'],
    ['00000000000000000000FFFF7F000001', 'big', '::ffff:127.0.0.1'],
    ['000080FE00000000FF27000AA1664EFE', 'little', 'fe80::a00:27ff:fe4e:66a1'],
    ['FE80000000000000 0A0027FFFE4E66A1'.replace(' ', ''), 'big', 'fe80::a00:27ff:fe4e:66a1'],
    ['B80D0120000000000000000001000000', 'little', '2001:db8::1'],
    ['20010DB8000000000000000000000001', 'big', '2001:db8::1'],
    ['b80d0120000000000000000001000000', 'little', '2001:db8::1'],
  ] as const)('%s on a %s-endian host → %s', (hex, order, expected) => {
    expect(decodeInetAddress(hex, order)).toBe(expected);
  });

  test('the same IPv6 hex gives different, correct answers per byte order', () => {
    const hex = '00000000000000000000000001000000';
    expect(decodeInetAddress(hex, 'little')).toBe('::1');
    // read as a big-endian host wrote it, the last word is 0x01000000: bytes 01 00 00 00
    expect(decodeInetAddress(hex, 'big')).toBe('::100:0');
  });

  test('word order is kept; only the bytes inside each word are reversed', () => {
    // address bytes 20 01 0d b8 | 00 00 00 01 | 00 00 00 02 | 00 00 00 03, printed by a little-endian host
    expect(decodeInetAddress('B80D0120010000000200000003000000', 'little')).toBe('2001:db8:0:1:0:2:0:3');
    // a whole-string reversal would give 0:3:0:2:0:1:db8:2001; a word-order swap 0:3:0:2:0:1:2001:db8
  });
});

describe('decodeInetAddress rejects bad input', () => {
  test.each([
    [''],
    ['0100007'],
    ['0100007F0'],
    ['0100007G'],
    ['0100 07F'],
    ['0x00007F'],
    ['0000000000000000FFFF00000100007'],
    ['0000000000000000FFFF00000100007FF'],
    ['0000000000000000FFFF0000010000ZZ'],
    ['-100007F'],
  ])('%j → null', (hex) => {
    expect(decodeInetAddress(hex, 'little')).toBeNull();
    expect(decodeInetAddress(hex, 'big')).toBeNull();
  });
});

describe('formatIpv6: RFC 5952', () => {
  const bytesOf = (groups: number[]): number[] => groups.flatMap((g) => [g >> 8, g & 0xff]);
  test.each([
    [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[1, 0, 0, 0, 0, 0, 0, 0], '1::'],
    [[0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'], // tie: the first run
    [[0x2001, 0, 0, 1, 0, 0, 0, 1], '2001:0:0:1::1'], // the longest run
    [[0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'], // one zero group stays
    [[0x2001, 0xdb8, 0xabcd, 0x12, 0, 0, 0, 0], '2001:db8:abcd:12::'],
    [[0xfe80, 0, 0, 0, 0x0a00, 0x27ff, 0xfe4e, 0x66a1], 'fe80::a00:27ff:fe4e:66a1'],
    [[0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001], '::ffff:10.0.0.1'],
    [[0, 0, 0, 0, 0, 0xffff, 0, 0], '::ffff:0.0.0.0'],
    // only ::ffff:0:0/96 gets the dotted form; deprecated IPv4-compatible ::a.b.c.d stays hex
    // (glibc's inet_ntop, hence ss, would print ::127.0.0.1 here)
    [[0, 0, 0, 0, 0, 0, 0x7f00, 1], '::7f00:1'],
    [[0, 0, 0, 0, 0xffff, 0, 0x0a00, 1], '::ffff:0:a00:1'],
    [[0xabcd, 0xef01, 0x2345, 0x6789, 0xabcd, 0xef01, 0x2345, 0x6789], 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
  ])('%j → %s', (groups, expected) => {
    expect(formatIpv6(bytesOf(groups))).toBe(expected);
  });
});

describe('decodePort: 4 hex digits, big-endian on every host', () => {
  test.each([
    ['0016', 22],
    ['0277', 631],
    ['1F90', 8080],
    ['1f90', 8080],
    ['0000', 0],
    ['FFFF', 65535],
  ])('%s → %d', (hex, port) => {
    expect(decodePort(hex)).toBe(port);
  });
  test.each([[''], ['016'], ['00016'], ['GGGG'], [' 016'], ['+016']])('%j → null', (hex) => {
    expect(decodePort(hex)).toBeNull();
  });
});
