// OpenSSH's client configuration (ssh_config(5)) resolved for one host the way OpenSSH 9.2 does it
// (readconf.c, ssh.c, misc.c, match.c), because ssh2 reads no files and the SRE's ~/.ssh/config
// must mean here what it means to `ssh`. Pure: text in, data out; the loader (load.ts) reads the
// files and expands Include globs. The steps, in ssh.c's order, each in its own file:
//   the command line (command-line.ts) → one pass over the files (walk-files.ts: Host blocks,
//   Match lines in match-criteria.ts, first value wins in collected-options.ts) → HostName → the
//   final pass when asked for → tokens and paths (expand-resolved.ts) → what the kept strings mean
//   (read-options.ts).
//
// Decisions, each checked against `ssh -G` (OpenSSH 9.2p1) unless said otherwise:
// - Errors: every line OpenSSH rejects (bad port, bad quotes, bad Match, an unknown keyword no
//   IgnoreUnknown names …) is an error; OpenSSH then refuses to run at all ("terminating, N bad
//   configuration options"), so the resolved config carries them as `errors` and the caller must
//   not connect.
// - `Match canonical` / `Match final`: false on the first pass. As OpenSSH does, a `final` anywhere
//   (or CanonicalizeHostname yes/always) makes a second pass over the files in which both are true
//   and Host lines are matched against the resolved HostName. We never canonicalise (no DNS): with
//   CanonicalizeHostname the name stays as written and a warning says so.
// - ProxyCommand is never run: the resolved config reports it (and a warning) so the caller can
//   refuse the host instead of connecting directly. `ProxyCommand none` is fine.
// - HostName takes %h and %%; User and HostKeyAlias take no tokens.
import { isIP } from 'node:net';
import { asciiLower } from '../match.js';
import { emptyOptions, where, type ResolvePass } from './collected-options.js';
import { applySshCommandLine, COMMAND_LINE } from './command-line.js';
import { expandHostname } from './expand.js';
import { expandResolvedValues } from './expand-resolved.js';
import { resolveReadOptions } from './read-options.js';
import type { LoadedConfig, ResolvedSshConfig, SshTarget } from './types.js';
import { walkConfigFiles } from './walk-files.js';

/** The configuration for one host, as `ssh -G host` would show it (then expanded as ssh uses it). */
export function resolveSshConfig(loaded: LoadedConfig, target: SshTarget): ResolvedSshConfig {
  const warnings = [...loaded.warnings];
  const errors = loaded.issues.map((i) => `${where(i)}: ${i.message}`);
  const options = emptyOptions();
  const pass: ResolvePass = { target, options, final: false, hostForHostLines: target.host, wantFinal: false, warnings, errors };

  // command-line values come first, so first-value-wins keeps them
  applySshCommandLine(pass);
  walkConfigFiles(loaded.files, pass);

  // ssh.c: HostName replaces the host (%h is the host as typed), then names (not addresses) are lowercased
  let host = target.host;
  if (options.hostname) {
    try {
      host = expandHostname(options.hostname.value, target.host);
    } catch (e) {
      errors.push(`${where(options.hostname.at)}: HostName: ${(e as Error).message}`);
    }
  }
  if (isIP(host) === 0) host = asciiLower(host);

  const canonicalize = options.canonicalize?.value;
  if (canonicalize === 'yes' || canonicalize === 'always') {
    warnings.push(`${where(options.canonicalize!.at)}: CanonicalizeHostname is not supported (it needs DNS): "${host}" is used as written`);
  }
  if (pass.wantFinal || canonicalize === 'yes' || canonicalize === 'always') {
    options.hostname = { value: host, at: options.hostname?.at ?? COMMAND_LINE };
    walkConfigFiles(loaded.files, { ...pass, final: true, hostForHostLines: host });
  }

  const port = options.port?.value;
  const user = options.user?.value;
  const hostKeyAlias = options.hostKeyAlias !== undefined ? asciiLower(options.hostKeyAlias.value) : undefined;
  const { expandPath, ...expanded } = expandResolvedValues(options, { host, hostKeyAlias }, target, errors);

  let proxyCommand: string | undefined;
  const pc = options.proxyCommand;
  if (pc && pc.value.toLowerCase() !== 'none') {
    proxyCommand = pc.value;
    warnings.push(`${where(pc.at)}: ProxyCommand is never run by fleetstat ("${pc.value}"): this host cannot be reached as ssh would`);
  }

  const readOptions = resolveReadOptions(options.read, { expandPath, env: target.env ?? {}, errors });
  const strict = options.strict?.value;
  const unique = (xs: string[]): string[] => [...new Set(xs)]; // the final pass sees the same lines again
  return {
    hostname: host,
    ...(port !== undefined ? { port } : {}),
    ...(user !== undefined ? { user } : {}),
    identityFiles: expanded.identityFiles,
    identityFilesAreDefaults: options.identityFiles.length === 0,
    identitiesOnly: options.identitiesOnly?.value ?? false,
    proxyJump: expanded.proxyJump,
    ...(proxyCommand !== undefined ? { proxyCommand } : {}),
    userKnownHostsFiles: expanded.userKnownHostsFiles,
    globalKnownHostsFiles: expanded.globalKnownHostsFiles,
    ...(strict !== undefined ? { strictHostKeyChecking: strict === 'ask' ? 'yes' : strict } : {}),
    ...(options.connectTimeout ? { connectTimeout: options.connectTimeout.value } : {}),
    ...(options.serverAliveInterval ? { serverAliveInterval: options.serverAliveInterval.value } : {}),
    ...(options.serverAliveCountMax ? { serverAliveCountMax: options.serverAliveCountMax.value } : {}),
    ...(hostKeyAlias !== undefined ? { hostKeyAlias } : {}),
    ...readOptions,
    warnings: unique(warnings),
    errors: unique(errors),
  };
}
