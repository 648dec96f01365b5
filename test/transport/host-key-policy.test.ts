// StrictHostKeyChecking for one host, with real keys made by ssh2 and known_hosts text built from them.
import ssh2 from 'ssh2';
import { hostKeyPolicy, type HostKeyPolicyInput } from '../../src/transport/host-key-policy.js';
import { parseKnownHosts } from '../../src/openssh/known-hosts/index.js';
import type { HostKeySeen } from '../../src/model/index.js';

const { utils } = ssh2;
const blobOf = (pair: { public: string }) => (utils.parseKey(pair.public) as ssh2.ParsedKey).getPublicSSH();
const ed = blobOf(utils.generateKeyPairSync('ed25519'));
const other = blobOf(utils.generateKeyPairSync('ed25519'));
const ecdsa = blobOf(utils.generateKeyPairSync('ecdsa', { bits: 256 }));
const line = (host: string, blob: Buffer, marker = '') => `${marker}${host} ${blob.subarray(4, 4 + blob.readUInt32BE(0)).toString()} ${blob.toString('base64')}`;

function policy(knownHosts: string, mode: HostKeyPolicyInput['mode'], extra: Partial<HostKeyPolicyInput> = {}) {
  const seen: HostKeySeen[] = [];
  const appended: Array<[string, string]> = [];
  const warnings: string[] = [];
  const check = hostKeyPolicy({
    name: 'web01.test',
    port: 2222,
    mode,
    entries: parseKnownHosts(knownHosts, 'known_hosts').entries,
    recordTo: '/tmp/kh',
    append: async (file, text) => {
      appended.push([file, text]);
    },
    onAccepted: (s) => seen.push(s),
    warn: (w) => warnings.push(w),
    ...extra,
  });
  return { check, seen, appended, warnings };
}

describe('hostKeyPolicy', () => {
  test('a known key is accepted, and only the known key types are offered', () => {
    const { check, seen } = policy(line('[web01.test]:2222', ed), 'yes');
    expect(check.algorithms).toEqual(['ssh-ed25519']);
    expect(check.verify(ed)).toEqual({ accept: true });
    expect(seen).toEqual([{ type: 'ssh-ed25519', fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/), check: 'known' }]);
  });

  test('unknown under yes: refused, naming the fingerprint; ssh2 may offer its defaults', () => {
    const { check, appended } = policy('', 'yes');
    expect(check.algorithms).toBeUndefined();
    const decision = check.verify(ed);
    expect(decision).toEqual({ accept: false, reason: expect.stringMatching(/^host key not known: ssh-ed25519 SHA256:\S{43} for \[web01\.test\]:2222/) });
    expect(appended).toEqual([]);
  });

  test('unknown under accept-new: accepted once recorded, as a line OpenSSH reads', async () => {
    const { check, appended, seen } = policy('', 'accept-new');
    const decision = check.verify(ed);
    expect(decision.accept).toBe(true);
    expect(seen).toEqual([]); // not before the line is written
    await (decision as { record: () => Promise<void> }).record();
    expect(appended).toEqual([['/tmp/kh', line('[web01.test]:2222', ed)]]);
    expect(seen.map((s) => s.check)).toEqual(['added']);
  });

  test('accept-new with nowhere to record (UserKnownHostsFile none) behaves as yes', () => {
    const { check } = policy('', 'accept-new', { recordTo: undefined });
    expect(check.verify(ed).accept).toBe(false);
  });

  test.each(['yes', 'accept-new'] as const)('a changed key is refused under %s', (mode) => {
    const { check, appended } = policy(line('[web01.test]:2222', other), mode);
    expect(check.verify(ed)).toEqual({ accept: false, reason: expect.stringContaining('REMOTE HOST IDENTIFICATION HAS CHANGED') });
    expect(appended).toEqual([]);
  });

  test('a key of another type than the one known is "changed" too (OpenSSH hostfile.c)', () => {
    const { check } = policy(line('[web01.test]:2222', ecdsa), 'accept-new');
    expect(check.algorithms).toEqual(['ecdsa-sha2-nistp256']);
    expect(check.verify(ed).accept).toBe(false);
  });

  test('a revoked key is refused even when also listed as good', () => {
    const { check } = policy([line('[web01.test]:2222', ed), line('*', ed, '@revoked ')].join('\n'), 'accept-new');
    expect(check.verify(ed)).toEqual({ accept: false, reason: expect.stringContaining('revoked') });
  });

  test('@cert-authority lines never match, and say so', () => {
    const { check, warnings } = policy(line('*.test', ed, '@cert-authority '), 'yes');
    expect(check.verify(ed).accept).toBe(false);
    expect(warnings.join('\n')).toContain('cert-authority');
  });

  test('off: anything is accepted, and marked unchecked', () => {
    const { check, seen } = policy(line('[web01.test]:2222', other), 'off');
    expect(check.algorithms).toBeUndefined();
    expect(check.verify(ed)).toEqual({ accept: true });
    expect(seen.map((s) => s.check)).toEqual(['unchecked']);
  });
});
