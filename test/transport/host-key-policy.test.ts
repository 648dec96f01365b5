// StrictHostKeyChecking for one host, with real keys made by ssh2, known_hosts files on disk read
// and appended through the scan's KnownHostsBook (as a scan does it).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { hostKeyPolicy, type HostKeyPolicyInput } from '../../src/transport/host-key-policy.js';
import { KnownHostsBook } from '../../src/transport/known-hosts-book.js';
import { DEFAULT_ALGORITHMS } from '../../src/openssh/algorithms.js';
import { appendKnownHost, entryMatches, parseKnownHosts } from '../../src/openssh/known-hosts/index.js';
import type { HostKeySeen } from '../../src/model/index.js';

const { utils } = ssh2;
const blobOf = (pair: { public: string }) => (utils.parseKey(pair.public) as ssh2.ParsedKey).getPublicSSH();
const ed = blobOf(utils.generateKeyPairSync('ed25519'));
const other = blobOf(utils.generateKeyPairSync('ed25519'));
const ecdsa = blobOf(utils.generateKeyPairSync('ecdsa', { bits: 256 }));
const rsa2048 = blobOf(utils.generateKeyPairSync('rsa', { bits: 2048 }));
const line = (host: string, blob: Buffer, marker = '') => `${marker}${host} ${blob.subarray(4, 4 + blob.readUInt32BE(0)).toString()} ${blob.toString('base64')}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetstat-policy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

/** One scan: a book over `known_hosts` (with the given text); `policy()` builds one host's check from it. */
function scan(knownHosts: string) {
  const file = join(dir, 'known_hosts');
  writeFileSync(file, knownHosts);
  const warnings: string[] = [];
  const book = new KnownHostsBook(appendKnownHost, (w) => warnings.push(w));
  const policy = async (mode: HostKeyPolicyInput['mode'], extra: Partial<HostKeyPolicyInput> = {}) => {
    const seen: HostKeySeen[] = [];
    const check = hostKeyPolicy({
      name: 'web01.test',
      port: 2222,
      mode,
      knownHosts: await book.view([file]),
      recordTo: file,
      hash: false,
      requiredRsaSize: 1024,
      hostKeyAlgorithms: { list: [...DEFAULT_ALGORITHMS.key], knownFirst: true },
      onAccepted: (s) => seen.push(s),
      warn: (w) => warnings.push(w),
      ...extra,
    });
    return { check, seen };
  };
  return { file, warnings, policy };
}

/** Runs a decision through as ssh.ts does: record first when asked. */
async function decide(check: ReturnType<typeof hostKeyPolicy>, blob: Buffer): Promise<{ accept: boolean; reason?: string }> {
  const d = check.verify(blob);
  if (!d.accept) return d;
  await d.record?.();
  return { accept: true };
}

describe('hostKeyPolicy', () => {
  test('a known key is accepted; the known key types are offered first, as OpenSSH orders them', async () => {
    const { policy } = scan(line('[web01.test]:2222', ecdsa) + '\n');
    const { check, seen } = await policy('yes');
    expect(check.algorithms!.slice(0, 3)).toEqual(['ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp256', 'ssh-ed25519-cert-v01@openssh.com']);
    expect(check.verify(ecdsa)).toEqual({ accept: true });
    expect(seen).toEqual([{ type: 'ecdsa-sha2-nistp256', fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/), check: 'known' }]);
  });

  test('an explicit HostKeyAlgorithms is offered as written, whatever is known', async () => {
    const { policy } = scan(line('[web01.test]:2222', ecdsa) + '\n');
    const { check } = await policy('yes', { hostKeyAlgorithms: { list: ['ssh-ed25519', 'ecdsa-sha2-nistp256'], knownFirst: false } });
    expect(check.algorithms).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
  });

  test('unknown under yes: refused, naming the fingerprint; nothing written', async () => {
    const { policy, file } = scan('');
    const { check } = await policy('yes');
    expect(check.verify(ed)).toEqual({ accept: false, reason: expect.stringMatching(/^host key not known: ssh-ed25519 SHA256:\S{43} for \[web01\.test\]:2222/) });
    expect(lines(file)).toEqual([]);
  });

  test('unknown under accept-new: accepted once recorded, as a line OpenSSH reads', async () => {
    const { policy, file } = scan('');
    const { check, seen } = await policy('accept-new');
    const decision = check.verify(ed);
    expect(decision.accept).toBe(true);
    expect(seen).toEqual([]); // not before the line is written
    await (decision as { record: () => Promise<void> }).record();
    expect(lines(file)).toEqual([line('[web01.test]:2222', ed)]);
    expect(seen.map((s) => s.check)).toEqual(['added']);
  });

  test('HashKnownHosts: the name is written hashed, |1|salt|hash, and matches', async () => {
    const { policy, file } = scan('');
    const { check } = await policy('accept-new', { hash: true });
    expect(await decide(check, ed)).toEqual({ accept: true });
    const [written] = lines(file);
    expect(written).toMatch(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ssh-ed25519 /);
    expect(written).not.toContain('web01');
    const [entry] = parseKnownHosts(written!, file).entries;
    expect([entryMatches(entry!, '[web01.test]:2222'), entryMatches(entry!, '[web02.test]:2222')]).toEqual([true, false]);
  });

  test('accept-new with nowhere to record (UserKnownHostsFile none) behaves as yes', async () => {
    const { policy } = scan('');
    const { check } = await policy('accept-new', { recordTo: undefined });
    expect(check.verify(ed).accept).toBe(false);
  });

  test.each(['yes', 'accept-new'] as const)('a changed key is refused under %s', async (mode) => {
    const { policy, file } = scan(line('[web01.test]:2222', other) + '\n');
    const { check } = await policy(mode);
    expect(check.verify(ed)).toEqual({ accept: false, reason: expect.stringContaining('REMOTE HOST IDENTIFICATION HAS CHANGED') });
    expect(lines(file)).toHaveLength(1);
  });

  test('a key of another type than the one known is "changed" too (OpenSSH hostfile.c)', async () => {
    const { policy } = scan(line('[web01.test]:2222', ecdsa) + '\n');
    const { check } = await policy('accept-new');
    expect(check.verify(ed).accept).toBe(false);
  });

  test('a revoked key is refused even when also listed as good', async () => {
    const { policy } = scan([line('[web01.test]:2222', ed), line('*', ed, '@revoked ')].join('\n') + '\n');
    const { check } = await policy('accept-new');
    expect(check.verify(ed)).toEqual({ accept: false, reason: expect.stringContaining('revoked') });
  });

  test('@cert-authority lines never match, and say so; accept-new does not record a key a CA vouches for', async () => {
    const { policy, warnings, file } = scan(line('[*.test]:*', other, '@cert-authority ') + '\n');
    const { check } = await policy('accept-new');
    expect(check.verify(ed)).toEqual({ accept: false, reason: expect.stringMatching(/@cert-authority .* not recorded, refused/) });
    expect(lines(file)).toHaveLength(1);
    expect(warnings.join('\n')).toContain('cert-authority');
  });

  test('RevokedHostKeys refuses a key whatever known_hosts says, even with checking off', async () => {
    const { policy } = scan(line('[web01.test]:2222', ed) + '\n');
    const revoked = { file: '/etc/ssh/revoked', keys: { blobs: [ed], sha1: [], sha256: [] } };
    for (const mode of ['yes', 'accept-new', 'off'] as const) {
      const { check, seen } = await policy(mode, { revoked });
      expect(check.verify(ed)).toEqual({ accept: false, reason: expect.stringContaining('revoked by /etc/ssh/revoked (RevokedHostKeys)') });
      expect(seen).toEqual([]);
    }
    const { check } = await policy('yes', { revoked });
    expect(check.verify(other).accept).toBe(false); // not revoked, but not known either
  });

  test('RequiredRSASize: a smaller RSA host key is refused (ssh: "Bad server host key")', async () => {
    const { policy } = scan(line('[web01.test]:2222', rsa2048) + '\n');
    expect((await policy('yes')).check.verify(rsa2048)).toEqual({ accept: true });
    expect((await policy('yes', { requiredRsaSize: 3072 })).check.verify(rsa2048)).toEqual({ accept: false, reason: expect.stringContaining('2048-bit RSA, smaller than RequiredRSASize 3072') });
  });

  test('off: anything is accepted, and marked unchecked', async () => {
    const { policy } = scan(line('[web01.test]:2222', other) + '\n');
    const { check, seen } = await policy('off');
    expect(check.verify(ed)).toEqual({ accept: true });
    expect(seen.map((s) => s.check)).toEqual(['unchecked']);
  });
});

describe('accept-new across the hosts of one run: one decision per known_hosts name', () => {
  test('two hosts under one name (a shared HostKeyAlias or address) with the same key: one line, both accepted', async () => {
    const { policy, file } = scan('');
    const [a, b] = [await policy('accept-new'), await policy('accept-new')];
    // both judged before either write is done, as concurrent hosts are
    const [da, db] = [a.check.verify(ed), b.check.verify(ed)];
    expect([da.accept, db.accept]).toEqual([true, true]);
    await Promise.all([(da as { record: () => Promise<void> }).record(), (db as { record: () => Promise<void> }).record()]);
    expect(lines(file)).toEqual([line('[web01.test]:2222', ed)]);
    expect([a.seen.map((s) => s.check), b.seen.map((s) => s.check)]).toEqual([['added'], ['added']]);
  });

  test('two hosts under one name with different keys: the second is refused as changed, nothing more written', async () => {
    const { policy, file } = scan('# a comment line\n');
    const [a, b] = [await policy('accept-new'), await policy('accept-new')];
    expect(await decide(a.check, ed)).toEqual({ accept: true });
    expect(await decide(b.check, other)).toEqual({ accept: false, reason: expect.stringMatching(/HAS CHANGED.*known_hosts:2\)/) });
    expect(lines(file)).toEqual(['# a comment line', line('[web01.test]:2222', ed)]);
  });

  test('a host judged after the line is written finds it too', async () => {
    const { policy, file } = scan('');
    expect(await decide((await policy('accept-new')).check, ed)).toEqual({ accept: true });
    const later = await policy('accept-new');
    expect(await decide(later.check, ed)).toEqual({ accept: true });
    expect(lines(file)).toHaveLength(1);
  });

  test('a line that could not be written is not known to later hosts', async () => {
    const file = join(dir, 'kh');
    writeFileSync(file, '');
    const book = new KnownHostsBook(() => Promise.reject(new Error('disk full')), () => {});
    const input = (view: Awaited<ReturnType<KnownHostsBook['view']>>): HostKeyPolicyInput => ({
      name: 'h', port: 22, mode: 'accept-new', knownHosts: view, recordTo: file, hash: false, requiredRsaSize: 1024,
      hostKeyAlgorithms: { list: [...DEFAULT_ALGORITHMS.key], knownFirst: true }, onAccepted: () => {}, warn: () => {},
    });
    const first = hostKeyPolicy(input(await book.view([file]))).verify(ed);
    await expect((first as { record: () => Promise<void> }).record()).rejects.toThrow('disk full');
    const second = hostKeyPolicy(input(await book.view([file]))).verify(other);
    expect(second.accept).toBe(true); // not "changed" against a key never written
  });
});

describe('each known_hosts line is matched against a name once per connection', () => {
  test('offering algorithms and judging the key share the matches: one match per line and name, not three', async () => {
    const { file } = scan(`${Array.from({ length: 50 }, (_, i) => line(`[10.0.0.${i}]:2222`, other)).join('\n')}\n${line('[web01.test]:2222', ed)}\n`);
    const view = await new KnownHostsBook(appendKnownHost, () => {}).view([file]);
    let reads = 0;
    // every match of a line against a name reads its `hashed` field first
    const counted = view.entries().map((e) => Object.defineProperty({ ...e }, 'hashed', { get: () => ((reads += 1), e.hashed) }));
    const check = hostKeyPolicy({
      name: 'web01.test', port: 2222, mode: 'yes', knownHosts: { ...view, entries: () => counted }, hash: false, requiredRsaSize: 1024,
      hostKeyAlgorithms: { list: [...DEFAULT_ALGORITHMS.key], knownFirst: true }, onAccepted: () => {}, warn: () => {},
    });
    expect(check.verify(ed).accept).toBe(true);
    expect(reads).toBe(counted.length);
  });

  test('a line another host records between this host\'s offer and its verdict is still seen', async () => {
    const { policy } = scan('');
    const first = await policy('yes');
    const second = await policy('accept-new');
    expect((await decide(second.check, ed)).accept).toBe(true);
    // `first` asked for its lines before the record: its verdict sees the new one
    expect((await decide(first.check, ed)).accept).toBe(true);
    expect((await decide(first.check, other)).reason).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });
});
