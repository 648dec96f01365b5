// checkHostKey() and knownKeyTypes(): OpenSSH's verdicts, written out (openssh-verdict.test.ts
// holds the same cases against the real ssh client).
import {
  checkHostKey,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  sameKey,
  type KnownHostEntry,
} from '../../../src/openssh/known-hosts/index.js';
import { fixtureKeys } from './keys.js';

const k = fixtureKeys();
const ed = k.ed25519!;
const ec = k.ecdsa256!;
const rsa = k.rsa2048!;
const other = k.ecdsa384!;

function known(...lines: string[]): KnownHostEntry[] {
  const { entries, issues } = parseKnownHosts(lines.join('\n'), 'kh');
  expect(issues).toEqual([]);
  return entries;
}

describe('knownHostsName (misc.c put_host_port)', () => {
  test.each([
    [{ host: 'Web01' }, 'web01'],
    [{ host: 'web01', port: 22 }, 'web01'],
    [{ host: 'web01', port: 2222 }, '[web01]:2222'],
    [{ host: '::1', port: 2222 }, '[::1]:2222'],
    [{ host: '127.0.0.1', port: 22 }, '127.0.0.1'],
  ])('%j → %s', (target, name) => {
    expect(knownHostsName(target)).toBe(name);
  });
});

describe('checkHostKey', () => {
  test('the same key: match, with where it was found', () => {
    expect(checkHostKey(known(`web01 ${ec.text}`, `web01,web02 ${ed.text}`), { host: 'web02' }, { blob: ed.blob }))
      .toEqual({ status: 'match', at: { file: 'kh', line: 2 }, warnings: [] });
  });

  test('nothing known for the host: unknown', () => {
    expect(checkHostKey(known(`web01 ${ed.text}`), { host: 'web02' }, { blob: ed.blob })).toEqual({ status: 'unknown', warnings: [] });
  });

  test('another key of the same type: changed, with the known fingerprints', () => {
    expect(checkHostKey(known(`web01 ${ec.text}`), { host: 'web01' }, { blob: k.ecdsa256!.blob })).toMatchObject({ status: 'match' });
    const r = checkHostKey(known(`web01 ${ec.text}`), { host: 'web01' }, { blob: other.blob });
    expect(r).toEqual({ status: 'changed', expected: [ec.fingerprint], offending: [{ file: 'kh', line: 1 }], warnings: [] });
  });

  test('keys of OTHER types only: changed too (hostfile.c: "a key with a different type is found … HOST_CHANGED")', () => {
    const r = checkHostKey(known(`web01 ${rsa.text}`, `web01 ${ec.text}`), { host: 'web01' }, { type: 'ssh-ed25519', blob: ed.blob });
    expect(r).toEqual({ status: 'changed', expected: [rsa.fingerprint, ec.fingerprint], offending: [{ file: 'kh', line: 1 }, { file: 'kh', line: 2 }], warnings: [] });
  });

  test('@revoked wins even when the key is also listed as good', () => {
    const entries = known(`web01 ${ed.text}`, `@revoked * ${ed.text}`);
    expect(checkHostKey(entries, { host: 'web01' }, { blob: ed.blob })).toEqual({ status: 'revoked', at: { file: 'kh', line: 2 }, warnings: [] });
    // a revocation for other hosts only does not apply
    expect(checkHostKey(known(`web01 ${ed.text}`, `@revoked db* ${ed.text}`), { host: 'web01' }, { blob: ed.blob }).status).toBe('match');
  });

  test('[host]:port for other ports; the bare host is tried when no [host]:port line exists', () => {
    expect(checkHostKey(known(`[web01]:2222 ${ed.text}`), { host: 'web01', port: 2222 }, { blob: ed.blob }).status).toBe('match');
    expect(checkHostKey(known(`[web01]:2222 ${ed.text}`), { host: 'web01' }, { blob: ed.blob }).status).toBe('unknown');
    expect(checkHostKey(known(`web01 ${ed.text}`), { host: 'web01', port: 2222 }, { blob: ed.blob })).toEqual({ status: 'match', at: { file: 'kh', line: 1 }, warnings: [] });
    // a different key under the bare name does not make the port "changed": OpenSSH says unknown
    expect(checkHostKey(known(`web01 ${ec.text}`), { host: 'web01', port: 2222 }, { blob: ed.blob }).status).toBe('unknown');
    // a [host]:port line for another key stops the fallback: changed
    expect(checkHostKey(known(`[web01]:2222 ${ec.text}`, `web01 ${ed.text}`), { host: 'web01', port: 2222 }, { blob: ed.blob }).status).toBe('changed');
    // revoked under the bare name: refused (stricter than OpenSSH's read-only retry)
    expect(checkHostKey(known(`@revoked web01 ${ed.text}`), { host: 'web01', port: 2222 }, { blob: ed.blob }).status).toBe('revoked');
  });

  test('patterns: wildcards, negation, case', () => {
    const entries = known(`*.example.test,!bad.example.test ${ed.text}`, `WEB?? ${ed.text}`);
    expect(checkHostKey(entries, { host: 'a.example.test' }, { blob: ed.blob }).status).toBe('match');
    expect(checkHostKey(entries, { host: 'bad.example.test' }, { blob: ed.blob }).status).toBe('unknown');
    expect(checkHostKey(entries, { host: 'web01' }, { blob: ed.blob }).status).toBe('match');
    expect(checkHostKey(entries, { host: 'web001' }, { blob: ed.blob }).status).toBe('unknown');
  });

  test('@cert-authority never matches, and says so', () => {
    const r = checkHostKey(known(`@cert-authority *.example.test ${ed.text}`), { host: 'a.example.test' }, { blob: ed.blob });
    expect(r).toEqual({ status: 'unknown', warnings: ['kh:1: @cert-authority is not supported (fleetstat takes no host certificates): the line is ignored'] });
  });

  test('hashed names, as knownHostsLine writes them', () => {
    const line = knownHostsLine({ host: 'web01', port: 2222 }, ed.blob, { hash: true });
    expect(line).toMatch(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ssh-ed25519 /);
    const entries = known(line);
    expect(checkHostKey(entries, { host: 'WEB01', port: 2222 }, { blob: ed.blob }).status).toBe('match');
    expect(checkHostKey(entries, { host: 'web01' }, { blob: ed.blob }).status).toBe('unknown');
  });

  test('a malformed blob from a server is never a match, and does not throw', () => {
    expect(checkHostKey(known(`web01 ${ed.text}`), { host: 'web01' }, { blob: Buffer.from('garbage') }).status).toBe('changed');
    expect(checkHostKey([], { host: 'web01' }, { blob: Buffer.alloc(0) }).status).toBe('unknown');
  });

  test('sameKey compares numbers, not encodings (an mpint with a redundant leading zero)', () => {
    const parts: Buffer[] = [];
    let pos = 0;
    while (pos < rsa.blob.length) {
      const len = rsa.blob.readUInt32BE(pos);
      parts.push(rsa.blob.subarray(pos + 4, pos + 4 + len));
      pos += 4 + len;
    }
    const s = (b: Buffer): Buffer => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      return Buffer.concat([len, b]);
    };
    const padded = Buffer.concat([s(parts[0]!), s(Buffer.concat([Buffer.from([0]), parts[1]!])), s(parts[2]!)]);
    expect(padded.equals(rsa.blob)).toBe(false);
    expect(sameKey(padded, rsa.blob)).toBe(true);
    expect(sameKey(ed.blob, rsa.blob)).toBe(false);
  });
});

