// OpenSSH's client configuration (ssh_config(5)), read and resolved for one host the way OpenSSH 9.2
// does it (readconf.c, ssh.c, misc.c, match.c), because ssh2 reads no files and the SRE's
// ~/.ssh/config must mean here what it means to `ssh`. Pure: text in, data out; the loader
// (ssh-config-load.ts) reads the files and expands Include globs.
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
// - Tokens and `~` exactly where OpenSSH 9.2 expands them: HostName takes %h %%; IdentityFile and
//   UserKnownHostsFile take `~`, ${ENV} and %C %d %h %i %k %L %l %n %p %r %u %%; ProxyJump takes
//   %h %n %p %r %% (ssh expands them in the proxy command it builds); User, HostKeyAlias and
//   GlobalKnownHostsFile take none. An unknown token is an error (OpenSSH: fatal).
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

export type SshConfigIssueKind =
  | 'bad-quotes' // an unterminated quote: the line cannot be split
  | 'missing-argument' // a keyword without its value
  | 'extra-arguments' // more values than the keyword takes
  | 'bad-value' // a value OpenSSH rejects (port, number, time, yes/no, ProxyJump …)
  | 'bad-match' // a Match line OpenSSH rejects
  | 'bad-include' // an Include path OpenSSH rejects (or we cannot expand)
  | 'include-depth' // more than 16 nested Include levels
  | 'unreadable' // a config file that exists but cannot be read
  | 'bad-permissions'; // an Include'd (or ~/.ssh/config) file writable by others, or owned by another user

/** Shaped like the model's ParseIssue; every one of these makes OpenSSH refuse the configuration. */
export interface SshConfigIssue {
  kind: SshConfigIssueKind;
  file: string;
  /** 1-based; 0 when the file as a whole is at fault */
  line: number;
  /** the keyword, e.g. `port` */
  field?: string;
  message: string;
}

export interface ProxyHop {
  user?: string;
  host: string;
  port?: number;
}

export type MatchCriterion =
  | { kind: 'all'; negate: boolean }
  | { kind: 'canonical' | 'final'; negate: boolean }
  | { kind: 'host' | 'originalhost' | 'user' | 'localuser'; negate: boolean; patterns: string }
  | { kind: 'exec'; negate: boolean; command: string }
  /** a criterion of a newer OpenSSH: never evaluated, the block never applies */
  | { kind: 'newer'; name: string; negate: boolean; argument: string };

export type StrictHostKeyChecking = 'yes' | 'no' | 'ask' | 'accept-new';

export type SshOption =
  | { keyword: 'hostname' | 'user' | 'hostkeyalias' | 'identityfile'; value: string }
  | { keyword: 'port'; value: number }
  | { keyword: 'identitiesonly'; value: boolean }
  | { keyword: 'stricthostkeychecking'; value: StrictHostKeyChecking }
  /** null: `none`, which sets nothing (a later line may still set it, as in OpenSSH) */
  | { keyword: 'connecttimeout' | 'serveraliveinterval'; value: number | null }
  | { keyword: 'serveralivecountmax'; value: number }
  | { keyword: 'userknownhostsfile' | 'globalknownhostsfile'; value: string[] }
  /** tokens not yet expanded; `none` is its own value */
  | { keyword: 'proxyjump'; value: 'none' | ProxyHop[] }
  | { keyword: 'proxycommand'; value: string }
  | { keyword: 'canonicalizehostname'; value: 'no' | 'yes' | 'always' };

interface At {
  file: string;
  line: number;
}

export type SshConfigDirective =
  /** patterns [] (after an error): a Host line that matches nothing */
  | ({ kind: 'host'; patterns: string[] } & At)
  /** criteria null (after an error): a Match line that matches nothing */
  | ({ kind: 'match'; criteria: MatchCriterion[] | null } & At)
  /** `included` is filled by the loader: the files each pattern matched, in order */
  | ({ kind: 'include'; patterns: string[]; included?: ConfigFile[] } & At)
  | ({ kind: 'option'; option: SshOption } & At);

