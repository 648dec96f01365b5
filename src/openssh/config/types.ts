// The shapes of OpenSSH's client configuration as fleetstat reads it: directives as parsed, files as
// loaded, the target a resolution is for and what it resolves to. Types and OpenSSH's defaults only.

export type SshConfigIssueKind =
  | 'bad-quotes' // an unterminated quote: the line cannot be split
  | 'missing-argument' // a keyword without its value
  | 'extra-arguments' // more values than the keyword takes
  | 'bad-value' // a value OpenSSH rejects (port, number, time, yes/no, ProxyJump …)
  | 'bad-match' // a Match line OpenSSH rejects
  | 'bad-include' // an Include path OpenSSH rejects (or we cannot expand)
  | 'include-depth' // more than 16 nested Include levels
  | 'unreadable' // a config file that exists but cannot be read
  | 'bad-permissions' // an Include'd (or ~/.ssh/config) file writable by others, or owned by another user
  | 'unknown-keyword'; // a keyword OpenSSH 9.2 does not know, and no IgnoreUnknown names

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

/** Keywords kept as checked strings (keywords.ts `read`), interpreted when resolved. */
export type ReadKeyword =
  | 'hashknownhosts' | 'revokedhostkeys' | 'knownhostscommand' | 'checkhostip' | 'verifyhostkeydns'
  | 'nohostauthenticationforlocalhost' | 'hostkeyalgorithms' | 'kexalgorithms' | 'ciphers' | 'macs'
  | 'requiredrsasize' | 'identityagent' | 'pubkeyauthentication' | 'preferredauthentications' | 'ignoreunknown';

export type SshOption =
  | { keyword: ReadKeyword; value: string }
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

/** Where a directive was written. */
export interface At {
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
  | ({ kind: 'option'; option: SshOption } & At)
  /** a keyword OpenSSH does not know: an error unless IgnoreUnknown, as set when it is read, names it */
  | ({ kind: 'unknown'; keyword: string } & At);

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
  /** ssh command-line arguments around user/port/identityFiles (command-line.ts); errors refuse the host */
  commandLine?: SshCommandLine;
  localUser: string;
  homeDir: string;
  /** %i */
  uid?: number;
  /** %l %L %C */
  localHostname?: string;
  /** ${VAR} in IdentityFile and UserKnownHostsFile */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Words for ssh's command line, from one source (named in messages, e.g. `hosts.yml:7:30: ansible_ssh_common_args`). */
export interface CommandLineWords {
  source: string;
  words: string[];
}

/** Command-line arguments around a target's user/port/identityFiles: `before` wins over them, they win over `after`. */
export interface SshCommandLine {
  before: CommandLineWords[];
  after: CommandLineWords[];
}


/** What the keywords kept as strings mean, with OpenSSH 9.2's defaults (read-options.ts). */
export interface ReadOptions {
  /** HashKnownHosts: accept-new writes `|1|salt|hash` names */
  hashKnownHosts: boolean;
  /** RevokedHostKeys as written (OpenSSH expands nothing here); absent: none */
  revokedHostKeys?: string;
  /** KnownHostsCommand (not `none`): fleetstat never runs it */
  knownHostsCommand?: string;
  checkHostIP: boolean;
  verifyHostKeyDNS: 'yes' | 'no' | 'ask';
  noHostAuthenticationForLocalhost: boolean;
  /** assembled as kex_assemble_names() does; `hostKeyKnownFirst`: known_hosts types go first (sshconnect2.c) */
  algorithms: { hostKey: string[]; hostKeyKnownFirst: boolean; kex: string[]; cipher: string[]; mac: string[] };
  /** RequiredRSASize: smaller RSA keys are refused (host keys) or skipped (user keys) */
  requiredRsaSize: number;
  /** IdentityAgent: absent: SSH_AUTH_SOCK; null: none; else the socket's path */
  identityAgent?: string | null;
  /** false: PubkeyAuthentication no, or PreferredAuthentications without publickey: no key is offered */
  publickey: boolean;
}

export interface ResolvedSshConfig extends ReadOptions {
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
