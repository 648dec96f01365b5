// ssh_config values as OpenSSH reads them (misc.c convtime, a2port, parse_user_host_port …). Pure.
import type { ProxyHop, StrictHostKeyChecking } from './types.js';


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

export function parseFlag(s: string): boolean | null {
  const v = s.toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  return null;
}

export function parseStrict(s: string): StrictHostKeyChecking | null {
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
export function parseProxyJump(raw: string): 'none' | ProxyHop[] | null {
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