export interface ConfigFile {
  path: string;
  /** a user configuration (-F, ~/.ssh/config and what they include) rather than /etc/ssh/ssh_config */
  userConfig: boolean;
  directives: SshConfigDirective[];
}

export interface LoadedConfig {
  /** the top-level files in the order OpenSSH reads them */
  files: ConfigFile[];
  /** every error of every file read, includes too: OpenSSH refuses to run with any of them */
  issues: SshConfigIssue[];
  /** things OpenSSH passes over quietly but a reader should know (an unreadable ~/.ssh/config) */
  warnings: string[];
}

export interface SshTarget {
  /** the host as it would be typed to ssh (for fleetstat: the inventory address) */
  host: string;
  /** as `ssh -l`: wins over any User line */
  user?: string;
  /** as `ssh -p`: wins over any Port line */
  port?: number;
  /** as `ssh -i`: tried before IdentityFile lines (ssh drops, with a warning, one that does not exist: check first) */
  identityFiles?: string[];
  localUser: string;
  homeDir: string;
  /** %i */
  uid?: number;
  /** %l %L %C */
  localHostname?: string;
  /** ${VAR} in IdentityFile and UserKnownHostsFile */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedSshConfig {
  /** lowercased unless an address, as ssh does */
  hostname: string;
  /** absent: not set (22) */
  port?: number;
  /** absent: not set (the local user) */
  user?: string;
  /** expanded; OpenSSH's defaults when none is configured; `IdentityFile none` leaves it empty */
  identityFiles: string[];
  /** identityFiles are OpenSSH's defaults (nothing named a key): missing ones are no news */
  identityFilesAreDefaults: boolean;
  identitiesOnly: boolean;
  proxyJump: ProxyHop[] | null;
  /** set when the configuration asks for a ProxyCommand, which fleetstat never runs */
  proxyCommand?: string;
  /** expanded; OpenSSH's defaults when not set; [] for `none` */
  userKnownHostsFiles: string[];
  /** as written (OpenSSH expands nothing here); its defaults when not set; [] for `none` */
  globalKnownHostsFiles: string[];
  /** absent: not set (OpenSSH's default `ask`, which is `yes` for us); `ask` is reported as `yes` */
  strictHostKeyChecking?: 'yes' | 'no' | 'accept-new';
  /** seconds */
  connectTimeout?: number;
  /** seconds */
  serverAliveInterval?: number;
  serverAliveCountMax?: number;
  /** lowercased, as ssh does */
  hostKeyAlias?: string;
  /** `file:line: …` */
  warnings: string[];
  /** `file:line: …`; non-empty means OpenSSH would refuse to connect: so must we */
  errors: string[];
}

const WHITESPACE = ' \t\r\n';
const MAX_HOSTS_FILES = 32; // SSH_MAX_HOSTS_FILES
const MAX_IDENTITY_FILES = 100; // SSH_MAX_IDENTITY_FILES
const NEWER_MATCH_CRITERIA = new Set(['localnetwork', 'tagged', 'command', 'version', 'sessiontype']);

export const DEFAULT_IDENTITY_FILES = [
  '~/.ssh/id_rsa',
  '~/.ssh/id_ecdsa',
  '~/.ssh/id_ecdsa_sk',
  '~/.ssh/id_ed25519',
  '~/.ssh/id_ed25519_sk',
  '~/.ssh/id_xmss',
  '~/.ssh/id_dsa',
];
export const DEFAULT_USER_KNOWN_HOSTS_FILES = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
export const DEFAULT_GLOBAL_KNOWN_HOSTS_FILES = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

// ---------------------------------------------------------------------------------------------
// Splitting lines (misc.c)

const isWs = (c: string | undefined): boolean => c !== undefined && WHITESPACE.includes(c);

function skipWs(s: string, chars = WHITESPACE): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i]!)) i++;
  return s.slice(i);
}

/**
 * misc.c strdelim(): the next token, split at whitespace or one `=`; a `"` starts a quoted part.
 * token null: an unterminated quote. rest null: the line is used up.
 */
