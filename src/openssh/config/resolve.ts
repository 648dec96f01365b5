// OpenSSH's client configuration (ssh_config(5)), read and resolved for one host the way OpenSSH 9.2
// does it (readconf.c, ssh.c, misc.c, match.c), because ssh2 reads no files and the SRE's
// ~/.ssh/config must mean here what it means to `ssh`. Pure: text in, data out; the loader
// (load.ts) reads the files and expands Include globs.
//
// Decisions, each checked against `ssh -G` (OpenSSH 9.2p1) unless said otherwise:
// - Errors: every line OpenSSH rejects (bad port, bad quotes, bad Match, extra arguments …) is an
//   issue; OpenSSH then refuses to run at all ("terminating, N bad configuration options"), so the
//   resolved config carries them as `errors` and the caller must not connect.
// - Only the keywords fleetstat uses are read; every other keyword is ignored silently (OpenSSH
//   errors on unknown keywords; we don't).
// - First obtained value wins. IdentityFile accumulates across lines (duplicates dropped, as
//   add_identity_file does). UserKnownHostsFile and GlobalKnownHostsFile do NOT accumulate: the
//   first active line wins whole, and one line may list several files (readconf.c
//   parse_char_array: "was array empty when we started?").
// - `Match canonical` / `Match final`: false on the first pass. As OpenSSH does, a `final` anywhere
//   (or CanonicalizeHostname yes/always) makes a second pass over the files in which both are true
//   and Host lines are matched against the resolved HostName. We never canonicalise (no DNS): with
//   CanonicalizeHostname the name stays as written and a warning says so.
// - `Match exec` is never run: a warning, and the block does not apply. Criteria newer than 9.2
//   (localnetwork, tagged, command, version, sessiontype) likewise; unknown criteria are errors.
// - ProxyCommand is never run: the resolved config reports it (and a warning) so the caller can
//   refuse the host instead of connecting directly. `ProxyCommand none` is fine.
// - Command-line arguments (the target's commandLine, e.g. an inventory's ssh args) as ssh.c reads
//   them (command-line.ts): before every file, first value wins; what cannot be honoured is an error.
// - Tokens and `~` exactly where OpenSSH 9.2 expands them: HostName takes %h %%; IdentityFile and
//   UserKnownHostsFile take `~`, ${ENV} and %C %d %h %i %k %L %l %n %p %r %u %%; ProxyJump takes
//   %h %n %p %r %% (ssh expands them in the proxy command it builds); User, HostKeyAlias and
//   GlobalKnownHostsFile take none. An unknown token is an error (OpenSSH: fatal).
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { asciiLower, matchHostname, matchPattern, matchPatternList } from '../match.js';
import { parseSshCommandLine, type CommandLineOption } from './command-line.js';
import { expandHostname, expandTilde, percentExpand } from './expand.js';
import { resolveReadOptions } from './read-options.js';
import {
  type At,
  DEFAULT_GLOBAL_KNOWN_HOSTS_FILES,
  DEFAULT_IDENTITY_FILES,
  DEFAULT_USER_KNOWN_HOSTS_FILES,
  type ConfigFile,
  type LoadedConfig,
  type MatchCriterion,
  type ProxyHop,
  type ResolvedSshConfig,
  type ReadKeyword,
  type SshOption,
  type SshTarget,
  type StrictHostKeyChecking,
} from './types.js';

const MAX_IDENTITY_FILES = 100; // SSH_MAX_IDENTITY_FILES


interface Value<T> {
  value: T;
  at: At;
}

interface Options {
  hostname?: Value<string>;
  user?: Value<string>;
  port?: Value<number>;
  identityFiles: Array<{ path: string; userProvided: boolean; at: At | null }>;
  identitiesOnly?: Value<boolean>;
  strict?: Value<StrictHostKeyChecking>;
  connectTimeout?: Value<number>;
  serverAliveInterval?: Value<number>;
  serverAliveCountMax?: Value<number>;
  userKnownHostsFiles?: Value<string[]>;
  globalKnownHostsFiles?: Value<string[]>;
  proxyJump?: Value<'none' | ProxyHop[]>;
  proxyCommand?: Value<string>;
  hostKeyAlias?: Value<string>;
  canonicalize?: Value<'no' | 'yes' | 'always'>;
  /** keywords kept as strings (keywords.ts `read`), first value wins */
  read: Map<ReadKeyword, Value<string>>;
}

interface Pass {
  target: SshTarget;
  options: Options;
  final: boolean;
  /** what Host lines are matched against: the host as typed, then (final pass) the resolved name */
  hostForHostLines: string;
  wantFinal: boolean;
  warnings: string[];
  errors: string[];
}

// line 0: a command-line option, named by its source alone
const where = (at: At): string => (at.line > 0 ? `${at.file}:${at.line}` : at.file);


