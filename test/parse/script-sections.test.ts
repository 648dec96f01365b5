// Decoding the sections the collection script composes itself (src/parse/script-sections.ts).
import { canonicalAddress, decodeNumberPairs, decodeSshConnection } from '../../src/parse/script-sections.js';
import type { ParseIssue } from '../../src/model/index.js';

describe('decodeSshConnection', () => {
  const decode = (text: string | undefined) => {
    const issues: ParseIssue[] = [];
    return { session: decodeSshConnection(text, issues), issues };
  };

  test('sshd\'s four fields', () => {
    expect(decode('192.0.2.10 50022 192.0.2.1 22\n').session).toEqual({ client: { address: '192.0.2.10', port: 50022 }, server: { address: '192.0.2.1', port: 22 } });
  });

  test('IPv6 in the tables\' form (RFC 5952), a zone dropped, a v4-mapped address as IPv4', () => {
    expect(decode('2001:DB8:0:0::1 1 fe80::1%eth0 22').session).toEqual({ client: { address: '2001:db8::1', port: 1 }, server: { address: 'fe80::1', port: 22 } });
    expect(decode('::ffff:127.0.0.1 40000 ::ffff:127.0.0.1 22').session!.client.address).toBe('127.0.0.1');
  });

  test('none: not over SSH, no issue', () => {
    expect(decode('')).toEqual({ session: null, issues: [] });
    expect(decode(undefined)).toEqual({ session: null, issues: [] });
  });

  test.each([
    ['192.0.2.10 50022 192.0.2.1', 'too-few-fields', 'server-port'],
    ['192.0.2.10 50022 192.0.2.1 22 extra', 'bad-line', 'server-port'],
    ['example.com 50022 192.0.2.1 22', 'bad-line', 'client-ip'],
    ['192.0.2.10 70000 192.0.2.1 22', 'bad-line', 'client-port'],
    ['192.0.2.10 1 [::1]/x 22', 'bad-line', 'server-ip'],
    ['192.0.2.10 1 192.0.2.1 -22', 'bad-line', 'server-port'],
  ])('%j: %s on %s', (text, kind, field) => {
    const { session, issues } = decode(text);
    expect(session).toBeNull();
    expect(issues).toEqual([expect.objectContaining({ kind, field, file: '$SSH_CONNECTION', line: 1 })]);
  });
});

describe('canonicalAddress', () => {
  test.each([
    ['10.0.0.1', '10.0.0.1'],
    ['256.0.0.1', null],
    ['::', '::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['a:b', null],
    ['', null],
  ])('%j → %j', (text, canonical) => {
    expect(canonicalAddress(text)).toBe(canonical);
  });
});

describe('decodeNumberPairs', () => {
  test('pairs kept, a bad line is an issue naming its line and number', () => {
    const issues: ParseIssue[] = [];
    expect(decodeNumberPairs('1 0\n2 x\n3\n4 5\n', 'meta.ancestry', ['pid', 'ppid'], issues)).toEqual([[1, 0], [4, 5]]);
    expect(issues).toEqual([
      expect.objectContaining({ kind: 'bad-number', file: '(meta.ancestry)', line: 2, field: 'ppid' }),
      expect.objectContaining({ kind: 'too-few-fields', file: '(meta.ancestry)', line: 3, field: 'ppid' }),
    ]);
  });
});
