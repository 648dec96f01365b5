// ssh's command-line options (`ssh -o K=V -J jump -p 2222 -l user -i key HOST`), read as ssh.c of
// OpenSSH 9.2 reads them, for arguments that come from elsewhere than a shell (Ansible's
// ansible_ssh_*_args, already split into words). Pure.
//
// - getopt over ssh's option string: flags may be grouped (`-Cq`), an option's argument may be
//   attached (`-p2222`, `-oProxyJump=b`) or the next word. A word that is not an option is what ssh
//   would take as the host to connect to: refused.
// - `-o TEXT` is one config line (`K=V`, `K V`), read before any file, first value wins
//   (process_config_line with "command-line"). Host, Match and Include are refused there, as ssh
//   refuses them.
// - `-p` `-l` `-i`: Port, User, IdentityFile as if given first; `-J`: ProxyJump (ssh: only one -J,
//   and none after a ProxyCommand).
// - What fleetstat cannot honour refuses the host (an error, so it is not contacted): a
//   ProxyCommand (never run), any option or keyword it does not implement. Options that do not
//   change which host is reached, as whom, with which keys, or how its key is checked (compression,
//   verbosity, multiplexing, forwarding, which we never do) are read and ignored.
// - The host and a user given there are checked as ssh.c valid_hostname()/valid_ruser() check them.
import { applyOption, where, type ResolvePass } from './collected-options.js';
import { strdelim } from './lexer.js';
import { parseSshConfig } from './parse.js';
import { parsePort, parseProxyJump } from './values.js';
import type { At, CommandLineWords, SshCommandLine, SshOption } from './types.js';

/** Where the target's own user, port and identity files were given: on ssh's command line. */
export const COMMAND_LINE: At = { file: 'command line', line: 0 };

export interface CommandLineOption {
  option: SshOption;
  at: At;
}

// ssh.c's getopt string: these take an argument
const WITH_ARGUMENT = new Set([...'bceilmopwBDEFIJLOQRSW']);
// these take none
const FLAGS = new Set([...'1246afgknqstvxyACGKMNPTVXY']);
// flags that change nothing fleetstat does: compression, quiet/verbose, tty, stdin, X11 and agent
// forwarding (never done), GSSAPI delegation, multiplexing
const IGNORED_FLAGS = new Set([...'CqvTtnxXYaAkM']);
// options with an argument that change nothing: -E log file, -S control path
const IGNORED_WITH_ARGUMENT = new Set([...'ES']);

// -o keywords read and ignored: they do not change where, as whom, with which keys, or how the host
// key is checked (a predicate: only with those values)
const IGNORED_KEYWORDS: Record<string, (value: string) => boolean> = Object.fromEntries([
  ...[
    'addkeystoagent', 'batchmode', 'challengeresponseauthentication', 'clearallforwardings', 'compression',
    'connectionattempts', 'controlmaster', 'controlpath', 'controlpersist', 'escapechar', 'exitonforwardfailure',
    'forkafterauthentication', 'forwardagent', 'forwardx11', 'forwardx11timeout', 'forwardx11trusted',
    'gssapiauthentication', 'gssapidelegatecredentials', 'hashknownhosts', 'ipqos', 'kbdinteractiveauthentication',
    'localcommand', 'loglevel', 'logverbose', 'numberofpasswordprompts', 'passwordauthentication', 'permitlocalcommand',
    'preferredauthentications', 'pubkeyauthentication', 'requesttty', 'sendenv', 'sessiontype', 'setenv', 'stdinnull',
    'syslogfacility', 'tcpkeepalive', 'visualhostkey',
  ].map((k) => [k, () => true] as const),
  // fleetstat never checks the address against known_hosts, nor updates keys: the same as `no`
  ...['checkhostip', 'updatehostkeys'].map((k) => [k, (v: string) => ['no', 'false'].includes(v.toLowerCase())] as const),
]);

/**
 * The options of an ssh command line, in order, and why the host must not be contacted (`errors`).
 * `before` and `after` are read as one command line (a -J or ProxyCommand in `before` counts for `after`).
 */
export function parseSshCommandLine(line: SshCommandLine): { before: CommandLineOption[]; after: CommandLineOption[]; errors: string[] } {
  const errors: string[] = [];
  const proxy = { jump: false, command: false };
  const read = (lists: CommandLineWords[]): CommandLineOption[] => lists.flatMap((list) => readWords(list, proxy, errors));
  const before = read(line.before);
  const after = read(line.after);
  return { before, after, errors };
}

function readWords(list: CommandLineWords, proxy: { jump: boolean; command: boolean }, errors: string[]): CommandLineOption[] {
  const out: CommandLineOption[] = [];
  const at: At = { file: list.source, line: 0 };
  const refuse = (what: string, why: string): void => {
    errors.push(`${list.source}: ${what}: ${why}`);
  };
  const { words } = list;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--' || !word.startsWith('-') || word === '-') {
      refuse(`"${word}"`, 'not an ssh option (ssh would take it as the host to connect to)');
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const flag = word[j]!;
      if (!WITH_ARGUMENT.has(flag)) {
        if (!FLAGS.has(flag)) refuse(`-${flag}`, 'not an ssh option');
        else if (!IGNORED_FLAGS.has(flag)) refuse(`-${flag}`, 'an ssh option fleetstat does not honour');
        continue;
      }
      let value = word.slice(j + 1);
      if (value === '') {
        if (i + 1 >= words.length) {
          refuse(`-${flag}`, 'needs an argument');
          break;
        }
        value = words[++i]!;
      }
      for (const option of readOption(flag, value, proxy, refuse)) out.push({ option, at });
      break;
    }
  }
  return out;
}

