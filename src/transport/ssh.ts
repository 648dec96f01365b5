// The SSH transport: the only file that imports ssh2. One connection per host (through a shared
// connection per jump host), host keys always verified, every wait under a deadline. What a
// connection is asked to be is plain data (ssh-endpoint.ts), and what a failure means is decided in
// ssh-failure.ts; what is here needs ssh2 itself: connecting, running the command, the agent, key
// parsing, and which algorithms this ssh2 implements.
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuthenticationType, Client as SshClient, ConnectConfig, ParsedKey } from 'ssh2';
import { asLocalResourceError, LocalResourceError } from '../local/resource-error.js';
import { rsaBits } from '../openssh/known-hosts/index.js';
import { endpointKey, messagePrefix, type AlgorithmChoice, type AuthMethod, type SshEndpoint } from './ssh-endpoint.js';
import { classifyConnectError, type SshLibraryError } from './ssh-failure.js';
import { interruptedError, unlessAborted, whenAborted } from './interrupt.js';
import { drawOn } from './output-budget.js';
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
/** An authenticated connection, and what ends it at once (its socket destroyed, not half-closed). */
interface Session {
  client: Client;
  destroy(): void;
  /** a polite end (SSH disconnect, then FIN); destroyed after a short grace if the peer never closes */
  end(): void;
}

/** How long a polite end may wait for the peer's close before the socket is destroyed. */
const END_GRACE_MS = 1000;

/**
 * One authenticated connection per jump host, shared by every target behind it. A connection that
 * fails or dies is forgotten at once, so that a later target opens a new one (targets waiting on it
 * at that moment fail with it). Closed at the end of the scan.
 */
export class JumpPool {
  private readonly connections = new Map<string, Promise<Session>>();

  get(endpoint: SshEndpoint): Promise<Session> {
    const key = endpointKey(endpoint);
    const existing = this.connections.get(key);
    if (existing) return existing;
    const connecting = connect(endpoint, this);
    this.connections.set(key, connecting);
    const forget = () => {
      if (this.connections.get(key) === connecting) this.connections.delete(key);
    };
    connecting.then((session) => session.client.once('close', forget), forget);
    return connecting;
  }

  /** Forgets a jump connection found unusable (its targets cannot open channels through it) and ends it. */
  drop(endpoint: SshEndpoint, session: Session): void {
    const key = endpointKey(endpoint);
    const current = this.connections.get(key);
    if (current) void current.then((s) => s === session && this.connections.get(key) === current && this.connections.delete(key), () => {});
    session.destroy();
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.then((session) => session.end(), () => {})));
  }
}

export function sshTransport(endpoint: SshEndpoint, jumps: JumpPool): Transport {
  let session: Session | undefined;
  return {
    exec: (command, input, limits) =>
      contained(endpoint, async () => {
        session = await connect(endpoint, jumps, limits.signal);
        return runCommand(session, endpoint, command, input, limits);
      }),
    close: async () => {
      session?.end();
    },
  };
}

/**
 * Whatever the SSH library throws while a host is reached (synchronously, from a closed connection, a
 * key it cannot use …) is that host's failure, never an exception out of exec().
 */
