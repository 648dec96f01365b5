// What resolving one host has collected so far, and how an option line adds to it: the first
// obtained value wins (readconf.c), because ssh reads the command line, then the user's file, then
// the system's, and the earliest says what the user meant. Pure.
//
// - IdentityFile accumulates across lines (duplicates dropped, as add_identity_file does).
// - UserKnownHostsFile and GlobalKnownHostsFile do NOT accumulate: the first active line wins whole,
//   and one line may list several files (readconf.c parse_char_array: "was array empty when we
//   started?").
// - ProxyJump and ProxyCommand share one slot, as `ssh -G` shows them.
import type { At, ProxyHop, ReadKeyword, SshOption, SshTarget, StrictHostKeyChecking } from './types.js';

const MAX_IDENTITY_FILES = 100; // SSH_MAX_IDENTITY_FILES

/** A value with the line that set it, for messages about it later. */
export interface Value<T> {
  value: T;
  at: At;
}

export interface IdentityFileLine {
  path: string;
  /** given by the user (-i, -F, ~/.ssh/config and its includes), not /etc/ssh/ssh_config */
  userProvided: boolean;
  /** null: from the target itself (no line to name) */
  at: At | null;
}

export interface CollectedOptions {
  hostname?: Value<string>;
  user?: Value<string>;
  port?: Value<number>;
  identityFiles: IdentityFileLine[];
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

/** One pass over the configuration files for one host (there is a second, final one: resolve.ts). */
export interface ResolvePass {
  target: SshTarget;
  options: CollectedOptions;
  final: boolean;
  /** what Host lines are matched against: the host as typed, then (final pass) the resolved name */
  hostForHostLines: string;
  /** a `Match final` was seen: resolve.ts then makes the final pass */
  wantFinal: boolean;
  warnings: string[];
  errors: string[];
}

export function emptyOptions(): CollectedOptions {
  return { identityFiles: [], read: new Map() };
}

/** `file:line`, or the file alone for line 0 (a command-line option, named by its source). */
export const where = (at: At): string => (at.line > 0 ? `${at.file}:${at.line}` : at.file);

/** Adds one option line to what is collected, unless an earlier line already set it. */
export function applyOption(option: SshOption, at: At, userConfig: boolean, pass: ResolvePass): void {
  const o = pass.options;
  const set = <K extends keyof CollectedOptions>(key: K, value: CollectedOptions[K]): void => {
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