export function strdelim(s: string | null): { token: string | null; rest: string | null } {
  if (s === null) return { token: null, rest: null };
  let at = -1;
  for (let i = 0; i < s.length; i++) {
    if (isWs(s[i]) || s[i] === '"' || s[i] === '=') {
      at = i;
      break;
    }
  }
  if (at < 0) return { token: s, rest: null };
  if (s[at] === '"') {
    const after = s.slice(at + 1);
    const close = after.indexOf('"');
    if (close < 0) return { token: null, rest: null };
    return { token: s.slice(0, at) + after.slice(0, close), rest: skipWs(after.slice(close + 1)) };
  }
  const sawEquals = s[at] === '=';
  let rest = skipWs(s.slice(at + 1));
  if (!sawEquals && rest.startsWith('=')) rest = skipWs(rest.slice(1));
  return { token: s.slice(0, at), rest };
}

/**
 * misc.c argv_split(s, terminate_on_comment): words split at blanks, `'` and `"` quotes, backslash
 * escapes of quotes, backslash and (unquoted) space; a `#` starting a word ends the line.
 * null: an unterminated quote.
 */
export function splitArguments(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') break;
    let arg = '';
    let quote = '';
    for (; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === '\\') {
        const next = s[i + 1];
        if (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' ')) {
          arg += next;
          i++;
        } else {
          arg += ch;
        }
      } else if (quote === '' && (ch === ' ' || ch === '\t')) {
        break;
      } else if (quote === '' && (ch === '"' || ch === "'")) {
        quote = ch;
      } else if (quote !== '' && ch === quote) {
        quote = '';
      } else {
        arg += ch;
      }
    }
    if (quote !== '') return null;
    out.push(arg);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Patterns (match.c)

