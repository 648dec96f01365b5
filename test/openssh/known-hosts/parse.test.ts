// parseKnownHosts(), fingerprints and key types: every bad line is an issue of its kind; the
// fingerprints are ssh-keygen's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fingerprintSha256,
  keyTypeOf,
  keyTypeOfAlgorithm,
  parseKnownHosts,
  type KnownHostsIssueKind,
} from '../../../src/openssh/known-hosts/index.js';
import { fixtureKeys } from './keys.js';

const keys = fixtureKeys();

function badLinesFixture(): string {
  return readFileSync(join(process.cwd(), 'fixtures/ssh/known_hosts/bad-lines'), 'utf8')
    .replace(/@KEY_(\w+?)_BLOB@/g, (_, n: string) => keys[n]!.text.split(' ')[1]!)
    .replace(/@KEY_(\w+?)@/g, (_, n: string) => keys[n]!.text);
}

describe('keys', () => {
  test.each(Object.values(keys).map((k) => [k.name, k]))('%s: fingerprint as ssh-keygen -lf prints it, type from the blob', (_, key) => {
    expect(fingerprintSha256(key.blob)).toBe(key.fingerprint);
    expect(keyTypeOf(key.blob)).toBe(key.type);
  });

  test('keyTypeOf: null for what is not an SSH string', () => {
    expect(keyTypeOf(Buffer.alloc(0))).toBeNull();
    expect(keyTypeOf(Buffer.from([0, 0, 0, 9, 0x61]))).toBeNull();
    expect(keyTypeOf(Buffer.from([0, 0, 0, 0]))).toBeNull();
  });

  test('signature algorithms map to key types: ssh2 negotiates rsa-sha2-* for ssh-rsa keys', () => {
    expect(['rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp384', 'ssh-ed25519-cert-v01@openssh.com', 'nonsense'].map(keyTypeOfAlgorithm))
      .toEqual(['ssh-rsa', 'ssh-rsa', 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp384', null, null]);
  });

});

describe('parseKnownHosts', () => {
  test('every key type, markers, comments, hashed names, [host]:port', () => {
    const text = [
      `web01,web02 ${keys.ed25519!.text} a comment with  spaces`,
      `[web01]:2222 ${keys.ecdsa256!.text}`,
      `@revoked * ${keys.rsa2048!.text}`,
      `@cert-authority *.example.test ${keys.ecdsa384!.text}`,
      `|1|Z9gAqxAnEhMguxY3UjM3SizIIwM=|LLqx78YP4bzRmBdlPBGYRX7JMhE= ${keys.ecdsa521!.text}`,
      `old ${keys.dsa!.text}\r`,
    ].join('\n');
    const { entries, issues } = parseKnownHosts(text, 'kh');
    expect(issues).toEqual([]);
    expect(entries.map((e) => [e.line, e.marker, e.hostnames, e.keyType, e.hashed !== null, e.comment])).toEqual([
      [1, null, 'web01,web02', 'ssh-ed25519', false, 'a comment with spaces'],
      [2, null, '[web01]:2222', 'ecdsa-sha2-nistp256', false, ''],
      [3, 'revoked', '*', 'ssh-rsa', false, ''],
      [4, 'cert-authority', '*.example.test', 'ecdsa-sha2-nistp384', false, ''],
      [5, null, '|1|Z9gAqxAnEhMguxY3UjM3SizIIwM=|LLqx78YP4bzRmBdlPBGYRX7JMhE=', 'ecdsa-sha2-nistp521', true, ''],
      [6, null, 'old', 'ssh-dss', false, ''],
    ]);
    expect(entries[0]!.key.equals(keys.ed25519!.blob)).toBe(true);
  });

  test('the bad-lines fixture: each bad line an issue of its kind and field, good lines around them kept', () => {
    const { entries, issues } = parseKnownHosts(badLinesFixture(), 'bad-lines');
    expect(entries.map((e) => e.line)).toEqual([3, 4, 5, 17]);
    const want: Array<[number, KnownHostsIssueKind, string]> = [
      [6, 'bad-marker', 'marker'],
      [7, 'bad-marker', 'marker'],
      [8, 'missing-field', 'keytype'],
      [9, 'missing-field', 'key'],
      [10, 'unknown-key-type', 'keytype'],
      [11, 'bad-base64', 'key'],
      [12, 'key-type-mismatch', 'key'],
      [13, 'bad-key', 'key'],
      [14, 'bad-hash', 'hostnames'],
      [15, 'bad-hash', 'hostnames'],
      [16, 'key-type-mismatch', 'key'],
    ];
    expect(issues.map((i) => [i.line, i.kind, i.field])).toEqual(want);
    expect(issues.every((i) => i.file === 'bad-lines' && i.message !== '')).toBe(true);
  });

  test('blank, comment and whitespace-only lines are nothing at all', () => {
    expect(parseKnownHosts('\n# x\n   \n\t# y\n', 'kh')).toEqual({ entries: [], issues: [] });
  });

  test('a truncated key (the blob cut short) is a bad key, not a crash', () => {
    const cut = keys.rsa2048!.blob.subarray(0, 100).toString('base64');
    expect(parseKnownHosts(`h ssh-rsa ${cut}\n`, 'kh').issues.map((i) => i.kind)).toEqual(['bad-key']);
  });
});
