// How to reach one host, decided before any connection: the inventory's words go to ssh_config's
// resolver as `ssh -l/-p/-i` would (so they win), then the command line's overrides.
// Pure: no file is read here.
import type { HostSpec } from '../model/index.js';
import type { ResolvedSshConfig, SshTarget } from '../openssh/config/index.js';

export type HostKeyMode = 'yes' | 'accept-new' | 'off';

export interface ScanSshOptions {
  localUser: string;
  homeDir: string;
  /** SSH_AUTH_SOCK */
  agentSocket?: string;
  /** --known-hosts FILE: replaces ssh_config's UserKnownHostsFile (and is where accept-new writes) */
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
  agentSocket?: string;
  /** user files first: accept-new writes to the first */
  knownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  /** the name and port looked up in known_hosts: HostKeyAlias (as port 22), else the host and port */
  knownHostsName: string;
  knownHostsPort: number;
  hostKeyMode: HostKeyMode;
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

  const port = config.port ?? 22;
  const seconds = options.connectTimeout ?? config.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_S;
  return {
    label,
    host: config.hostname,
    port,
    user: config.user ?? options.localUser,
    identityFiles: config.identityFiles.map((path) => ({ path, explicit: !config.identityFilesAreDefaults })),
    ...(options.agentSocket && !config.identitiesOnly ? { agentSocket: options.agentSocket } : {}),
    knownHostsFiles: options.knownHostsFile ? [options.knownHostsFile] : config.userKnownHostsFiles,
    globalKnownHostsFiles: options.knownHostsFile ? [] : config.globalKnownHostsFiles,
    knownHostsName: config.hostKeyAlias ?? config.hostname,
    knownHostsPort: config.hostKeyAlias !== undefined ? 22 : port,
    hostKeyMode,
    connectTimeoutMs: seconds * 1000,
    keepaliveIntervalMs: (config.serverAliveInterval ?? DEFAULT_KEEPALIVE_S) * 1000,
    keepaliveCountMax: config.serverAliveCountMax ?? DEFAULT_KEEPALIVE_MAX,
    via,
    warnings,
    errors,
  };
}

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}