function evalMatch(criteria: MatchCriterion[] | null, at: At, pass: Pass, neverMatch: boolean): boolean {
  if (criteria === null) return false;
  const { target, options } = pass;
  let result = true;
  for (const c of criteria) {
    let r: boolean;
    switch (c.kind) {
      case 'all':
        return result ? !c.negate : false;
      case 'canonical':
      case 'final':
        if (c.kind === 'final') pass.wantFinal = true;
        r = pass.final;
        break;
      case 'host': {
        let host: string;
        if (pass.final) host = options.hostname!.value;
        else if (options.hostname) {
          try {
            host = expandHostname(options.hostname.value, target.host);
          } catch (e) {
            pass.errors.push(`${where(options.hostname.at)}: HostName: ${(e as Error).message}`);
            return false;
          }
        } else host = target.host;
        r = matchHostname(host, c.patterns) === 1;
        break;
      }
      case 'originalhost':
        r = matchHostname(target.host, c.patterns) === 1;
        break;
      case 'user':
        r = matchPatternList(options.user?.value ?? target.localUser, c.patterns, false) === 1;
        break;
      case 'localuser':
        r = matchPatternList(target.localUser, c.patterns, false) === 1;
        break;
      case 'exec':
        // OpenSSH skips the command once an earlier criterion failed; it would run it here.
        if (result && !neverMatch) {
          pass.warnings.push(`${where(at)}: Match exec is never run by fleetstat ("${c.command}"): the block does not apply`);
        }
        result = false;
        continue;
      case 'newer':
        if (result && !neverMatch) {
          pass.warnings.push(`${where(at)}: Match ${c.name} is not supported (newer than OpenSSH 9.2): the block does not apply`);
        }
        result = false;
        continue;
    }
    if (r === c.negate) result = false;
  }
  return result;
}

function apply(option: SshOption, at: At, userConfig: boolean, pass: Pass): void {
  const o = pass.options;
  const set = <K extends keyof Options>(key: K, value: Options[K]): void => {
    if (o[key] === undefined) o[key] = value;
  };
  switch (option.keyword) {
    case 'hostname':
      return set('hostname', { value: option.value, at });
    case 'user':
      return set('user', { value: option.value, at });
    case 'hostkeyalias':
      return set('hostKeyAlias', { value: option.value, at });
    case 'port':
      return set('port', { value: option.value, at });
    case 'identitiesonly':
      return set('identitiesOnly', { value: option.value, at });
    case 'stricthostkeychecking':
      return set('strict', { value: option.value, at });
    case 'canonicalizehostname':
      return set('canonicalize', { value: option.value, at });
    case 'connecttimeout':
      if (option.value !== null) set('connectTimeout', { value: option.value, at });
      return;
    case 'serveraliveinterval':
      if (option.value !== null) set('serverAliveInterval', { value: option.value, at });
      return;
    case 'serveralivecountmax':
      return set('serverAliveCountMax', { value: option.value, at });
    case 'userknownhostsfile':
      return set('userKnownHostsFiles', { value: option.value, at });
    case 'globalknownhostsfile':
      return set('globalKnownHostsFiles', { value: option.value, at });
    case 'identityfile': {
      // readconf.c add_identity_file(): duplicates (same text, same origin) are dropped
      if (o.identityFiles.some((f) => f.path === option.value && f.userProvided === userConfig)) return;
      if (o.identityFiles.length >= MAX_IDENTITY_FILES) {
        pass.errors.push(`${where(at)}: too many identity files specified (max ${MAX_IDENTITY_FILES})`);
        return;
      }
      o.identityFiles.push({ path: option.value, userProvided: userConfig, at });
      return;
    }
    case 'proxyjump':
      // a ProxyCommand (even `none`) or an earlier ProxyJump (even `none`) wins; a real jump
      // also sets ProxyCommand to `none`, so a later ProxyCommand loses (as `ssh -G` shows)
      if (o.proxyCommand !== undefined || o.proxyJump !== undefined) return;
      o.proxyJump = { value: option.value, at };
      if (option.value !== 'none') o.proxyCommand = { value: 'none', at };
      return;
    case 'proxycommand':
      return set('proxyCommand', { value: option.value, at });
    default:
      if (!o.read.has(option.keyword)) o.read.set(option.keyword, { value: option.value, at });
  }
}

function readFile(file: ConfigFile, pass: Pass, active: { value: boolean }, neverMatch: boolean): void {
  for (const d of file.directives) {
    switch (d.kind) {
      case 'host':
        active.value = false;
        if (neverMatch) break;
        for (const p of d.patterns) {
          const negated = p.startsWith('!');
          if (matchPattern(pass.hostForHostLines, negated ? p.slice(1) : p)) {
            if (negated) {
              active.value = false;
              break;
            }
            active.value = true;
          }
        }
        break;
      case 'match': {
        const r = evalMatch(d.criteria, d, pass, neverMatch);
        active.value = neverMatch ? false : r;
        break;
      }
      case 'include': {
        // readconf.c: an Include in an inactive block is read "parse only"; each included file
        // starts with the includer's state, and its Host/Match lines do not leak back out
        const before = active.value;
        for (const f of d.included ?? []) {
          readFile(f, pass, active, neverMatch || !before);
          active.value = before;
        }
        break;
      }
      case 'option':
        if (active.value) apply(d.option, d, file.userConfig, pass);
        break;
      case 'unknown': {
        // readconf.c parse_token(): wherever it is, unless IgnoreUnknown (as set so far) names it
        const ignoring = pass.options.read.get('ignoreunknown')?.value;
        if (ignoring === undefined || matchPatternList(d.keyword, ignoring, true) !== 1) {
          pass.errors.push(`${where(d)}: Bad configuration option: ${d.keyword}`);
        }
        break;
      }
    }
  }
}

