// Picks and builds the transport for each host of a scan, sharing what hosts share: the ssh_config,
// known_hosts files, decrypted keys and jump-host connections.
import { readFailureReason, readInputFile } from '../local/input-file.js';
import { LocalResourceError } from '../local/resource-error.js';
import type { HostSpec, HostKeySeen } from '../model/index.js';
import type { LoadedConfig } from '../openssh/config/index.js';
import { resolveSshConfig } from '../openssh/config/index.js';
import { localSshTarget } from '../openssh/config/index.js';
import { interruptedError, unlessAborted } from './interrupt.js';
import { localTransport } from './local.js';
import { TransportError, type NotContacted, type Transport } from './transport.js';
import { planConnection, type ConnectionPlan, type ScanSshOptions, type SshConfigLookup } from './plan.js';
import { JumpPool, listAgentKeys, sshTransport, unusableAlgorithms } from './ssh.js';
import type { AuthMethod, SshEndpoint } from './ssh-endpoint.js';
import { hostKeyPolicy } from './host-key-policy.js';
import { KnownHostsBook } from './known-hosts-book.js';
import { appendKnownHost, parseRevokedHostKeys, rsaBits, type RevokedKeys } from '../openssh/known-hosts/index.js';
import { IdentityCache, type PassphraseSource } from './identity.js';

export interface FleetTransportOptions extends ScanSshOptions {
  sshConfig: LoadedConfig;
  passphrase: PassphraseSource;
  /** warnings worth telling the user once (missing identity files, config warnings) */
  warn: (message: string) => void;
}

/** ssh_config resolved for one name, with this machine's user and home. */
export function sshConfigLookup(config: LoadedConfig, local: { localUser: string; homeDir: string }): SshConfigLookup {
  return (target) =>
    resolveSshConfig(config, {
      ...localSshTarget(target.host),
      localUser: local.localUser,
      homeDir: local.homeDir,
      ...(target.user !== undefined ? { user: target.user } : {}),
      ...(target.port !== undefined ? { port: target.port } : {}),
      ...(target.identityFiles !== undefined ? { identityFiles: target.identityFiles } : {}),
      ...(target.commandLine !== undefined ? { commandLine: target.commandLine } : {}),
    });
}

export class FleetTransports {
  private readonly jumps = new JumpPool();
  private readonly identities: IdentityCache;
  private readonly knownHosts: KnownHostsBook;
  private readonly revoked = new Map<string, Promise<RevokedKeys | { error: string }>>();
  private readonly agents = new Map<string, Promise<Buffer[] | null>>();
  private readonly warned = new Set<string>();
  private readonly plans = new Map<HostSpec, ConnectionPlan>();

  constructor(private readonly options: FleetTransportOptions) {
    this.identities = new IdentityCache(options.passphrase);
    this.knownHosts = new KnownHostsBook(appendKnownHost, (message) => this.warnOnce(message));
  }

  /**
   * Plans every SSH host and reads (and unlocks) every key they will use, before the fan-out: a
   * passphrase prompt then comes once per key, up front, not under a progress bar.
   */
  async prepare(hosts: readonly HostSpec[]): Promise<void> {
    for (const spec of hosts) {
      if (spec.connection !== 'ssh' || spec.notContactedBecause !== undefined) continue;
      for (let plan: ConnectionPlan | null = this.plan(spec); plan; plan = plan.via) {
        if (plan.errors.length > 0) break;
        await this.authFor(plan);
      }
    }
  }

  private plan(spec: HostSpec): ConnectionPlan {
    let plan = this.plans.get(spec);
    if (!plan) {
      plan = planConnection(spec, sshConfigLookup(this.options.sshConfig, this.options), this.options);
      for (const warning of plan.warnings) this.warnOnce(warning);
      this.plans.set(spec, plan);
    }
    return plan;
  }

  transportFor = (spec: HostSpec): Transport | NotContacted => {
    // the inventory says how to reach it in a way fleetstat cannot honour (a docker connection, a template)
    if (spec.notContactedBecause !== undefined) {
      return { notContacted: true, kind: 'config', port: spec.port ?? 22, message: `not contacted: ${spec.notContactedBecause}` };
    }
    if (spec.connection === 'local') return localTransport();
    const plan = this.plan(spec);
    const errors = [...plan.errors];
    for (let hop: ConnectionPlan | null = plan; hop; hop = hop.via) {
      const unusable = unusableAlgorithms(hop.algorithms, hop.hostKeyAlgorithms.list);
      if (unusable) errors.push(hop === plan ? unusable : `${hop.label}: ${unusable}`);
    }
    if (errors.length > 0) {
      return { notContacted: true, kind: 'config', port: plan.port, message: `not contacted: ${errors.join('; ')}` };
    }
    let seen: HostKeySeen | undefined;
    let inner: Transport | undefined;
    return {
      exec: async (command, input, limits) => {
        // an agent that is slow to list its keys is waited for only until the scan is interrupted
        const endpoint = await unlessAborted(this.endpoint(plan, (key) => (seen = key)), limits.signal, () => interruptedError('', 'before connecting'));
        inner = sshTransport(endpoint, this.jumps);
        return inner.exec(command, input, limits);
      },
      close: async () => inner?.close(),
      hostKey: () => seen,
      port: plan.port,
    };
  };

  /** Ends the shared jump-host connections: call once the whole scan is done. */
  async close(): Promise<void> {
    await this.jumps.closeAll();
  }

