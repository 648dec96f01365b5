// What one SSH connection is asked to be: where, as whom, how its host key is decided, which keys
// it offers, which algorithms, under which deadlines. Plain data, settled before any connection
// opens (index.ts, host-key-policy.ts, identity.ts build it; ssh.ts, which alone imports ssh2, acts
// on it), so that nothing here depends on the SSH library.

/** Decides on a host key: synchronously, or by a write that must finish first (accept-new). */
export interface HostKeyCheck {
  /** host key algorithms to offer, most wanted first; undefined: ssh2's defaults (host not known yet) */
  algorithms?: string[];
  verify(blob: Buffer): { accept: true; record?: () => Promise<void> } | { accept: false; reason: string };
}

export type AuthMethod =
  /** the agent's keys: those in `prefer` first (agent order), then the others unless `only` (IdentitiesOnly) */
  | { type: 'agent'; socket: string; prefer: Buffer[]; only: boolean; minRsaBits: number }
  | { type: 'publickey'; key: Buffer; passphrase?: string; source: string };

/** Algorithms as OpenSSH would propose them (ssh_config's lists), most wanted first. */
export interface AlgorithmChoice {
  kex: string[];
  cipher: string[];
  mac: string[];
}

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** prefixes its messages: '' for the target itself (its row names it), `jump host X` for a hop */
  label: string;
  hostKey: HostKeyCheck;
  auth: AuthMethod[];
  algorithms: AlgorithmChoice;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** reach this host through that one (ProxyJump); its connection is shared */
  via?: SshEndpoint;
}

/** Which connections are one: a jump host reached as the same user, port and route is shared. */
export function endpointKey(e: SshEndpoint): string {
  return `${e.user}@${e.host}:${e.port}${e.via ? ` via ${endpointKey(e.via)}` : ''}`;
}

/** Starts a message about this endpoint: nothing for the target (its row names it), the hop's label and address for a jump host. */
export function messagePrefix(endpoint: SshEndpoint): string {
  return endpoint.label ? `${endpoint.label} (${endpoint.host}:${endpoint.port}): ` : '';
}
