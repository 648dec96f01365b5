// How to reach one host, decided before any connection: the inventory's words go to ssh_config's
// resolver as `ssh -l/-p/-i` would (so they win), then the command line's overrides.
// Pure: no file is read here.
import { isIP } from 'node:net';
import { timerMs } from '../local/timer.js';
import type { HostSpec } from '../model/index.js';
import type { ResolvedSshConfig, SshTarget } from '../openssh/config/index.js';

export type HostKeyMode = 'yes' | 'accept-new' | 'off';

export interface ScanSshOptions {
  localUser: string;
  homeDir: string;
  /** SSH_AUTH_SOCK */
  agentSocket?: string;
  /** --known-hosts FILE: replaces ssh_config's UserKnownHostsFile (and is where accept-new writes); GlobalKnownHostsFile still counts */
  knownHostsFile?: string;
  /** --strict-host-keys, or `off` from --insecure-no-host-key-check; undefined: ssh_config's, else yes */
  hostKeyMode?: HostKeyMode;
  /** --connect-timeout (seconds); undefined: ssh_config's ConnectTimeout, else 10 */
  connectTimeout?: number;
}

export interface ConnectionPlan {
  label: string;
  host: string;
  port: number;
  user: string;
  /** tried in this order, after the agent; `explicit` ones are worth a warning when missing */
  identityFiles: Array<{ path: string; explicit: boolean }>;
  /** the agent to ask (IdentityAgent, else SSH_AUTH_SOCK); none: no agent */
  agentSocket?: string;
  /** IdentitiesOnly: of the agent's keys, only those of the identity files */
  identitiesOnly: boolean;
  /** RequiredRSASize: smaller RSA keys are refused (host keys) and not offered (agent keys) */
  requiredRsaSize: number;
  /** user files first: accept-new writes to the first */
  knownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  /** the name and port looked up in known_hosts: HostKeyAlias (as port 22), else the host and port */
  knownHostsName: string;
  knownHostsPort: number;
  hostKeyMode: HostKeyMode;
  /** HashKnownHosts: accept-new writes hashed names */
  hashKnownHosts: boolean;
  /** RevokedHostKeys: a file of keys (or a KRL) that are refused whatever known_hosts says */
  revokedHostKeys?: string;
  /** set: host keys cannot be checked as ssh would check them here, so the host is refused (status hostkey) before any connection */
  hostKeyRefusal?: string;
  /** HostKeyAlgorithms as OpenSSH assembles it; knownFirst: known_hosts' key types go first (sshconnect2.c order_hostkeyalgs) */
  hostKeyAlgorithms: { list: string[]; knownFirst: boolean };
  /** KexAlgorithms, Ciphers, MACs as OpenSSH assembles them */
  algorithms: { kex: string[]; cipher: string[]; mac: string[] };
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** ProxyJump's last hop (whose own `via` is the hop before it), null when direct */
  via: ConnectionPlan | null;
  warnings: string[];
  /** non-empty: this host must not be contacted (a bad config line, a ProxyCommand we will not run) */
  errors: string[];
}

export type SshConfigLookup = (target: Pick<SshTarget, 'host' | 'user' | 'port' | 'identityFiles' | 'commandLine'>) => ResolvedSshConfig;

const DEFAULT_CONNECT_TIMEOUT_S = 10;
const DEFAULT_KEEPALIVE_S = 15;
const DEFAULT_KEEPALIVE_MAX = 3;
const MAX_JUMPS = 8;

export function planConnection(spec: HostSpec, lookup: SshConfigLookup, options: ScanSshOptions): ConnectionPlan {
  const identityFiles = spec.identityFile ? [expandHome(spec.identityFile, options.homeDir)] : undefined;
  // the inventory's ssh arguments (ansible_ssh_common_args …) are ssh's command line around them
  const commandLine = spec.sshArguments;
  return planHop(spec.name, { host: spec.address, user: spec.user, port: spec.port, identityFiles, commandLine }, lookup, options, 0);
}

