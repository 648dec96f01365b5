// The SSH transport: the only file that imports ssh2. One connection per host (through a shared
// connection per jump host), host keys always verified, every wait under a deadline. What a
// connection is asked to be is plain data (ssh-endpoint.ts), and what a failure means is decided in
// ssh-failure.ts; what is here needs ssh2 itself: connecting, running the command, the agent, key
// parsing, and which algorithms this ssh2 implements.
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuthenticationType, Client as SshClient, ConnectConfig, ParsedKey } from 'ssh2';
import { asLocalResourceError, type LocalResourceError } from '../local/resource-error.js';
import { rsaBits } from '../openssh/known-hosts/index.js';
import { endpointKey, messagePrefix, type AlgorithmChoice, type AuthMethod, type SshEndpoint } from './ssh-endpoint.js';
import { classifyConnectError, type SshLibraryError } from './ssh-failure.js';
import { CappedOutput, StderrHead, type ExecLimits, type ExecResult, type Transport, TransportError } from './transport.js';

// ssh2 is CommonJS: its classes come through the default export under Node's ESM
const { Client, OpenSSHAgent, utils } = ssh2;
type Client = SshClient;

const ssh2Internals = createRequire(import.meta.url);
const PUBLISHED = ssh2Internals('ssh2/lib/protocol/constants.js') as Record<
  'SUPPORTED_SERVER_HOST_KEY' | 'SUPPORTED_KEX' | 'SUPPORTED_CIPHER' | 'SUPPORTED_MAC',
  string[]
>;
/** ssh2's optional native crypto binding (its install script, which fleetstat's install denies, builds it). */
export const NATIVE_CRYPTO: boolean = (ssh2Internals('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean }).bindingAvailable;
const CHACHA20_POLY1305 = 'chacha20-poly1305@openssh.com';

/**
 * The algorithms this ssh2 can use (it publishes them only in its protocol constants). Without the
 * native binding its JavaScript chacha20-poly1305 corrupts a connection carried inside another that
 * uses it too (a target behind a jump host: the target's sshd ends it, "incomplete message"), so it
 * is left out and OpenSSH agrees on AES-GCM instead.
 */
const SUPPORTED: typeof PUBLISHED = {
  ...PUBLISHED,
  SUPPORTED_CIPHER: NATIVE_CRYPTO ? PUBLISHED.SUPPORTED_CIPHER : PUBLISHED.SUPPORTED_CIPHER.filter((c) => c !== CHACHA20_POLY1305),
};

/** One authenticated connection per jump host, shared by every target behind it, closed at the end. */
export class JumpPool {
  private readonly connections = new Map<string, Promise<Client>>();

  get(endpoint: SshEndpoint): Promise<Client> {
    const key = endpointKey(endpoint);
    let connection = this.connections.get(key);
    if (!connection) {
      connection = connect(endpoint, this);
      // a failed jump is retried by no one: every target behind it reports the same failure
      this.connections.set(key, connection);
    }
    return connection;
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.then((client) => client.end(), () => {})));
  }
}

export function sshTransport(endpoint: SshEndpoint, jumps: JumpPool): Transport {
  let client: Client | undefined;
  return {
    exec: async (command, input, limits) => {
      client = await connect(endpoint, jumps);
      return runCommand(client, endpoint, command, input, limits);
    },
    close: async () => {
      client?.end();
    },
  };
}