/** match.c match_pattern(): `*` and `?` wildcards, case-sensitive. */
export function matchPattern(s: string, pattern: string): boolean {
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const p = pattern[pi];
    if (p === '*') {
      starP = ++pi;
      starS = si;
    } else if (p !== undefined && (p === '?' || p === s[si])) {
      pi++;
      si++;
    } else if (starP >= 0) {
      pi = starP;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

/**
 * match.c match_pattern_list(): a comma list of patterns, each maybe `!`-negated.
 * 1 a positive match, -1 a negated pattern matched (which wins), 0 no match.
 */
export function matchPatternList(s: string, patterns: string, lowercasePatterns: boolean): -1 | 0 | 1 {
  let positive = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    let sub = negated ? raw.slice(1) : raw;
    if (sub.length >= 1023) return 0; // as OpenSSH: an over-long subpattern fails the whole list
    if (lowercasePatterns) sub = asciiLower(sub);
    if (matchPattern(s, sub)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** match.c match_hostname(): match_pattern_list on the lowercased host, patterns lowercased. */
export function matchHostname(host: string, patterns: string): -1 | 0 | 1 {
  return matchPatternList(asciiLower(host), patterns, true);
}

/** C tolower() in the C locale: ASCII letters only. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Values (misc.c)

/** misc.c convtime(): `90`, `1m30s`, `2h` … in seconds; null when invalid. */
export function parseTime(s: string): number | null {
  const INT_MAX = 2147483647;
  const units: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  if (s === '') return null;
  let total = 0;
  const re = /^[ \t\n\v\f\r]*\+?(\d+)([sSmMhHdDwW]?)/;
  let rest = s;
  while (rest !== '') {
    const m = re.exec(rest);
    if (!m) return null;
    const secs = Number(m[1]);
    const unit = m[2]!;
    // a number without a unit ends the value (strtol then '\0'); anything else after it is bad
    if (unit === '' && m[0].length !== rest.length) return null;
    const mult = units[unit.toLowerCase()]!;
    if (!Number.isSafeInteger(secs) || secs > Math.floor(INT_MAX / mult)) return null;
    total += secs * mult;
    if (total > INT_MAX) return null;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** misc.c a2port(): 1–65535, or the service name `ssh` (other names need /etc/services: refused). */
export function parsePort(s: string): number | null {
  if (/^\+?\d+$/.test(s)) {
    const n = Number(s);
    return n >= 1 && n <= 65535 ? n : null;
  }
  return s === 'ssh' ? 22 : null;
}

function parseFlag(s: string): boolean | null {
  const v = s.toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  return null;
}

function parseStrict(s: string): StrictHostKeyChecking | null {
  switch (s.toLowerCase()) {
    case 'yes':
    case 'true':
      return 'yes';
    case 'no':
    case 'false':
    case 'off':
      return 'no';
    case 'ask':
      return 'ask';
    case 'accept-new':
      return 'accept-new';
    default:
      return null;
  }
}

/**
 * misc.c parse_user_host_port() and parse_ssh_uri(): `[user@]host[:port]` or
 * `ssh://[user@]host[:port][/]`. Returns null when OpenSSH 9.2 rejects it.
 */
export function parseJumpHost(s: string): ProxyHop | null {
  if (s.startsWith('ssh://')) {
    let rest = s.slice('ssh://'.length);
    if (rest.endsWith('/')) rest = rest.slice(0, -1);
    if (rest.includes('/') || rest.startsWith('[')) return null; // no path; 9.2 refuses [v6] in URIs
    const at = rest.lastIndexOf('@');
    let user: string | undefined;
    if (at >= 0) {
      try {
        user = decodeURIComponent(rest.slice(0, at));
      } catch {
        return null;
      }
      if (user === '') return null;
      rest = rest.slice(at + 1);
    }
    const colon = rest.indexOf(':');
    const host = colon < 0 ? rest : rest.slice(0, colon);
    if (host === '') return null;
    let port: number | undefined;
    if (colon >= 0 && colon + 1 < rest.length) {
      const p = parsePort(rest.slice(colon + 1));
      if (p === null) return null;
      port = p;
    }
    return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
  }
  let rest = s;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    if (user === '') return null;
    rest = rest.slice(at + 1);
  }
  // misc.c hpdelim(): a [bracketed] host, else up to the first ':'
  let host: string;
  let portText = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return null;
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return null;
    portText = after.slice(1);
  } else {
    const colon = rest.indexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? '' : rest.slice(colon + 1);
  }
  if (host === '' || host.includes('/')) return null; // 9.2 takes no `host/port`
  let port: number | undefined;
  if (portText !== '') {
    const p = parsePort(portText);
    if (p === null) return null;
    port = p;
  }
  return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
}

/**
 * The ProxyJump value as OpenSSH 9.2 reads it (checked with `ssh -G`): `none` only when the whole
 * rest of the line is `none`; otherwise up to `#` and to the first blank, a comma list of hops, all
 * of which must parse.
 */
function parseProxyJump(raw: string): 'none' | ProxyHop[] | null {
  if (raw.toLowerCase() === 'none') return 'none';
  let s = raw;
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(0, hash);
  const blank = s.search(/[ \t\r\n]/);
  if (blank >= 0) s = s.slice(0, blank);
  if (s === '') return null;
  const hops: ProxyHop[] = [];
  for (const part of s.split(',')) {
    const hop = parseJumpHost(part);
    if (!hop) return null;
    hops.push(hop);
  }
  return hops;
}

// ---------------------------------------------------------------------------------------------
// Parsing

interface LineContext {
  file: string;
  line: number;
  keyword: string;
  issues: SshConfigIssue[];
}

function issue(ctx: LineContext, kind: SshConfigIssueKind, message: string): void {
  ctx.issues.push({ kind, file: ctx.file, line: ctx.line, field: ctx.keyword, message });
}

/** OpenSSH 9.2's Match criteria: null after an issue. */
function parseMatch(rest: string, ctx: LineContext): MatchCriterion[] | null {
  const criteria: MatchCriterion[] = [];
  let cp: string | null = rest;
  let attributes = 0;
  for (;;) {
    const next = strdelim(cp);
    const attrib = next.token;
    cp = next.rest;
    if (attrib === null || attrib === '') break;
    if (attrib.startsWith('#')) {
      cp = null;
      break;
    }
    const negate = attrib.startsWith('!');
    const name = (negate ? attrib.slice(1) : attrib).toLowerCase();
    if (name === 'all') {
      const arg = strdelim(cp);
      if (attributes > 1 || (arg.token !== null && arg.token !== '' && !arg.token.startsWith('#'))) {
        issue(ctx, 'bad-match', `'${attrib}' cannot be combined with other Match attributes`);
        return null;
      }
      criteria.push({ kind: 'all', negate });
      return criteria;
    }
    attributes++;
    if (name === 'canonical' || name === 'final') {
      criteria.push({ kind: name, negate });
      continue;
    }
    const arg = strdelim(cp);
    cp = arg.rest;
    if (arg.token === null || arg.token === '' || arg.token.startsWith('#')) {
      issue(ctx, 'bad-match', `missing Match criteria for ${attrib}`);
      return null;
    }
    if (name === 'host' || name === 'originalhost' || name === 'user' || name === 'localuser') {
      criteria.push({ kind: name, negate, patterns: arg.token });
    } else if (name === 'exec') {
      criteria.push({ kind: 'exec', negate, command: arg.token });
    } else if (NEWER_MATCH_CRITERIA.has(name)) {
      criteria.push({ kind: 'newer', name, negate, argument: arg.token });
    } else {
      issue(ctx, 'bad-match', `unsupported Match attribute ${attrib}`);
      return null;
    }
  }
  if (attributes === 0) {
    issue(ctx, 'bad-match', 'one or more attributes required for Match');
    return null;
  }
  return criteria;
}

const SINGLE_STRING = new Set(['hostname', 'user', 'hostkeyalias', 'identityfile', 'identityfile2']);
const HANDLED = new Set([
  'host', 'match', 'include', 'hostname', 'user', 'port', 'identityfile', 'identityfile2', 'identitiesonly',
  'proxyjump', 'proxycommand', 'userknownhostsfile', 'globalknownhostsfile', 'stricthostkeychecking',
  'connecttimeout', 'serveraliveinterval', 'serveralivecountmax', 'hostkeyalias', 'canonicalizehostname',
]);

/** One line of a config file into a directive (or nothing: blank, comment, a keyword we ignore). */
function parseLine(text: string, ctx: Omit<LineContext, 'keyword'>): SshConfigDirective | null {
  const at: At = { file: ctx.file, line: ctx.line };
  const line = text.replace(/[ \t\r\n\f]+$/, '');
  let first = strdelim(line);
  if (first.token === '') first = strdelim(first.rest);
  const word = first.token;
  if (word === null || word === '' || word.startsWith('#')) return null;
  const keyword = asciiLower(word);
  if (!HANDLED.has(keyword)) return null; // unknown to us: ignored silently
  const lc: LineContext = { ...ctx, keyword };
  // a broken Host/Match line still ends the block above it (OpenSSH clears "active" first)
  const brokenBlock = (): SshConfigDirective | null =>
    keyword === 'host' ? { kind: 'host', patterns: [], ...at } : keyword === 'match' ? { kind: 'match', criteria: null, ...at } : null;
  const rest = skipWs(first.rest ?? '');
  if (rest === '') {
    issue(lc, 'missing-argument', `no argument after keyword "${keyword}"`);
    return brokenBlock();
  }
  const args = splitArguments(rest);
  if (args === null) {
    issue(lc, 'bad-quotes', 'invalid quotes');
    return brokenBlock();
  }
  const one = (): string | null => {
    const a = args[0];
    if (a === undefined || a === '') {
      issue(lc, 'missing-argument', 'missing argument');
      return null;
    }
    if (args.length > 1) {
      issue(lc, 'extra-arguments', `keyword ${keyword} extra arguments at end of line`);
      return null;
    }
    return a;
  };
  const option = (o: SshOption): SshConfigDirective => ({ kind: 'option', option: o, ...at });

  switch (keyword) {
    case 'host': {
      if (args.some((a) => a === '')) {
        issue(lc, 'missing-argument', 'keyword host empty argument');
        return { kind: 'host', patterns: [], ...at };
      }
      return { kind: 'host', patterns: args, ...at };
    }
    case 'match':
      return { kind: 'match', criteria: parseMatch(rest, lc), ...at };
    case 'include': {
      if (args.length === 0 || args.some((a) => a === '')) {
        issue(lc, 'missing-argument', 'keyword include empty argument');
        return null;
      }
      return { kind: 'include', patterns: args, ...at };
    }
    case 'port': {
      const a = one();
      if (a === null) return null;
      const port = parsePort(a);
      if (port === null) {
        issue(lc, 'bad-value', `bad port '${a}'`);
        return null;
      }
      return option({ keyword: 'port', value: port });
    }
    case 'identitiesonly': {
      const a = one();
      if (a === null) return null;
      const v = parseFlag(a);
      if (v === null) {
        issue(lc, 'bad-value', `unsupported option "${a}"`);
        return null;
      }
      return option({ keyword: 'identitiesonly', value: v });
    }
    case 'stricthostkeychecking': {
      const a = one();
      if (a === null) return null;
      const v = parseStrict(a);
      if (v === null) {
        issue(lc, 'bad-value', `unsupported option "${a}"`);
        return null;
      }
      return option({ keyword: 'stricthostkeychecking', value: v });
    }
    case 'canonicalizehostname': {
      const a = one();
      if (a === null) return null;
      const flag = parseFlag(a);
      const v = flag === true ? 'yes' : flag === false ? 'no' : a.toLowerCase() === 'always' ? 'always' : null;
      if (v === null) {
        issue(lc, 'bad-value', `unsupported option "${a}"`);
        return null;
      }
      return option({ keyword: 'canonicalizehostname', value: v });
    }
    case 'connecttimeout':
    case 'serveraliveinterval': {
      const a = one();
      if (a === null) return null;
      if (a === 'none') return option({ keyword, value: null });
      const t = parseTime(a);
      if (t === null) {
        issue(lc, 'bad-value', `invalid time value '${a}'`);
        return null;
      }
      return option({ keyword, value: t });
    }
    case 'serveralivecountmax': {
      const a = one();
      if (a === null) return null;
      if (!/^[ \t]*\+?\d+$/.test(a) || Number(a) > 2147483647) {
        issue(lc, 'bad-value', `integer value '${a}' invalid`);
        return null;
      }
      return option({ keyword, value: Number(a) });
    }
    case 'userknownhostsfile':
    case 'globalknownhostsfile': {
      if (args.length === 0) {
        issue(lc, 'missing-argument', 'missing argument');
        return null;
      }
      if (args.some((a) => a === '')) {
        issue(lc, 'missing-argument', `keyword ${keyword} empty argument`);
        return null;
      }
      if (args.length > 1 && args.some((a) => a.toLowerCase() === 'none')) {
        issue(lc, 'bad-value', `keyword ${keyword} "none" argument must appear alone`);
        return null;
      }
      if (args.length > MAX_HOSTS_FILES) {
        issue(lc, 'bad-value', `too many ${keyword} entries`);
        return null;
      }
      return option({ keyword, value: args });
    }
    case 'proxycommand': {
      const raw = skipWs(rest, WHITESPACE + '=');
      if (raw === '') {
        issue(lc, 'missing-argument', 'missing argument');
        return null;
      }
      return option({ keyword: 'proxycommand', value: raw });
    }
    case 'proxyjump': {
      const raw = skipWs(rest, WHITESPACE + '=');
      const v = parseProxyJump(raw);
      if (v === null) {
        issue(lc, 'bad-value', `invalid ProxyJump "${raw}"`);
        return null;
      }
      return option({ keyword: 'proxyjump', value: v });
    }
    default: {
      // hostname, user, hostkeyalias, identityfile(2)
      if (!SINGLE_STRING.has(keyword)) return null;
      const a = one();
      if (a === null) return null;
      const k = keyword === 'identityfile2' ? 'identityfile' : (keyword as 'hostname' | 'user' | 'hostkeyalias' | 'identityfile');
      return option({ keyword: k, value: a });
    }
  }
}

/** One config file's text into directives and the issues OpenSSH would refuse it for. */
export function parseSshConfig(text: string, file: string): { directives: SshConfigDirective[]; issues: SshConfigIssue[] } {
  const directives: SshConfigDirective[] = [];
  const issues: SshConfigIssue[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => {
    const d = parseLine(l, { file, line: i + 1, issues });
    if (d) directives.push(d);
  });
  return { directives, issues };
}

// ---------------------------------------------------------------------------------------------
// Resolving

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

const where = (at: At): string => `${at.file}:${at.line}`;

/** readconf.c's HostName expansion: %h (the host as typed) and %%. */
function expandHostname(hostname: string, hostArg: string): string {
  return percentExpand(hostname, { h: hostArg });
}

class TokenError extends Error {}

/** misc.c percent_expand() (and ${ENV} when env is given): an unknown token is an error. */
function percentExpand(s: string, tokens: Record<string, string | undefined>, env?: Readonly<Record<string, string | undefined>>): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (env !== undefined && c === '$' && s[i + 1] === '{') {
      const close = s.indexOf('}', i + 2);
      if (close < 0) throw new TokenError(`environment variable '${s.slice(i)}' missing closing '}'`);
      const name = s.slice(i + 2, close);
      const value = env[name];
      if (value === undefined) throw new TokenError(`env var \${${name}} has no value`);
      out += value;
      i = close;
      continue;
    }
    if (c !== '%') {
      out += c;
      continue;
    }
    const key = s[i + 1];
    if (key === undefined) throw new TokenError(`invalid format: '%' at the end of "${s}"`);
    i++;
    if (key === '%') {
      out += '%';
      continue;
    }
    if (!(key in tokens)) throw new TokenError(`unknown key %${key} in "${s}"`);
    const value = tokens[key];
    if (value === undefined) throw new TokenError(`%${key} in "${s}" needs a value fleetstat was not given`);
    out += value;
  }
  return out;
}

/** misc.c tilde_expand_filename(): `~` and `~/…`; `~user/…` would need the password database. */
function expandTilde(path: string, homeDir: string): string {
  if (!path.startsWith('~')) return path;
  if (path === '~') return homeDir;
  if (path.startsWith('~/')) return `${homeDir.replace(/\/+$/, '')}/${path.slice(2)}`;
  throw new TokenError(`"${path}": ~user paths are not supported`);
}

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

/** The configuration for one host, as `ssh -G host` would show it (then expanded as ssh uses it). */
export function resolveSshConfig(loaded: LoadedConfig, target: SshTarget): ResolvedSshConfig {
  const warnings = [...loaded.warnings];
  const errors = loaded.issues.map((i) => `${i.line > 0 ? `${i.file}:${i.line}` : i.file}: ${i.message}`);
  if (!validHostArgument(target.host)) errors.push(`host "${target.host}": hostname contains invalid characters`);
  if (target.user !== undefined && !validUserArgument(target.user)) errors.push(`user "${target.user}": remote username contains invalid characters`);

  // command-line values come first, so first-value-wins keeps them
  const cli: At = { file: 'command line', line: 0 };
  const options: Options = { identityFiles: [] };
  if (target.user !== undefined) options.user = { value: target.user, at: cli };
  if (target.port !== undefined) options.port = { value: target.port, at: cli };
  for (const f of target.identityFiles ?? []) {
    if (!options.identityFiles.some((x) => x.path === f)) options.identityFiles.push({ path: f, userProvided: true, at: null });
  }

  const pass: Pass = { target, options, final: false, hostForHostLines: target.host, wantFinal: false, warnings, errors };
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
    warnings: unique(warnings),
    errors: unique(errors),
  };
}

/** A LoadedConfig from texts already in memory (no Include expansion): for callers and tests without files. */
export function configFromText(text: string, file: string, userConfig = true): LoadedConfig {
  const { directives, issues } = parseSshConfig(text, file);
  return { files: [{ path: file, userConfig, directives }], issues, warnings: [] };
}