/** ssh.c valid_hostname() (OpenSSH 9.6, backported to Debian's 9.2): for names given on the command line. */
function validHostArgument(s: string): boolean {
  return s !== '' && !s.startsWith('-') && !/['`"$\\;&<>|(){}\s\x00-\x1f\x7f]/.test(s);
}

/** ssh.c valid_ruser() (as above). */
function validUserArgument(s: string): boolean {
  return s !== '' && !s.startsWith('-') && !/['`";&<>|(){}]/.test(s) && !/\s-/.test(s) && !s.endsWith('\\');
}

/** Command-line options, as ssh.c applies them before any file (and checks a user given there). */
function applyCommandLine(options: CommandLineOption[], pass: Pass): void {
  for (const { option, at } of options) {
    if (option.keyword === 'user' && !validUserArgument(option.value)) {
      pass.errors.push(`${where(at)}: user "${option.value}": remote username contains invalid characters`);
    }
    apply(option, at, true, pass);
  }
}

/** The configuration for one host, as `ssh -G host` would show it (then expanded as ssh uses it). */
export function resolveSshConfig(loaded: LoadedConfig, target: SshTarget): ResolvedSshConfig {
  const warnings = [...loaded.warnings];
  const errors = loaded.issues.map((i) => `${i.line > 0 ? `${i.file}:${i.line}` : i.file}: ${i.message}`);
  if (!validHostArgument(target.host)) errors.push(`host "${target.host}": hostname contains invalid characters`);
  if (target.user !== undefined && !validUserArgument(target.user)) errors.push(`user "${target.user}": remote username contains invalid characters`);

  // command-line values come first, so first-value-wins keeps them
  const cli: At = { file: 'command line', line: 0 };
  const options: Options = { identityFiles: [], read: new Map() };
  const pass: Pass = { target, options, final: false, hostForHostLines: target.host, wantFinal: false, warnings, errors };
  const commandLine = parseSshCommandLine(target.commandLine ?? { before: [], after: [] });
  errors.push(...commandLine.errors);
  applyCommandLine(commandLine.before, pass);
  if (target.user !== undefined) options.user ??= { value: target.user, at: cli };
  if (target.port !== undefined) options.port ??= { value: target.port, at: cli };
  for (const f of target.identityFiles ?? []) {
    if (!options.identityFiles.some((x) => x.path === f)) options.identityFiles.push({ path: f, userProvided: true, at: null });
  }
  applyCommandLine(commandLine.after, pass);
  for (const f of loaded.files) readFile(f, pass, { value: true }, false);

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
    options.hostname = { value: host, at: options.hostname?.at ?? cli };
    const final: Pass = { ...pass, final: true, hostForHostLines: host };
    for (const f of loaded.files) readFile(f, final, { value: true }, false);
  }

  const port = options.port?.value;
  const user = options.user?.value;
  const hostKeyAlias = options.hostKeyAlias !== undefined ? asciiLower(options.hostKeyAlias.value) : undefined;
  const remoteUser = user ?? target.localUser;
  const portText = String(port ?? 22);
  const local = target.localHostname;
  const tokens: Record<string, string | undefined> = {
    C: local !== undefined ? createHash('sha1').update(local + host + portText + remoteUser).digest('hex') : undefined,
    d: target.homeDir,
    h: host,
    i: target.uid !== undefined ? String(target.uid) : undefined,
    k: hostKeyAlias ?? target.host,
    L: local?.split('.')[0],
    l: local,
    n: target.host,
    p: portText,
    r: remoteUser,
    u: target.localUser,
  };
  const env = target.env ?? {};
  const expandPath = (path: string, at: At | null, what: string): string | null => {
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
  let proxyCommand: string | undefined;
  const pc = options.proxyCommand;
  if (pc && pc.value.toLowerCase() !== 'none') {
    proxyCommand = pc.value;
    warnings.push(`${where(pc.at)}: ProxyCommand is never run by fleetstat ("${pc.value}"): this host cannot be reached as ssh would`);
  }

  const readOptions = resolveReadOptions(options.read, { expandPath, env, errors });
  const strict = options.strict?.value;
  const unique = (xs: string[]): string[] => [...new Set(xs)]; // the final pass sees the same lines again
  return {
    hostname: host,
    ...(port !== undefined ? { port } : {}),
    ...(user !== undefined ? { user } : {}),
    identityFiles,
    identityFilesAreDefaults: options.identityFiles.length === 0,
    identitiesOnly: options.identitiesOnly?.value ?? false,
    proxyJump,
    ...(proxyCommand !== undefined ? { proxyCommand } : {}),
    userKnownHostsFiles,
    globalKnownHostsFiles,
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