/** Opens, verifies and authenticates one connection, within the connect deadline. */
async function connect(endpoint: SshEndpoint, jumps: JumpPool): Promise<Client> {
  let sock: Duplex | undefined;
  if (endpoint.via) {
    const jump = await jumps.get(endpoint.via);
    sock = await forwardOut(jump, endpoint);
  }

  return new Promise<Client>((resolve, reject) => {
    const client = new Client();
    let hostKeyRejection: string | undefined;
    let authTried = false;
    let settled = false;
    const fail = (err: TransportError | LocalResourceError) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      client.end();
      client.destroy();
      reject(err);
    };
    // ssh2's readyTimeout covers the handshake; this covers everything up to `ready`, auth included
    const deadline = setTimeout(
      () => fail(new TransportError('timeout', `${messagePrefix(endpoint)}no SSH session within ${endpoint.connectTimeoutMs} ms`)),
      endpoint.connectTimeoutMs,
    );

    client.on('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(client);
    });
    client.on('error', (err: SshLibraryError) => {
      // no file descriptor left for the socket: this machine's problem, not the host's (ends the run)
      const local = asLocalResourceError(err, `connecting to ${endpoint.host}:${endpoint.port}`);
      if (local) return fail(local);
      if (hostKeyRejection !== undefined) return fail(new TransportError('hostkey', `${messagePrefix(endpoint)}${hostKeyRejection}`));
      fail(classifyConnectError(err, endpoint, authTried));
    });
    client.on('close', () => fail(new TransportError('unreachable', `${messagePrefix(endpoint)}connection closed before the session was ready`)));

    const auth = [...endpoint.auth];
    const config: ConnectConfig = {
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.user,
      ...(sock ? { sock } : {}),
      readyTimeout: endpoint.connectTimeoutMs,
      keepaliveInterval: endpoint.keepaliveIntervalMs,
      keepaliveCountMax: endpoint.keepaliveCountMax,
      algorithms: {
        kex: usable(endpoint.algorithms.kex, 'SUPPORTED_KEX'),
        cipher: usable(endpoint.algorithms.cipher, 'SUPPORTED_CIPHER'),
        hmac: usable(endpoint.algorithms.mac, 'SUPPORTED_MAC'),
        ...(endpoint.hostKey.algorithms ? { serverHostKey: usable(endpoint.hostKey.algorithms, 'SUPPORTED_SERVER_HOST_KEY') } : {}),
      } as never,
      // Never `async`, never a returned Promise (ssh2 would take it as "accept"): return nothing, call verify.
      hostVerifier: (blob: Buffer, verify: (ok: boolean) => void) => {
        const decision = endpoint.hostKey.verify(blob);
        if (!decision.accept) {
          hostKeyRejection = decision.reason;
          verify(false);
          return;
        }
        if (!decision.record) {
          verify(true);
          return;
        }
        decision.record().then(
          () => verify(true),
          (err: Error) => {
            hostKeyRejection = `could not record the new host key: ${err.message}`;
            verify(false);
          },
        );
      },
      authHandler: (_methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: (m: unknown) => void) => {
        authTried = true;
        const method = auth.shift();
        if (!method) return next(false);
        if (method.type === 'agent') return next({ type: 'agent', username: endpoint.user, agent: new ChosenKeysAgent(method) });
        return next({ type: 'publickey', username: endpoint.user, key: method.key, ...(method.passphrase ? { passphrase: method.passphrase } : {}) });
      },
    } as ConnectConfig;
    try {
      client.connect(config);
    } catch (err) {
      fail(new TransportError('auth', `${messagePrefix(endpoint)}${(err as Error).message}`));
    }
  });
}

/** A channel to the target through its jump host's connection, within the connect deadline. */
function forwardOut(jump: Client, target: SshEndpoint): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new TransportError('timeout', `${messagePrefix(target)}the jump host did not open a channel within ${target.connectTimeoutMs} ms`)),
      target.connectTimeoutMs,
    );
    jump.forwardOut('127.0.0.1', 0, target.host, target.port, (err, channel) => {
      clearTimeout(timer);
      if (err) reject(new TransportError('unreachable', `${messagePrefix(target)}the jump host could not reach ${target.host}:${target.port}: ${err.message}`));
      else resolve(channel);
    });
  });
}

/** Runs the command on an open connection: stdin in, stdout under the byte cap, all within the deadline. */
function runCommand(client: Client, endpoint: SshEndpoint, command: string, input: Buffer, limits: ExecLimits): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const stdout = new CappedOutput(limits.maxBytes);
    const stderr = new StderrHead();
    let exitCode: number | null = null;
    let signal: string | null = null;
    let settled = false;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ stdout: stdout.buffer, stderr: stderr.text, exitCode, signal, truncated: stdout.truncated, timedOut });
    };
    // ssh2's exec has no deadline of its own
    const deadline = setTimeout(() => {
      client.end();
      finish(true);
    }, limits.deadlineMs);

    client.exec(command, (err, stream) => {
      if (err) {
        settled = true;
        clearTimeout(deadline);
        reject(new TransportError('exec', `${messagePrefix(endpoint)}the server refused to run the command: ${err.message}`));
        return;
      }
      stream.on('data', (chunk: Buffer) => {
        if (stdout.push(chunk) || settled) return;
        // past the byte cap: stop reading, drop the connection
        stream.close();
        client.end();
        finish(false);
      });
      stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      stream.on('exit', (code: number | null, sig?: string) => {
        exitCode = code;
        signal = sig ?? null;
      });
      stream.on('close', () => finish(false));
      stream.end(input);
    });
  });
}