function planHop(
  label: string,
  target: Pick<SshTarget, 'host' | 'user' | 'port' | 'identityFiles' | 'commandLine'>,
  lookup: SshConfigLookup,
  options: ScanSshOptions,
  depth: number,
): ConnectionPlan {
  const config = lookup(target);
  const warnings = [...config.warnings];
  const errors = [...config.errors];
  if (config.proxyCommand !== undefined) {
    errors.push(`ssh_config gives a ProxyCommand ("${config.proxyCommand}"), which fleetstat never runs: use ProxyJump`);
  }

  let hostKeyMode: HostKeyMode = options.hostKeyMode ?? 'yes';
  if (options.hostKeyMode === undefined && config.strictHostKeyChecking !== undefined) {
    if (config.strictHostKeyChecking === 'no') {
      // turning checking off takes an explicit flag of ours, never a line in a config file
      hostKeyMode = 'accept-new';
      warnings.push('ssh_config says StrictHostKeyChecking no: treated as accept-new (new keys recorded, changed keys refused)');
    } else {
      hostKeyMode = config.strictHostKeyChecking;
    }
  }

  let via: ConnectionPlan | null = null;
  const hops = config.proxyJump ?? [];
  if (hops.length > 0 && depth >= MAX_JUMPS) {
    errors.push(`more than ${MAX_JUMPS} nested ProxyJump hops (a loop?)`);
  } else {
    // `-J a,b`: a is reached as its own config says (its own ProxyJump too), b through a, us through b
    for (const hop of hops) {
      // one connection serves every target behind this hop: its label names no target
      const plan = planHop(`jump host ${hop.host}`, { host: hop.host, user: hop.user, port: hop.port }, lookup, options, depth + 1);
      via = { ...plan, via: via ?? plan.via };
      errors.push(...plan.errors);
    }
  }

  const hostKeyRefusal = hostKeyRefusalFor(config, hops.length > 0);
  if (config.verifyHostKeyDNS !== 'no') warnings.push(`ssh_config says VerifyHostKeyDNS ${config.verifyHostKeyDNS}: SSHFP records are never consulted, host keys are checked against known_hosts only`);
  if (config.noHostAuthenticationForLocalhost) warnings.push('ssh_config says NoHostAuthenticationForLocalhost yes: not honoured, host keys are checked for localhost too');
  const agentSocket = config.identityAgent === undefined ? options.agentSocket : config.identityAgent ?? undefined;

  const port = config.port ?? 22;
  const seconds = options.connectTimeout ?? config.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_S;
  return {
    label,
    host: config.hostname,
    port,
    user: config.user ?? options.localUser,
    // PubkeyAuthentication no (or PreferredAuthentications without publickey): nothing is offered
    identityFiles: config.publickey ? config.identityFiles.map((path) => ({ path, explicit: !config.identityFilesAreDefaults })) : [],
    ...(agentSocket && config.publickey ? { agentSocket } : {}),
    identitiesOnly: config.identitiesOnly,
    requiredRsaSize: config.requiredRsaSize,
    knownHostsFiles: options.knownHostsFile ? [options.knownHostsFile] : config.userKnownHostsFiles,
    globalKnownHostsFiles: config.globalKnownHostsFiles,
    knownHostsName: config.hostKeyAlias ?? config.hostname,
    knownHostsPort: config.hostKeyAlias !== undefined ? 22 : port,
    hostKeyMode,
    hashKnownHosts: config.hashKnownHosts,
    ...(config.revokedHostKeys !== undefined ? { revokedHostKeys: config.revokedHostKeys } : {}),
    ...(hostKeyRefusal !== undefined ? { hostKeyRefusal } : {}),
    hostKeyAlgorithms: { list: config.algorithms.hostKey, knownFirst: config.algorithms.hostKeyKnownFirst },
    algorithms: { kex: config.algorithms.kex, cipher: config.algorithms.cipher, mac: config.algorithms.mac },
    connectTimeoutMs: timerMs(seconds),
    keepaliveIntervalMs: timerMs(config.serverAliveInterval ?? DEFAULT_KEEPALIVE_S),
    keepaliveCountMax: config.serverAliveCountMax ?? DEFAULT_KEEPALIVE_MAX,
    via,
    warnings,
    errors,
  };
}

/**
 * Host-key keywords fleetstat cannot honour: the host is refused rather than checked less strictly
 * than ssh would check it.
 */
function hostKeyRefusalFor(config: ResolvedSshConfig, viaJump: boolean): string | undefined {
  if (config.knownHostsCommand !== undefined) {
    return `ssh_config gives a KnownHostsCommand ("${config.knownHostsCommand}"), which fleetstat never runs: the keys it would vouch for or revoke cannot be checked`;
  }
  // sshconnect.c: no address check for an address, or through a proxy (ProxyJump is one)
  if (config.checkHostIP && !viaJump && isIP(config.hostname) === 0) {
    return `ssh_config says CheckHostIP yes: ssh would also check the key known for the address "${config.hostname}" resolves to, which fleetstat cannot do (use the address, or CheckHostIP no)`;
  }
  return undefined;
}

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}
