// Real SSH keys for the known_hosts tests: the fixture public keys (with ssh-keygen's fingerprints
// saved beside them), or fresh key pairs made by ssh-keygen in a temporary directory.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestKey {
  name: string;
  type: string;
  blob: Buffer;
  /** `type base64`, as in a known_hosts line */
  text: string;
  /** as `ssh-keygen -lf` prints it */
  fingerprint: string;
  /** the private key file, for keys made by ssh-keygen */
  privateKey?: string;
}

const FIXTURE_KEYS = join(process.cwd(), 'fixtures/ssh/keys');

function fromPublicLine(name: string, line: string, fingerprint: string, privateKey?: string): TestKey {
  const [type, base64] = line.trim().split(/\s+/) as [string, string];
  return { name, type, blob: Buffer.from(base64, 'base64'), text: `${type} ${base64}`, fingerprint, ...(privateKey ? { privateKey } : {}) };
}

/** fixtures/ssh/keys: ed25519, ecdsa256, ecdsa384, ecdsa521, rsa2048, dsa. */
export function fixtureKeys(): Record<string, TestKey> {
  const fingerprints = new Map<string, string>();
  for (const line of readFileSync(join(FIXTURE_KEYS, 'fingerprints.txt'), 'utf8').trim().split('\n')) {
    const [, fp, comment] = line.split(' ') as [string, string, string];
    fingerprints.set(comment.replace('fleetstat-fixture-', ''), fp);
  }
  const keys: Record<string, TestKey> = {};
  for (const name of ['ed25519', 'ecdsa256', 'ecdsa384', 'ecdsa521', 'rsa2048', 'dsa']) {
    keys[name] = fromPublicLine(name, readFileSync(join(FIXTURE_KEYS, `${name}.pub`), 'utf8'), fingerprints.get(name)!);
  }
  return keys;
}

/** A fresh key pair: `ssh-keygen -t TYPE -N ''`; the fingerprint is ssh-keygen's own. */
export function generateKey(dir: string, name: string, type: 'ed25519' | 'ecdsa' | 'rsa', bits?: number): TestKey {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', name, '-f', file], { stdio: 'ignore' });
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${file}.pub`, '-E', 'sha256'], { encoding: 'utf8' }).split(' ')[1]!;
  return fromPublicLine(name, readFileSync(`${file}.pub`, 'utf8'), fingerprint, file);
}

/** `ssh-keygen -F name -f file`: the line numbers it prints, with REVOKED / CA tags. */
export function sshKeygenFind(file: string, name: string): string[] {
  let out: string;
  try {
    out = execFileSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 1) return []; // not found
    throw e;
  }
  const found: string[] = [];
  for (const m of out.matchAll(/^# Host .* found: line (\d+) ?(\S*)$/gm)) found.push(m[2] ? `${m[1]} ${m[2]}` : m[1]!);
  return found;
}
