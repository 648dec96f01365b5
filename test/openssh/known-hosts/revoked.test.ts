// RevokedHostKeys files: KRLs made by ssh-keygen -k, judged as `ssh-keygen -Q` judges them; lists of
// public keys; and every file ssh could not use (truncated, signed, a bad line) is an error, so that
// the caller refuses every host key, as ssh does.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRevoked, parseRevokedHostKeys, type RevokedKeys } from '../../../src/openssh/known-hosts/index.js';
import { describeIf, hasCommand } from '../../helpers/requirements.js';
import { fixtureKeys, generateKey, type TestKey } from './keys.js';

const fixtures = fixtureKeys();
const keys = (r: RevokedKeys | { error: string }): RevokedKeys => {
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('a list of public keys', () => {
  test('comments, blank lines, comments after keys; every key type', () => {
    const text = `# revoked\n\n  ${fixtures.ed25519!.text} old web01\n\t${fixtures.rsa2048!.text}\n${fixtures.ecdsa384!.text}\n`;
    const revoked = keys(parseRevokedHostKeys(Buffer.from(text)));
    expect(['ed25519', 'rsa2048', 'ecdsa384', 'ecdsa256', 'ecdsa521'].map((k) => isRevoked(revoked, fixtures[k]!.blob))).toEqual([true, true, true, false, false]);
  });

  test('an empty file revokes nothing', () => {
    expect(keys(parseRevokedHostKeys(Buffer.alloc(0)))).toEqual({ blobs: [], sha1: [], sha256: [] });
  });

  test.each([
    ['a known_hosts line', `@revoked * ${fixtures.ed25519!.text}\n`, /line 1: not a public key/],
    ['a host name first', `web01 ${fixtures.ed25519!.text}\n`, /line 1: not a public key/],
    ['a key that is not base64', '# x\nssh-ed25519 %%%%\n', /line 2: not a well-formed ssh-ed25519 key/],
    ['a key of another type than its line says', `ssh-rsa ${fixtures.ed25519!.text.split(' ')[1]}\n`, /not a well-formed ssh-rsa key/],
    ['a certificate', 'ssh-ed25519-cert-v01@openssh.com AAAA\n', /certificates are not supported/],
  ])('%s: an error (ssh would refuse every key)', (_why, text, message) => {
    expect(parseRevokedHostKeys(Buffer.from(text))).toEqual({ error: expect.stringMatching(message) });
  });
});

describeIf(hasCommand('ssh-keygen') ? [] : ['ssh-keygen (openssh-client)'], 'KRLs, against ssh-keygen -Q', () => {
  let dir: string;
  let a: TestKey;
  let b: TestKey;
  let ca: TestKey;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-krl-'));
    a = generateKey(dir, 'a', 'ed25519');
    b = generateKey(dir, 'b', 'ecdsa');
    ca = generateKey(dir, 'ca', 'ed25519');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** ssh-keygen -k with a spec file (or key files); -s CA for certificate lines. */
  const krl = (name: string, spec: string | string[], extra: string[] = []) => {
    const path = join(dir, name);
    const inputs = typeof spec === 'string' ? [join(dir, `${name}.spec`)] : spec;
    if (typeof spec === 'string') writeFileSync(inputs[0]!, spec);
    execFileSync('ssh-keygen', ['-q', '-k', '-f', path, ...extra, ...inputs], { stdio: 'ignore' });
    return path;
  };
  /** ssh-keygen's own verdict: exit 1 and REVOKED when the key is revoked. */
  const sshKeygenSays = (path: string, key: TestKey) => {
    const r = spawnSync('ssh-keygen', ['-Q', '-f', path, `${key.privateKey}.pub`], { encoding: 'utf8' });
    return r.stdout.includes('REVOKED');
  };
  const pub = (k: TestKey) => readFileSync(`${k.privateKey}.pub`, 'utf8').trim();

  test.each([
    ['an explicit key', () => [`${a.privateKey}.pub`]],
    ['key: lines', () => `key: ${pub(a)}\n`],
    ['sha1: of a key', () => `sha1: ${pub(a)}\n`],
    ['hash: SHA256 fingerprints', () => `hash: ${a.fingerprint}\nhash: ${b.fingerprint}\n`],
    ['certificate serials and ids of a CA (no plain key revoked)', () => 'serial: 1-5\nserial: 9\nid: bob\n'],
    ['a revoked CA key and a certificate section', () => `key: ${pub(ca)}\nid: alice\n`],
  ] as Array<[string, () => string | string[]]>)('%s', (name, spec) => {
    const path = krl(name.replace(/\W+/g, '-'), spec(), name.startsWith('certificate') || name.includes('CA') ? ['-s', `${ca.privateKey}.pub`] : []);
    const revoked = keys(parseRevokedHostKeys(readFileSync(path)));
    for (const key of [a, b, ca]) expect([key.name, isRevoked(revoked, key.blob)]).toEqual([key.name, sshKeygenSays(path, key)]);
  });

  test('a truncated or signed KRL, or one of an unknown section: an error', () => {
    const good = readFileSync(krl('good', [`${a.privateKey}.pub`]));
    expect(parseRevokedHostKeys(good.subarray(0, good.length - 3))).toEqual({ error: expect.stringMatching(/truncated/) });
    const section = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type]), Buffer.from([0, 0, 0, data.length]), data]);
    expect(parseRevokedHostKeys(Buffer.concat([good, section(4, Buffer.from(a.blob))]))).toEqual({ error: expect.stringMatching(/signed/) });
    expect(parseRevokedHostKeys(Buffer.concat([good, section(9, Buffer.alloc(0))]))).toEqual({ error: 'unsupported KRL section 9' });
    const truncated = join(dir, 'truncated');
    writeFileSync(truncated, good.subarray(0, good.length - 3));
    expect(spawnSync('ssh-keygen', ['-Q', '-f', truncated, `${a.privateKey}.pub`]).status).not.toBe(0);
  });
});