/** One option with its argument: the config options it sets (none when ignored or refused). */
function readOption(
  flag: string, value: string, proxy: { jump: boolean; command: boolean }, refuse: (what: string, why: string) => void,
): SshOption[] {
  const refused = (what: string, why: string): SshOption[] => {
    refuse(what, why);
    return [];
  };
  switch (flag) {
    case 'p': {
      const port = parsePort(value);
      return port === null ? refused(`-p ${value}`, 'bad port') : [{ keyword: 'port', value: port }];
    }
    case 'l':
      return [{ keyword: 'user', value }];
    case 'i':
      return [{ keyword: 'identityfile', value }];
    case 'J': {
      if (proxy.jump) return refused(`-J ${value}`, 'only one -J is allowed (use commas to separate hops)');
      if (proxy.command) return refused(`-J ${value}`, 'cannot be given after a ProxyCommand');
      const hops = parseProxyJump(value);
      if (hops === null) return refused(`-J ${value}`, 'an invalid jump host');
      proxy.jump = true;
      proxy.command = true;
      // ssh.c: -J also sets ProxyCommand none, so no later ProxyCommand applies (even after `-J none`)
      return [{ keyword: 'proxyjump', value: hops }, { keyword: 'proxycommand', value: 'none' }];
    }
    case 'o': {
      const option = configOption(value, proxy, refuse);
      return option ? [option] : [];
    }
    default:
      return IGNORED_WITH_ARGUMENT.has(flag) ? [] : refused(`-${flag} ${value}`, 'an ssh option fleetstat does not honour');
  }
}

/** `-o TEXT`: one config line, as ssh reads it from its command line. */
function configOption(text: string, proxy: { jump: boolean; command: boolean }, refuse: (what: string, why: string) => void): SshOption | undefined {
  const what = `-o "${text}"`;
  if (/[\r\n]/.test(text)) return void refuse(what, 'an option cannot span lines');
  const keyword = (strdelim(text.replace(/^[ \t]+/, '')).token ?? '').toLowerCase();
  if (keyword === 'host' || keyword === 'match' || keyword === 'include') {
    return void refuse(what, `${keyword} is not allowed as a command-line option`);
  }
  const { directives, issues } = parseSshConfig(text, 'command line');
  if (issues.length > 0) return void refuse(what, issues[0]!.message);
  const directive = directives[0];
  if (directive?.kind === 'option') {
    const option = directive.option;
    // as readconf.c: a ProxyCommand after a ProxyJump (even `none`) or another ProxyCommand is ignored
    if (option.keyword === 'proxycommand' && !proxy.command && !proxy.jump) {
      proxy.command = true;
      if (option.value.toLowerCase() !== 'none') return void refuse(what, 'fleetstat never runs a ProxyCommand: use ProxyJump (-J)');
    }
    if (option.keyword === 'proxyjump' && !proxy.command && !proxy.jump) {
      proxy.jump = true;
      if (option.value !== 'none') proxy.command = true;
    }
    return option;
  }
  const ignored = IGNORED_KEYWORDS[keyword];
  const value = strdelim(strdelim(text.replace(/^[ \t]+/, '')).rest).token ?? '';
  if (ignored?.(value)) return undefined;
  return void refuse(what, keyword === '' ? 'no option given' : `fleetstat does not honour the ssh option ${keyword}${ignored ? ` ${value}` : ''}`);
}

/**
 * Everything a target brings from ssh's command line, applied as ssh.c applies it before any file
 * (so first-value-wins keeps it): `before`, then the target's user, port and identity files, then `after`.
 */
export function applySshCommandLine(pass: ResolvePass): void {
  const { target, options, errors } = pass;
  if (!validHostArgument(target.host)) errors.push(`host "${target.host}": hostname contains invalid characters`);
  if (target.user !== undefined && !validUserArgument(target.user)) errors.push(`user "${target.user}": remote username contains invalid characters`);

  const commandLine = parseSshCommandLine(target.commandLine ?? { before: [], after: [] });
  errors.push(...commandLine.errors);
  applyOptions(commandLine.before, pass);
  if (target.user !== undefined) options.user ??= { value: target.user, at: COMMAND_LINE };
  if (target.port !== undefined) options.port ??= { value: target.port, at: COMMAND_LINE };
  for (const f of target.identityFiles ?? []) {
    if (!options.identityFiles.some((x) => x.path === f)) options.identityFiles.push({ path: f, userProvided: true, at: null });
  }
  applyOptions(commandLine.after, pass);
}

/** Command-line options in order, checking a user given there as ssh.c does. */
function applyOptions(options: CommandLineOption[], pass: ResolvePass): void {
  for (const { option, at } of options) {
    if (option.keyword === 'user' && !validUserArgument(option.value)) {
      pass.errors.push(`${where(at)}: user "${option.value}": remote username contains invalid characters`);
    }
    applyOption(option, at, true, pass);
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
