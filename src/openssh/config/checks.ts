// The value checks readconf.c makes of each keyword's arguments (OpenSSH 9.2), for the keywords
// keywords.ts lists: one small check per kind of value, each giving the value to keep or the issue
// OpenSSH would refuse the line for. Pure.
import { algorithmListError, type AlgorithmKind } from '../algorithms.js';
import { parsePort, parseTime } from './values.js';
import type { SshConfigIssueKind } from './types.js';

export type CheckResult = { ok: true; value: string } | { ok: false; kind: SshConfigIssueKind; message: string };
/** args: the line's words after the keyword (misc.c argv_split); raw: the rest of the line as written */
export type ValueCheck = (args: readonly string[], raw: string) => CheckResult;

const ok = (value: string): CheckResult => ({ ok: true, value });
const bad = (message: string, kind: SshConfigIssueKind = 'bad-value'): CheckResult => ({ ok: false, kind, message });

/** One argument, then nothing (`check` judges the argument). */
export function single(check: (arg: string) => string | null = () => null): ValueCheck {
  return (args) => {
    const arg = args[0];
    if (arg === undefined || arg === '') return bad('missing argument', 'missing-argument');
    const problem = check(arg);
    if (problem !== null) return bad(problem);
    if (args.length > 1) return bad('extra arguments at end of line', 'extra-arguments');
    return ok(arg);
  };
}

/** readconf.c multistate tables: one of these words, any case. */
export const oneOf = (...words: string[]): ValueCheck =>
  single((arg) => (words.includes(arg.toLowerCase()) ? null : `unsupported option "${arg}"`));

export const FLAG = ['yes', 'no', 'true', 'false'];
export const flag = oneOf(...FLAG);

/** misc.c atoi_err(): strtonum(0, INT_MAX). */
export const integer = single((arg) =>
  /^[ \t\n\v\f\r]*[+-]?\d+$/.test(arg) && Number(arg) >= 0 && Number(arg) <= 2147483647 ? null : `integer value '${arg}' invalid`,
);

/** parse_time: `none` or misc.c convtime(). */
export const time = single((arg) => (arg === 'none' || parseTime(arg) !== null ? null : `invalid time value '${arg}'`));

/** Commands (ProxyCommand, LocalCommand …): the rest of the line, as written. */
export const command: ValueCheck = (_args, raw) => {
  const value = raw.replace(/^[ \t\r\n=]+/, '');
  return value === '' ? bad('missing argument', 'missing-argument') : ok(value);
};

/** Arguments OpenSSH reads and drops (deprecated and unsupported keywords). */
export const anything: ValueCheck = (args) => ok(args.join(' '));

export const algorithms = (kind: AlgorithmKind): ValueCheck => single((arg) => algorithmListError(kind, arg));

/** parse_char_array and friends: words, `none` only alone, no empty word; `each` judges every word. */
export function words(each: (word: string) => string | null = () => null, noneAlone = true): ValueCheck {
  return (args) => {
    if (args.length === 0) return bad('missing argument', 'missing-argument');
    for (const w of args) {
      if (w === '') return bad('empty argument', 'missing-argument');
      if (noneAlone && w.toLowerCase() === 'none' && args.length > 1) return bad('"none" argument must appear alone');
      const problem = each(w);
      if (problem !== null) return bad(problem);
    }
    return ok(args.join(' '));
  };
}

/** misc.c valid_domain() as CanonicalDomains uses it. */
function domainProblem(name: string): string | null {
  if (!/^[A-Za-z0-9]/.test(name)) return `domain name "${name}" starts with invalid character`;
  if (name.includes('..')) return `domain name "${name}" contains consecutive separators`;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return `domain name "${name}" contains invalid characters`;
  return null;
}
export const domains = words(domainProblem);

export const permittedCnames = words((w) => (w.toLowerCase() === 'none' || w === '*' || /^[^:]*:.+$/.test(w) ? null : `Invalid permitted CNAME "${w}"`));

export const sendEnv = words((w) => (w.includes('=') ? 'Invalid environment name.' : null), false);
export const setEnv = words((w) => (w.includes('=') ? null : 'Invalid SetEnv.'), false);

/** PermitRemoteOpen: any, none, or host:port (port `*` or a port). */
export const remoteOpen = words((w) => {
  if (w.toLowerCase() === 'any' || w.toLowerCase() === 'none') return null;
  const m = /^(?:\[[^\]]+\]|[^:]+):(.+)$/.exec(w);
  return m && (m[1] === '*' || parsePort(m[1]!) !== null) ? null : `bad port number in PermitRemoteOpen`;
}, false);

/** LocalForward/RemoteForward/DynamicForward: the number of specs each takes (the specs are not read: fleetstat never forwards). */
export function forward(min: number, max: number): ValueCheck {
  return (args) => {
    if (args.length < min || args[0] === '') return bad('missing argument', 'missing-argument');
    if (args.length > max) return bad('extra arguments at end of line', 'extra-arguments');
    return ok(args.join(' '));
  };
}