  /**
   * Everything about host keys and identities is settled before a connection is opened: a host
   * whose keys cannot be checked as ssh would check them is refused without being contacted.
   */
  private async endpoint(plan: ConnectionPlan, onAccepted: (seen: HostKeySeen) => void, hop = false): Promise<SshEndpoint> {
    const refuse = (message: string): never => {
      throw new TransportError('hostkey', `${hop ? `${plan.label}: ` : ''}not contacted: ${message}`);
    };
    if (plan.hostKeyRefusal !== undefined) refuse(plan.hostKeyRefusal);
    let revoked: { file: string; keys: RevokedKeys } | undefined;
    if (plan.revokedHostKeys !== undefined) {
      const keys = await this.revokedKeys(plan.revokedHostKeys);
      if ('error' in keys) refuse(`RevokedHostKeys ${plan.revokedHostKeys}: ${keys.error}; ssh would refuse every host key, and so does fleetstat`);
      else revoked = { file: plan.revokedHostKeys, keys };
    }
    const knownHosts = await this.knownHosts.view([...plan.knownHostsFiles, ...plan.globalKnownHostsFiles]);
    return {
      host: plan.host,
      port: plan.port,
      user: plan.user,
      label: hop ? plan.label : '',
      hostKey: hostKeyPolicy({
        name: plan.knownHostsName,
        port: plan.knownHostsPort,
        mode: plan.hostKeyMode,
        knownHosts,
        ...(plan.knownHostsFiles[0] !== undefined ? { recordTo: plan.knownHostsFiles[0] } : {}),
        hash: plan.hashKnownHosts,
        ...(revoked ? { revoked } : {}),
        requiredRsaSize: plan.requiredRsaSize,
        hostKeyAlgorithms: plan.hostKeyAlgorithms,
        onAccepted,
        warn: (message) => this.warnOnce(message),
      }),
      auth: await this.authFor(plan),
      algorithms: plan.algorithms,
      connectTimeoutMs: plan.connectTimeoutMs,
      keepaliveIntervalMs: plan.keepaliveIntervalMs,
      keepaliveCountMax: plan.keepaliveCountMax,
      // a jump host's key is verified as strictly as any target's; what it accepted is not the target's
      ...(plan.via ? { via: await this.endpoint(plan.via, () => {}, true) } : {}),
    };
  }

  /**
   * The keys to offer, as sshconnect2.c pubkey_prepare() orders them: the agent's (those of the
   * identity files first; only those with IdentitiesOnly), then the identity files the agent does
   * not hold, read (and unlocked) from disk. A file whose key the agent holds is never unlocked.
   */
  private async authFor(plan: ConnectionPlan): Promise<AuthMethod[]> {
    const agentKeys = plan.agentSocket !== undefined ? await this.agentKeys(plan.agentSocket) : null;
    const inAgent = (key: Buffer | null) => key !== null && agentKeys !== null && agentKeys.some((k) => k.equals(key));
    const prefer: Buffer[] = [];
    const files: AuthMethod[] = [];
    for (const { path, explicit } of plan.identityFiles) {
      const publicKey = await this.identities.publicKey(path);
      const bits = publicKey ? rsaBits(publicKey) : 0;
      if (bits > 0 && bits < plan.requiredRsaSize) {
        // sshconnect2.c load_identity_file(): too small for RequiredRSASize, skipped
        this.warnOnce(`identity file ${path}: a ${bits}-bit RSA key, smaller than RequiredRSASize ${plan.requiredRsaSize}: not offered`);
        continue;
      }
      if (publicKey && inAgent(publicKey)) {
        prefer.push(publicKey);
        continue;
      }
      const identity = await this.identities.load(path, explicit);
      if (identity.warning) this.warnOnce(identity.warning);
      if (identity.method) files.push(identity.method);
    }
    const agent: AuthMethod[] =
      plan.agentSocket !== undefined && agentKeys !== null && agentKeys.length > 0 && (prefer.length > 0 || !plan.identitiesOnly)
        ? [{ type: 'agent', socket: plan.agentSocket, prefer, only: plan.identitiesOnly, minRsaBits: plan.requiredRsaSize }]
        : [];
    return [...agent, ...files];
  }

  /** The agent's keys, asked once per socket for the whole scan; null (and a warning) when it cannot be reached. */
  private agentKeys(socket: string): Promise<Buffer[] | null> {
    let keys = this.agents.get(socket);
    if (!keys) {
      keys = listAgentKeys(socket, 5000).then((found) => {
        if (found === null) this.warnOnce(`ssh-agent at ${socket}: not reachable, its keys are not offered`);
        return found;
      });
      this.agents.set(socket, keys);
    }
    return keys;
  }

  /** RevokedHostKeys read once per file for the whole scan; a file ssh could not use is an error. */
  private revokedKeys(file: string): Promise<RevokedKeys | { error: string }> {
    let keys = this.revoked.get(file);
    if (!keys) {
      keys = Promise.resolve(file).then((path) => parseRevokedHostKeys(readInputFile(path, 'known-hosts'))).catch((err: NodeJS.ErrnoException) => {
        if (err instanceof LocalResourceError) throw err; // no descriptors left: the run ends
        return { error: `cannot read: ${readFailureReason(err)}` };
      });
      this.revoked.set(file, keys);
    }
    return keys;
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.options.warn(message);
  }
}
