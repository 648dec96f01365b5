// Private keys for publickey auth: read once per file for the whole fleet, decrypted with a
// passphrase from the environment or, on a terminal only, from a prompt. Batch-safe: without a
// terminal nothing ever waits for input.
import { readInputFile } from '../local/input-file.js';
import { LocalResourceError } from '../local/resource-error.js';
import type { AuthMethod } from './ssh-endpoint.js';
import { checkPrivateKey, publicKeyOfUnencrypted } from './ssh.js';
import { keyParts } from '../openssh/known-hosts/index.js';

/** A passphrase and where it came from, or why there is none (to be said as "… is encrypted and WHY"). */
export type PassphraseAnswer = { passphrase: string; from: string } | { none: string };

/** Asks for a key's passphrase (again, after a wrong one, when `retry`). */
export type PassphraseSource = (keyPath: string, retry: boolean) => Promise<PassphraseAnswer>;

export interface LoadedIdentity {
  method?: Extract<AuthMethod, { type: 'publickey' }>;
  /** why the file is not used, when it is not (a missing default file is silent) */
  warning?: string;
}

export class IdentityCache {
  private readonly loaded = new Map<string, Promise<LoadedIdentity>>();
  private readonly publics = new Map<string, Promise<Buffer | null>>();
  private prompting: Promise<unknown> = Promise.resolve();

  constructor(private readonly passphrase: PassphraseSource) {}

  /**
   * The public key of an identity file without unlocking it, as authfile.c sshkey_load_public()
   * finds it: the file itself as a public key, then FILE.pub, then the public half a private key
   * carries in clear (OpenSSH's format, or unencrypted PEM). null: none of these.
   */
  publicKey(path: string): Promise<Buffer | null> {
    let key = this.publics.get(path);
    if (!key) {
      key = (async () => (await publicKeyFile(path)) ?? (await publicKeyFile(`${path}.pub`)) ?? publicKeyOfPrivate(readKeyFileOrEmpty(path)))();
      this.publics.set(path, key);
    }
    return key;
  }

  /** `explicit`: named by the inventory or ssh_config, so a missing file is worth a warning. */
  load(path: string, explicit: boolean): Promise<LoadedIdentity> {
    let identity = this.loaded.get(path);
    if (!identity) {
      identity = this.read(path, explicit);
      this.loaded.set(path, identity);
    }
    return identity;
  }

  private async read(path: string, explicit: boolean): Promise<LoadedIdentity> {
    let key: Buffer;
    try {
      key = readInputFile(path, 'private-key');
    } catch (err) {
      if (err instanceof LocalResourceError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !explicit) return {};
      return { warning: `identity file ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}` };
    }
    const check = checkPrivateKey(key);
    if (check === 'ok') return { method: { type: 'publickey', key, source: path } };
    if (check === 'not-a-private-key') return { warning: `identity file ${path}: not a private key ssh2 can read` };
    // encrypted: one prompt at a time, however many hosts wait for keys
    const turn = this.prompting.then(() => this.unlock(path, key));
    this.prompting = turn.catch(() => {});
    return turn;
  }

  private async unlock(path: string, key: Buffer): Promise<LoadedIdentity> {
    const wrong: string[] = [];
    const wrongPassphrase = () => ({ warning: `identity file ${path}: wrong passphrase (${[...new Set(wrong)].join(', ')}${wrong.length > 1 ? `, ${wrong.length} tries` : ''}); the key is not used` });
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await this.passphrase(path, attempt > 0);
      if ('none' in answer) return wrong.length > 0 ? wrongPassphrase() : { warning: `identity file ${path} is encrypted and ${answer.none}` };
      const check = checkPrivateKey(key, answer.passphrase);
      if (check === 'ok') return { method: { type: 'publickey', key, passphrase: answer.passphrase, source: path } };
      if (check !== 'bad-passphrase') return { warning: `identity file ${path}: not a private key ssh2 can read` };
      wrong.push(`from ${answer.from}`);
    }
    return wrongPassphrase();
  }
}

/**
 * The public key a private key file carries without its passphrase: OpenSSH's own format keeps it
 * in clear (PROTOCOL.key), an unencrypted PEM key is read whole. null: not to be had unlocked.
 */
function publicKeyOfPrivate(file: Buffer): Buffer | null {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END OPENSSH PRIVATE KEY-----/.exec(file.toString('latin1'));
  if (!m) return publicKeyOfUnencrypted(file);
  const body = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!body.subarray(0, magic.length).equals(magic)) return null;
  let pos = magic.length;
  const string = (): Buffer | null => {
    if (pos + 4 > body.length) return null;
    const len = body.readUInt32BE(pos);
    if (pos + 4 + len > body.length) return null;
    pos += 4 + len;
    return body.subarray(pos - len, pos);
  };
  if (!string() || !string() || !string() || pos + 4 > body.length || body.readUInt32BE(pos) < 1) return null; // cipher, kdf, its options, key count
  pos += 4;
  return string();
}

/** A key file's bytes, empty when it cannot be read (running out of descriptors still ends the run). */
function readKeyFileOrEmpty(path: string): Buffer {
  try {
    return readInputFile(path, 'private-key');
  } catch (err) {
    if (err instanceof LocalResourceError) throw err;
    return Buffer.alloc(0);
  }
}

/** A `type base64 [comment]` public key file's blob; null when the file is not one. */
async function publicKeyFile(path: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = readInputFile(path, 'private-key').toString('latin1');
  } catch (err) {
    if (err instanceof LocalResourceError) throw err;
    return null;
  }
  const [type, base64] = text.trim().split(/\s+/);
  if (type === undefined || base64 === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const blob = Buffer.from(base64, 'base64');
  const parts = keyParts(blob);
  return !('error' in parts) && parts.type === type ? blob : null;
}

/**
 * FLEETSTAT_SSH_PASSPHRASE when set (tried once: a wrong one is not asked again), else a prompt when
 * both stdin and stderr are terminals, else nothing.
 */
export function defaultPassphraseSource(env: NodeJS.ProcessEnv = process.env): PassphraseSource {
  return async (keyPath, retry) => {
    const fromEnv = env.FLEETSTAT_SSH_PASSPHRASE;
    if (fromEnv !== undefined) return retry ? { none: 'FLEETSTAT_SSH_PASSPHRASE is tried only once' } : { passphrase: fromEnv, from: 'FLEETSTAT_SSH_PASSPHRASE' };
    if (!process.stdin.isTTY || !process.stderr.isTTY) return { none: 'no passphrase was given (set FLEETSTAT_SSH_PASSPHRASE, use ssh-agent, or run on a terminal)' };
    const typed = await promptHidden(`${retry ? 'Wrong passphrase. ' : ''}Enter passphrase for key '${keyPath}': `);
    return typed === undefined ? { none: 'no passphrase was typed' } : { passphrase: typed, from: 'the terminal' };
  };
}

/** Reads one line from the terminal without echo. */
function promptHidden(prompt: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    // echo off before the prompt shows, as readpassphrase(3) does: what is typed (or pasted) at once is not echoed
    stdin.setRawMode(true);
    stdin.resume();
    process.stderr.write(prompt);
    let typed = '';
    const done = (value: string | undefined) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(typed);
        if (ch === '\u0003' || ch === '\u0004') return done(undefined); // Ctrl-C, Ctrl-D: no passphrase
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