async function contained<T>(endpoint: SshEndpoint, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TransportError || err instanceof LocalResourceError) throw err;
    throw new TransportError('exec', `${messagePrefix(endpoint)}the SSH library failed: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** Opens, verifies and authenticates one connection, within the connect deadline (and until interrupted). */
async function connect(endpoint: SshEndpoint, jumps: JumpPool, signal?: AbortSignal): Promise<Session> {
  const prefix = messagePrefix(endpoint);
  if (signal?.aborted) throw interruptedError(prefix, 'before connecting');
  let sock: Duplex;
  if (endpoint.via) {
    const via = endpoint.via;
    const jump = await unlessAborted(jumps.get(via), signal, () => interruptedError(prefix, 'while waiting for the jump host'));
    sock = await forwardOut(jump, endpoint, signal, () => jumps.drop(via, jump));
  } else {
    // our own socket, not ssh2's: ssh2's destroy() is a no-op once end() has half-closed it
    const tcp = new Socket();
    tcp.connect({ host: endpoint.host, port: endpoint.port });
    sock = tcp;
  }

  return new Promise<Session>((resolve, reject) => {
    const client = new Client();
    const session: Session = {
      client,
      destroy: () => sock.destroy(),
      end: () => {
        client.end();
        setTimeout(() => sock.destroy(), END_GRACE_MS).unref();
      },
    };
    let hostKeyRejection: string | undefined;
    let authTried = false;
    let settled = false;
    const fail = (err: TransportError | LocalResourceError) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      stopListening();
      session.destroy();
      reject(err);
    };
    // ssh2's readyTimeout covers the handshake; this covers everything up to `ready`, auth included
    const deadline = setTimeout(
      () => fail(new TransportError('timeout', `${prefix}no SSH session within ${endpoint.connectTimeoutMs} ms`)),
      endpoint.connectTimeoutMs,
    );
    const stopListening = whenAborted(signal, () => fail(interruptedError(prefix, 'while connecting')));

    client.on('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      stopListening();
      resolve(session);
    });
    // stays for the connection's life: an error after `ready` (a reset, a keepalive timeout) must not
    // be an unhandled 'error' event; the command sees the connection close
    client.on('error', (err: SshLibraryError) => {
      // no file descriptor left for the socket: this machine's problem, not the host's (ends the run)
      const local = asLocalResourceError(err, `connecting to ${endpoint.host}:${endpoint.port}`);
      if (local) return fail(local);
      if (hostKeyRejection !== undefined) return fail(new TransportError('hostkey', `${prefix}${hostKeyRejection}`));
      fail(classifyConnectError(err, endpoint, authTried));
    });
    client.on('close', () => fail(new TransportError('unreachable', `${prefix}connection closed before the session was ready`)));
    // a callback of ours that throws inside ssh2's packet handling must fail this host, not the process
    const guarded = <A extends unknown[]>(what: string, body: (...args: A) => void) => (...args: A) => {
      try {
        body(...args);
      } catch (err) {
        fail(new TransportError(what === 'hostkey' ? 'hostkey' : 'auth', `${prefix}${(err as Error)?.message ?? String(err)}`));
      }
    };

    const auth = [...endpoint.auth];
    const config: ConnectConfig = {
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.user,
      sock,
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
      hostVerifier: guarded('hostkey', (blob: Buffer, verify: (ok: boolean) => void) => {
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
      }),
      authHandler: guarded('auth', (_methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: (m: unknown) => void) => {
        authTried = true;
        const method = auth.shift();
        if (!method) return next(false);
        if (method.type === 'agent') return next({ type: 'agent', username: endpoint.user, agent: new ChosenKeysAgent(method) });
        return next({ type: 'publickey', username: endpoint.user, key: method.key, ...(method.passphrase ? { passphrase: method.passphrase } : {}) });
      }),
    } as ConnectConfig;
    try {
      client.connect(config);
    } catch (err) {
      fail(new TransportError('auth', `${prefix}${(err as Error).message}`));
    }
  });
}

/**
 * A channel to the target through its jump host's connection, within the connect deadline. A jump
 * connection that cannot open channels any more (it is closed) is dropped, for later targets to renew.
 */
function forwardOut(jump: Session, target: SshEndpoint, signal: AbortSignal | undefined, dropJump: () => void): Promise<Duplex> {
  const prefix = messagePrefix(target);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err: TransportError | null, channel?: Duplex) => {
      if (settled) {
        channel?.destroy(); // opened after the wait was over: nobody will use it
        return;
      }
      settled = true;
      clearTimeout(timer);
      stopListening();
      if (err) reject(err);
      else resolve(channel!);
    };
    const timer = setTimeout(
      () => settle(new TransportError('timeout', `${prefix}the jump host did not open a channel within ${target.connectTimeoutMs} ms`)),
      target.connectTimeoutMs,
    );
    const stopListening = whenAborted(signal, () => settle(interruptedError(prefix, 'while the jump host opened a channel')));
    try {
      jump.client.forwardOut('127.0.0.1', 0, target.host, target.port, (err, channel) => {
        if (err) settle(new TransportError('unreachable', `${prefix}the jump host could not reach ${target.host}:${target.port}: ${err.message}`));
        else settle(null, channel);
      });
    } catch (err) {
      // ssh2 throws when the jump connection is already gone
      dropJump();
      settle(new TransportError('unreachable', `${prefix}the jump host's connection was lost: ${(err as Error).message}`));
    }
  });
}

/**
 * Runs the command on an open connection: stdin in, stdout under the byte cap, all within the
 * deadline. At the deadline, the byte cap or an interrupt the connection is destroyed at once: a
 * host that stopped answering must not keep this process alive.
 */
function runCommand(session: Session, endpoint: SshEndpoint, command: string, input: Buffer, limits: ExecLimits): Promise<ExecResult> {
  const { client } = session;
  return new Promise((resolve, reject) => {
    const stdout = new CappedOutput(limits.maxBytes);
    const stderr = new StderrHead();
    let exitCode: number | null = null;
    let signal: string | null = null;
    let settled = false;
    const done = () => {
      if (settled) return false;
      settled = true;
      clearTimeout(deadline);
      stopListening();
      return true;
    };
    const finish = (timedOut: boolean) => {
      if (done()) resolve({ stdout: stdout.buffer, stderr: stderr.text, exitCode, signal, truncated: stdout.truncated, timedOut });
    };
    const fail = (err: TransportError) => {
      if (!done()) return;
      session.destroy();
      reject(err);
    };
    // ssh2's exec has no deadline of its own
    const deadline = setTimeout(() => {
      session.destroy();
      finish(true);
    }, limits.deadlineMs);
    const stopListening = whenAborted(limits.signal, () => fail(interruptedError(messagePrefix(endpoint), 'while the command ran')));
    // the connection lost under a running command (a reset, a dead jump host): no exit status
    client.once('close', () => finish(false));

    try {
      client.exec(command, (err, stream) => {
        if (err) return fail(new TransportError('exec', `${messagePrefix(endpoint)}the server refused to run the command: ${err.message}`));
        if (settled) return stream.destroy();
        stream.on('data', (chunk: Buffer) => {
          if (stdout.push(chunk) || settled) return drawOn(limits.budget, stream, chunk.length);
          // past the byte cap: stop reading, drop the connection
          session.destroy();
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
    } catch (err) {
      // ssh2 throws when the connection closed between `ready` and now
      fail(new TransportError('exec', `${messagePrefix(endpoint)}the connection was lost before the command started: ${(err as Error).message}`));
    }
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
