// Picks and builds the transport for each host of a scan, sharing what hosts share: the ssh_config,
// known_hosts files, decrypted keys and jump-host connections.
import type { HostSpec, HostKeySeen } from '../model/index.js';
import type { LoadedConfig } from '../openssh/config/index.js';
import { resolveSshConfig } from '../openssh/config/index.js';
import { localSshTarget } from '../openssh/config/index.js';
import { localTransport } from './local.js';
import type { NotContacted, Transport } from './transport.js';
import { planConnection, type ConnectionPlan, type ScanSshOptions, type SshConfigLookup } from './plan.js';
import { JumpPool, sshTransport, type AuthMethod, type SshEndpoint } from './ssh.js';
import { hostKeyPolicy } from './host-key-policy.js';
import { appendKnownHost, readKnownHosts } from '../openssh/known-hosts/index.js';
import type { KnownHostEntry } from '../openssh/known-hosts/index.js';
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
  private readonly knownHosts = new Map<string, Promise<KnownHostEntry[]>>();
  private readonly warned = new Set<string>();
  private readonly plans = new Map<HostSpec, ConnectionPlan>();

  constructor(private readonly options: FleetTransportOptions) {
    this.identities = new IdentityCache(options.passphrase);
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
        for (const { path, explicit } of plan.identityFiles) await this.identities.load(path, explicit);
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
    if (plan.errors.length > 0) {
      return { notContacted: true, kind: 'config', port: plan.port, message: `not contacted: ${plan.errors.join('; ')}` };
    }
    let seen: HostKeySeen | undefined;
    let inner: Transport | undefined;
    return {
      exec: async (command, input, limits) => {
        const endpoint = await this.endpoint(plan, (key) => (seen = key));
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

  private async endpoint(plan: ConnectionPlan, onAccepted: (seen: HostKeySeen) => void, hop = false): Promise<SshEndpoint> {
    const entries = await this.knownHostsEntries([...plan.knownHostsFiles, ...plan.globalKnownHostsFiles]);
    const auth: AuthMethod[] = plan.agentSocket ? [{ type: 'agent', socket: plan.agentSocket }] : [];
    for (const { path, explicit } of plan.identityFiles) {
      const identity = await this.identities.load(path, explicit);
      if (identity.warning) this.warnOnce(identity.warning);
      if (identity.method) auth.push(identity.method);
    }
    return {
      host: plan.host,
      port: plan.port,
      user: plan.user,
      label: hop ? plan.label : '',
      hostKey: hostKeyPolicy({
        name: plan.knownHostsName,
        port: plan.knownHostsPort,
        mode: plan.hostKeyMode,
        entries,
        ...(plan.knownHostsFiles[0] !== undefined ? { recordTo: plan.knownHostsFiles[0] } : {}),
        append: appendKnownHost,
        onAccepted,
        warn: (message) => this.warnOnce(message),
      }),
      auth,
      connectTimeoutMs: plan.connectTimeoutMs,
      keepaliveIntervalMs: plan.keepaliveIntervalMs,
      keepaliveCountMax: plan.keepaliveCountMax,
      // a jump host's key is verified as strictly as any target's; what it accepted is not the target's
      ...(plan.via ? { via: await this.endpoint(plan.via, () => {}, true) } : {}),
    };
  }

  /** known_hosts read once per set of files for the whole scan (accept-new appends do not re-read). */
  private knownHostsEntries(files: string[]): Promise<KnownHostEntry[]> {
    const key = files.join('\0');
    let entries = this.knownHosts.get(key);
    if (!entries) {
      entries = readKnownHosts(files).then(({ entries: found, issues }) => {
        for (const issue of issues) this.warnOnce(`${issue.file}:${issue.line}: ${issue.message}`);
        return found;
      });
      this.knownHosts.set(key, entries);
    }
    return entries;
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.options.warn(message);
  }
}
