// Tokens (%h, %r …), ${ENV} and `~` in ssh_config values, where and as OpenSSH 9.2 expands them. Pure.

/** readconf.c's HostName expansion: %h (the host as typed) and %%. */
export function expandHostname(hostname: string, hostArg: string): string {
  return percentExpand(hostname, { h: hostArg });
}

export class TokenError extends Error {}

/** misc.c percent_expand() (and ${ENV} when env is given): an unknown token is an error. */
export function percentExpand(s: string, tokens: Record<string, string | undefined>, env?: Readonly<Record<string, string | undefined>>): string {
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
export function expandTilde(path: string, homeDir: string): string {
  if (!path.startsWith('~')) return path;
  if (path === '~') return homeDir;
  if (path.startsWith('~/')) return `${homeDir.replace(/\/+$/, '')}/${path.slice(2)}`;
  throw new TokenError(`"${path}": ~user paths are not supported`);
}