describe('knownKeyTypes', () => {
  test('plain lines of the host, in file order, once each; not revoked, not CA', () => {
    const entries = known(`web01 ${rsa.text}`, `web0* ${ed.text}`, `web01 ${k.ecdsa521!.text}`, `@revoked web01 ${ec.text}`, `@cert-authority web01 ${other.text}`, `web01 ${rsa.text}`);
    expect(knownKeyTypes(entries, { host: 'web01' })).toEqual(['ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp521']);
    expect(knownKeyTypes(entries, { host: 'db01' })).toEqual([]);
  });

  test('a port with no [host]:port line uses the bare host, as checkHostKey does', () => {
    const entries = known(`web01 ${rsa.text}`, `[web02]:2222 ${ed.text}`, `web02 ${rsa.text}`);
    expect(knownKeyTypes(entries, { host: 'web01', port: 2222 })).toEqual(['ssh-rsa']);
    expect(knownKeyTypes(entries, { host: 'web02', port: 2222 })).toEqual(['ssh-ed25519']);
  });
});

describe('knownHostsLine', () => {
  test('plain and with a given salt, exactly', () => {
    expect(knownHostsLine({ host: 'Web01' }, ed.blob, { hash: false })).toBe(`web01 ${ed.text}`);
    expect(knownHostsLine({ host: '::1', port: 2222 }, { type: 'ssh-ed25519', blob: ed.blob }, { hash: false })).toBe(`[::1]:2222 ${ed.text}`);
    // the salt and hash ssh-keygen -H wrote for "web01" (fixtures/ssh/known_hosts/bad-lines line 15 uses it too)
    const salt = Buffer.from('Z9gAqxAnEhMguxY3UjM3SizIIwM=', 'base64');
    expect(knownHostsLine({ host: 'web01' }, ed.blob, { hash: true, salt }).split(' ')[0]).toBe('|1|Z9gAqxAnEhMguxY3UjM3SizIIwM=|LLqx78YP4bzRmBdlPBGYRX7JMhE=');
  });

  test('RSA keys negotiated as rsa-sha2-256 are written as ssh-rsa', () => {
    expect(knownHostsLine({ host: 'h' }, { type: 'rsa-sha2-256', blob: rsa.blob }, { hash: false })).toBe(`h ${rsa.text}`);
  });

  test.each([
    ['a host with a space', { host: 'web01 x' }, ed.blob],
    ['a newline (line injection)', { host: 'web01\n@revoked' }, ed.blob],
    ['a pattern character', { host: '*' }, ed.blob],
    ['a comma (a second name)', { host: 'a,b' }, ed.blob],
    ['a marker', { host: '@revoked' }, ed.blob],
    ['an empty host', { host: '' }, ed.blob],
    ['a bad port', { host: 'h', port: 70000 }, ed.blob],
    ['a key type that is not the key', { host: 'h' }, { type: 'ssh-rsa', blob: ed.blob }],
    ['a blob whose type smuggles a line', { host: 'h' }, Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('x\n@revoked * ssh-rsa')])],
    ['a truncated key', { host: 'h' }, ed.blob.subarray(0, 30)],
  ])('refuses %s', (_, target, key) => {
    expect(() => knownHostsLine(target, key, { hash: false })).toThrow(TypeError);
  });
});
