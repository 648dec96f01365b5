// The resolved values ssh expands before it uses them, each with the tokens OpenSSH 9.2 gives it
// (ssh.c after the final pass), so that a path means here what it means to `ssh`. Pure.
//
// - IdentityFile and UserKnownHostsFile (and IdentityAgent, read-options.ts) take `~`, ${ENV} and
//   %C %d %h %i %k %L %l %n %p %r %u %%.
// - ProxyJump takes %h %n %p %r %% (ssh expands them in the proxy command it builds).
// - GlobalKnownHostsFile takes none; User and HostKeyAlias none either (resolve.ts).
// - An unknown token, or one fleetstat has no value for, is an error (OpenSSH: fatal).
import { createHash } from 'node:crypto';
import { where, type CollectedOptions } from './collected-options.js';
import { expandTilde, percentExpand } from './expand.js';
import {
  type At,
  DEFAULT_GLOBAL_KNOWN_HOSTS_FILES,
  DEFAULT_IDENTITY_FILES,
  DEFAULT_USER_KNOWN_HOSTS_FILES,
  type ProxyHop,
  type SshTarget,
} from './types.js';

/** `~`, %tokens and ${ENV} as IdentityFile takes them; null after an error (already recorded). */
export type PathExpander = (path: string, at: At | null, what: string) => string | null;

export interface ExpandedValues {
  identityFiles: string[];
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  proxyJump: ProxyHop[] | null;
  expandPath: PathExpander;
}

/** `host`: the resolved HostName; `hostKeyAlias`: lowercased, as ssh keeps it. Errors go to `errors`. */
export function expandResolvedValues(
  options: CollectedOptions, resolved: { host: string; hostKeyAlias: string | undefined }, target: SshTarget, errors: string[],
): ExpandedValues {
  const { host } = resolved;
  const remoteUser = options.user?.value ?? target.localUser;
  const portText = String(options.port?.value ?? 22);
  const local = target.localHostname;
  const tokens: Record<string, string | undefined> = {
    C: local !== undefined ? createHash('sha1').update(local + host + portText + remoteUser).digest('hex') : undefined,
    d: target.homeDir,
    h: host,
    i: target.uid !== undefined ? String(target.uid) : undefined,
    k: resolved.hostKeyAlias ?? target.host,
    L: local?.split('.')[0],
    l: local,
    n: target.host,
    p: portText,
    r: remoteUser,
    u: target.localUser,
  };
  const env = target.env ?? {};
  const expandPath: PathExpander = (path, at, what) => {
    try {
      return percentExpand(expandTilde(path, target.homeDir), tokens, env);
    } catch (e) {
      errors.push(`${at ? `${where(at)}: ` : ''}${what}: ${(e as Error).message}`);
      return null;
    }
  };

  // ssh.c load_public_identity_files(): OpenSSH's defaults when none is given; `none` is skipped
  const identitySources = options.identityFiles.length > 0
    ? options.identityFiles
    : DEFAULT_IDENTITY_FILES.map((path) => ({ path, userProvided: false, at: null }));
  const identityFiles: string[] = [];
  for (const f of identitySources) {
    if (f.path.toLowerCase() === 'none') continue;
    const p = expandPath(f.path, f.at, 'IdentityFile');
    if (p !== null) identityFiles.push(p);
  }

  const userFiles = options.userKnownHostsFiles?.value ?? DEFAULT_USER_KNOWN_HOSTS_FILES;
  const userKnownHostsFiles: string[] = [];
  if (!(userFiles.length === 1 && userFiles[0]!.toLowerCase() === 'none')) {
    for (const f of userFiles) {
      const p = expandPath(f, options.userKnownHostsFiles?.at ?? null, 'UserKnownHostsFile');
      if (p !== null) userKnownHostsFiles.push(p);
    }
  }
  const globalFiles = options.globalKnownHostsFiles?.value ?? DEFAULT_GLOBAL_KNOWN_HOSTS_FILES;
  const globalKnownHostsFiles = globalFiles.length === 1 && globalFiles[0]!.toLowerCase() === 'none' ? [] : [...globalFiles];

  let proxyJump: ProxyHop[] | null = null;
  const jump = options.proxyJump;
  if (jump && jump.value !== 'none') {
    const jumpTokens = { h: host, n: target.host, p: portText, r: remoteUser };
    try {
      proxyJump = jump.value.map((hop) => ({
        ...(hop.user !== undefined ? { user: percentExpand(hop.user, jumpTokens) } : {}),
        host: percentExpand(hop.host, jumpTokens),
        ...(hop.port !== undefined ? { port: hop.port } : {}),
      }));
    } catch (e) {
      errors.push(`${where(jump.at)}: ProxyJump: ${(e as Error).message}`);
    }
  }

  return { identityFiles, userKnownHostsFiles, globalKnownHostsFiles, proxyJump, expandPath };
}
