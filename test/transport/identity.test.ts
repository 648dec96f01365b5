// Identity files: their public key found without unlocking them (as ssh matches them against the
// agent's keys), and what is said when a passphrase is missing or wrong. Keys are made by ssh-keygen.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityCache, type PassphraseAnswer } from '../../src/transport/identity.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';

describeIf(hasCommand('ssh-keygen') ? [] : ['ssh-keygen (openssh-client)'], 'identity files', () => {
  let dir: string;
  const keygen = (name: string, args: string[]) => {
    execFileSync('ssh-keygen', ['-q', ...args, '-C', name, '-f', join(dir, name)], { stdio: 'ignore' });
    return Buffer.from(readFileSync(join(dir, `${name}.pub`), 'utf8').split(' ')[1]!, 'base64');
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-identity-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const none = async (): Promise<PassphraseAnswer> => ({ none: 'no passphrase was given' });

  test.each([
    ['an OpenSSH key with its .pub', 'plain', ['-t', 'ed25519', '-N', ''], false],
    ['an encrypted OpenSSH key, no .pub: its public half is in clear', 'encrypted', ['-t', 'ed25519', '-N', 'secret'], true],
    ['an unencrypted PEM key, no .pub', 'pem', ['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', ''], true],
  ] as const)('%s', async (_why, name, args, dropPub) => {
    const blob = keygen(name, [...args]);
    if (dropPub) unlinkSync(join(dir, `${name}.pub`));
    expect((await new IdentityCache(none).publicKey(join(dir, name)))?.equals(blob)).toBe(true);
  });

  test('an encrypted PEM key without its .pub: no public key to be had', async () => {
    keygen('pem-encrypted', ['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'secret']);
    unlinkSync(join(dir, 'pem-encrypted.pub'));
    expect(await new IdentityCache(none).publicKey(join(dir, 'pem-encrypted'))).toBeNull();
  });

  test('only a .pub, the private key elsewhere (in an agent): its public key', async () => {
    const blob = keygen('agent-only', ['-t', 'ed25519', '-N', '']);
    unlinkSync(join(dir, 'agent-only'));
    expect((await new IdentityCache(none).publicKey(join(dir, 'agent-only')))?.equals(blob)).toBe(true);
  });

  describe('passphrases', () => {
    beforeAll(() => keygen('locked', ['-t', 'ed25519', '-N', 'right']));
    const load = (answers: PassphraseAnswer[]) => {
      const asked: boolean[] = [];
      const cache = new IdentityCache(async (_path, retry) => {
        asked.push(retry);
        return answers.shift() ?? { none: 'no passphrase was typed' };
      });
      return { identity: cache.load(join(dir, 'locked'), true), asked };
    };

    test('none given: says so', async () => {
      const { identity } = load([{ none: 'no passphrase was given (set FLEETSTAT_SSH_PASSPHRASE, use ssh-agent, or run on a terminal)' }]);
      expect(await identity).toEqual({ warning: `identity file ${join(dir, 'locked')} is encrypted and no passphrase was given (set FLEETSTAT_SSH_PASSPHRASE, use ssh-agent, or run on a terminal)` });
    });

    test('a wrong one from the environment: "wrong passphrase", naming where it came from, not "none given"', async () => {
      const { identity } = load([{ passphrase: 'wrong', from: 'FLEETSTAT_SSH_PASSPHRASE' }, { none: 'FLEETSTAT_SSH_PASSPHRASE is tried only once' }]);
      expect(await identity).toEqual({ warning: `identity file ${join(dir, 'locked')}: wrong passphrase (from FLEETSTAT_SSH_PASSPHRASE); the key is not used` });
    });

    test('three wrong ones typed: asked three times, then "wrong passphrase"', async () => {
      const { identity, asked } = load([1, 2, 3].map((n) => ({ passphrase: `wrong${n}`, from: 'the terminal' })));
      expect(await identity).toEqual({ warning: `identity file ${join(dir, 'locked')}: wrong passphrase (from the terminal, 3 tries); the key is not used` });
      expect(asked).toEqual([false, true, true]);
    });

    test('a wrong one, then the right one', async () => {
      const { identity } = load([{ passphrase: 'wrong', from: 'the terminal' }, { passphrase: 'right', from: 'the terminal' }]);
      expect(await identity).toEqual({ method: expect.objectContaining({ type: 'publickey', passphrase: 'right' }) });
    });
  });
});