// Which algorithms this ssh2 implements: a list it cannot satisfy at all refuses the host before contact.

/** The names of `wanted` this ssh2 can use, in wanted's order. */
function usable(wanted: readonly string[], kind: keyof typeof SUPPORTED): string[] {
  return wanted.filter((a) => SUPPORTED[kind].includes(a));
}

/** What ssh_config asks for that this ssh2 cannot do at all (an empty list): the host must not be contacted. */
export function unusableAlgorithms(choice: AlgorithmChoice, hostKey: readonly string[]): string | null {
  const lists = [['KexAlgorithms', choice.kex, 'SUPPORTED_KEX'], ['Ciphers', choice.cipher, 'SUPPORTED_CIPHER'],
    ['MACs', choice.mac, 'SUPPORTED_MAC'], ['HostKeyAlgorithms', hostKey, 'SUPPORTED_SERVER_HOST_KEY']] as const;
  for (const [keyword, wanted, kind] of lists) {
    if (usable(wanted, kind).length > 0) continue;
    const why = kind === 'SUPPORTED_CIPHER' && !NATIVE_CRYPTO && wanted.includes(CHACHA20_POLY1305)
      ? ` (its chacha20-poly1305 needs ssh2's native crypto binding, which fleetstat's install does not build)` : '';
    return `${keyword} allows only ${wanted.join(',')}, none of which fleetstat's SSH library implements${why}`;
  }
  return null;
}

// The agent, through ssh2's client for it.

/** An ssh-agent seen through IdentitiesOnly and RequiredRSASize, ordered as sshconnect2.c pubkey_prepare() orders it. */
class ChosenKeysAgent extends OpenSSHAgent {
  constructor(private readonly method: Extract<AuthMethod, { type: 'agent' }>) {
    super(method.socket);
  }

  override getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
    super.getIdentities((err, keys) => {
      if (err || !keys) return cb(err ?? new Error('the agent listed no keys'));
      const usableKeys = parsedKeys(keys).filter((k) => k.type !== 'ssh-rsa' || rsaBits(k.getPublicSSH()) >= this.method.minRsaBits);
      const preferred = (k: ParsedKey) => this.method.prefer.some((b) => b.equals(k.getPublicSSH()));
      cb(undefined, [...usableKeys.filter(preferred), ...(this.method.only ? [] : usableKeys.filter((k) => !preferred(k)))]);
    });
  }
}

/** The public keys an ssh-agent holds, or null when it cannot be reached (ssh then goes on without it). */
export function listAgentKeys(socket: string, timeoutMs: number): Promise<Buffer[] | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    new OpenSSHAgent(socket).getIdentities((err, keys) => {
      clearTimeout(timer);
      resolve(err || !keys ? null : parsedKeys(keys).map((k) => k.getPublicSSH()));
    });
  });
}

/** An agent's answer as keys (what ssh2 cannot read is left out, as ssh2 itself does). */
function parsedKeys(keys: ReadonlyArray<unknown>): ParsedKey[] {
  const out: ParsedKey[] = [];
  for (const k of keys) {
    const parsed = typeof k === 'object' && k !== null && 'getPublicSSH' in k ? (k as ParsedKey) : utils.parseKey(k as Buffer | string);
    if (!(parsed instanceof Error) && !Array.isArray(parsed)) out.push(parsed);
  }
  return out;
}

// Private keys, as ssh2 reads them (identity.ts decides which to read and how to unlock them).

/** The public key of an unencrypted private key ssh2 can read (PEM or OpenSSH); null otherwise. */
export function publicKeyOfUnencrypted(file: Buffer): Buffer | null {
  const parsed = utils.parseKey(file);
  if (parsed instanceof Error) return null;
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  return first ? first.getPublicSSH() : null;
}

export type PrivateKeyCheck = 'ok' | 'needs-passphrase' | 'bad-passphrase' | 'not-a-private-key';

/** Whether ssh2 can use these bytes as a private key (with this passphrase). */
export function checkPrivateKey(key: Buffer, passphrase?: string): PrivateKeyCheck {
  const parsed = utils.parseKey(key, passphrase);
  if (parsed instanceof Error) {
    if (/no passphrase given/i.test(parsed.message)) return 'needs-passphrase';
    if (/bad passphrase|integrity check failed|decrypt/i.test(parsed.message)) return 'bad-passphrase';
    return 'not-a-private-key';
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  return first?.isPrivateKey() ? 'ok' : 'not-a-private-key';
}