export const escapeChar = single((arg) => {
  if (arg === 'none' || arg.length === 1) return null;
  const code = arg.charCodeAt(1);
  return arg.length === 2 && arg[0] === '^' && code >= 64 && code < 128 ? null : 'Bad escape character.';
});

export const controlPersist = single((arg) => (['yes', 'no', 'true', 'false'].includes(arg) || parseTime(arg) !== null ? null : 'Bad ControlPersist argument.'));

/** misc.c a2tun(): `any` or 0…2147483645, optionally `local:remote`. */
export const tunnelDevice = single((arg) => {
  const one = (s: string) => s.toLowerCase() === 'any' || (/^\d+$/.test(s) && Number(s) <= 0x7ffffffd);
  const parts = arg.split(':');
  return parts.length <= 2 && parts.every(one) ? null : 'Bad tun device.';
});

const IPQOS = [
  'none', 'af11', 'af12', 'af13', 'af21', 'af22', 'af23', 'af31', 'af32', 'af33', 'af41', 'af42', 'af43',
  'cs0', 'cs1', 'cs2', 'cs3', 'cs4', 'cs5', 'cs6', 'cs7', 'ef', 'le', 'lowdelay', 'throughput', 'reliability',
];
/** misc.c parse_ipqos(): a name or a number 0…255 (C notation), for interactive and optionally bulk. */
export const ipQos: ValueCheck = (args) => {
  const valid = (s: string) => IPQOS.includes(s.toLowerCase()) || (/^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(s) && Number.parseInt(s, s.toLowerCase().startsWith('0x') ? 16 : s.startsWith('0') ? 8 : 10) <= 255);
  if (args.length === 0) return bad('missing argument', 'missing-argument');
  if (args.length > 2) return bad('extra arguments at end of line', 'extra-arguments');
  const wrong = args.find((a) => !valid(a));
  return wrong === undefined ? ok(args.join(' ')) : bad(`Bad IPQoS value: ${wrong}`);
};

/** RekeyLimit: `default` or a size (scan_scaled, at least 16 unless 0), then optionally a time or `none`. */
export const rekeyLimit: ValueCheck = (args) => {
  const size = args[0];
  if (size === undefined || size === '') return bad('missing argument', 'missing-argument');
  if (size !== 'default') {
    const m = /^[+-]?(\d+)(?:\.\d+)?([bkmgtpe]?)$/i.exec(size);
    if (!m) return bad(`Bad number '${size}'`);
    if (size.startsWith('-') || (m[2] === '' && Number(m[1]) > 0 && Number(m[1]) < 16)) return bad('RekeyLimit too small');
  }
  if (args.length > 2) return bad('extra arguments at end of line', 'extra-arguments');
  const interval = args[1];
  if (interval !== undefined && interval !== 'none' && parseTime(interval) === null) return bad(`invalid time value '${interval}'`);
  return ok(args.join(' '));
};

/** StreamLocalBindMask: octal, at most 0777 (strtol: what follows the digits is not looked at). */
export const bindMask = single((arg) => {
  const m = /^[ \t]*\+?([0-7]+)/.exec(arg);
  return m && Number.parseInt(m[1]!, 8) <= 0o777 ? null : 'Bad mask.';
});

/** AddKeysToAgent: yes/no/ask/confirm, `confirm TIME`, or a TIME alone. */
export const addKeysToAgent: ValueCheck = (args) => {
  const [first, second] = args;
  if (first === undefined || first === '') return bad('missing argument', 'missing-argument');
  const state = ['yes', 'no', 'true', 'false', 'ask', 'confirm'].includes(first.toLowerCase()) ? first.toLowerCase() : null;
  if (args.length > 2) return bad('extra arguments at end of line', 'extra-arguments');
  if (state === 'confirm' && second !== undefined) return parseTime(second) === null ? bad('invalid time value.') : ok(args.join(' '));
  if (state === null && second === undefined) return parseTime(first) === null ? bad('unsupported option') : ok(first);
  if (state === null || second !== undefined) return bad('unsupported option');
  return ok(first);
};

/** IdentityAgent and ForwardAgent paths: a legacy `$NAME` must be a valid name (${VAR} is checked when resolved). */
export function agentPathProblem(arg: string): string | null {
  const missingBrace = /\$\{[^}]*$/.test(arg);
  if (missingBrace) return `Invalid environment expansion ${arg}.`;
  if (arg.startsWith('$') && !arg.startsWith('${') && !/^\$[A-Za-z0-9_]+$/.test(arg)) return `Invalid environment name ${arg}.`;
  return null;
}
export const agentPath = single(agentPathProblem);
export const forwardAgent = single((arg) => (FLAG.includes(arg.toLowerCase()) ? null : agentPathProblem(arg)));

export const LOG_LEVELS = ['quiet', 'fatal', 'error', 'info', 'verbose', 'debug', 'debug1', 'debug2', 'debug3'];
export const LOG_FACILITIES = ['daemon', 'user', 'auth', 'authpriv', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
export const DIGESTS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'];
