// Private keys for publickey auth: read once per file for the whole fleet, decrypted with a
// passphrase from the environment or, on a terminal only, from a prompt. Batch-safe: without a
// terminal nothing ever waits for input.
import { readInputFile } from '../local/input-file.js';
import { LocalResourceError } from '../local/resource-error.js';
import type { AuthMethod } from './ssh.js';
import { checkPrivateKey } from './ssh.js';

/** Asks for a key's passphrase; undefined when there is no one to ask. */
export type PassphraseSource = (keyPath: string, retry: boolean) => Promise<string | undefined>;

export interface LoadedIdentity {
  method?: Extract<AuthMethod, { type: 'publickey' }>;
  /** why the file is not used, when it is not (a missing default file is silent) */
  warning?: string;
}

export class IdentityCache {
  private readonly loaded = new Map<string, Promise<LoadedIdentity>>();
  private prompting: Promise<unknown> = Promise.resolve();

  constructor(private readonly passphrase: PassphraseSource) {}

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
    for (let attempt = 0; attempt < 3; attempt++) {
      const passphrase = await this.passphrase(path, attempt > 0);
      if (passphrase === undefined) {
        return { warning: `identity file ${path} is encrypted and no passphrase was given (set FLEETSTAT_SSH_PASSPHRASE, use ssh-agent, or run on a terminal)` };
      }
      if (checkPrivateKey(key, passphrase) === 'ok') return { method: { type: 'publickey', key, passphrase, source: path } };
    }
    return { warning: `identity file ${path}: wrong passphrase` };
  }
}

/**
 * FLEETSTAT_SSH_PASSPHRASE when set (tried once: a wrong one is not asked again), else a prompt when
 * both stdin and stderr are terminals, else nothing.
 */
export function defaultPassphraseSource(env: NodeJS.ProcessEnv = process.env): PassphraseSource {
  return async (keyPath, retry) => {
    const fromEnv = env.FLEETSTAT_SSH_PASSPHRASE;
    if (fromEnv !== undefined) return retry ? undefined : fromEnv;
    if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
    return promptHidden(`${retry ? 'Wrong passphrase. ' : ''}Enter passphrase for key '${keyPath}': `);
  };
}

/** Reads one line from the terminal without echo. */
function promptHidden(prompt: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
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
