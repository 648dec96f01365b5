// Reads the OpenSSH client configuration files and follows their Include lines: the only I/O of
// ssh_config handling (the parser and resolver are pure: parse.ts, resolve.ts).
//
// As OpenSSH 9.2 (readconf.c, ssh.c process_config_files):
// - `-F FILE` replaces both defaults; a FILE that cannot be read is an error naming it; `-F none`
//   reads nothing.
// - Otherwise ~/.ssh/config (a user config: must not be writable by others nor owned by another
//   user), then /etc/ssh/ssh_config (a system config). A missing default file is fine.
// - Include: relative paths live in ~/.ssh (user configs) or /etc/ssh (system config); `~` only in
//   user configs; glob(3) wildcards, matches read in lexical order; no match is not an error.
//   Every Include is read, even inside a Host/Match block that will not apply (OpenSSH parses
//   them "parse only"), and nesting deeper than 16 levels is an error. Included files must pass
//   the same ownership/permission check as ~/.ssh/config.
import { readdir, stat } from 'node:fs/promises';
import { hostname as osHostname, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { readFailureReason, readInputText } from '../../local/input-file.js';
import { LocalResourceError } from '../../local/resource-error.js';
import { parseSshConfig, unknownKeywordIssues } from './parse.js';
import type { ConfigFile, LoadedConfig, SshConfigDirective, SshConfigIssue, SshTarget } from './types.js';

export const SYSTEM_CONFIG = '/etc/ssh/ssh_config';
const SYSTEM_DIR = '/etc/ssh';
const MAX_INCLUDE_DEPTH = 16; // readconf.c READCONF_MAX_DEPTH

export class SshConfigError extends Error {
  constructor(
    readonly file: string,
    detail: string,
    /** every problem found, when the configuration was read but is invalid */
    readonly issues: readonly SshConfigIssue[] = [],
    readonly line = 0,
  ) {
    // one line, whatever bytes the file holds
    const text = line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`;
    super(text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
    this.name = 'SshConfigError';
  }
}

interface Loader {
  homeDir: string;
  uid: number | undefined;
  issues: SshConfigIssue[];
  warnings: string[];
}

/** readconf.c SSHCONF_CHECKPERM: owned by root or the user, and not writable by group or others. */
async function permissionProblem(path: string, uid: number | undefined): Promise<string | null> {
  const st = await stat(path);
  if (uid !== undefined && st.uid !== 0 && st.uid !== uid) return `bad owner or permissions on ${path} (owned by uid ${st.uid})`;
  if ((st.mode & 0o022) !== 0) return `bad owner or permissions on ${path} (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

/** glob(3) for one segment: `*`, `?`, `[…]`, backslash escapes; a leading dot must be matched literally. */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '\\' && i + 1 < segment.length) {
      re += escapeRe(segment[++i]!);
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/\^/g, '\\^')}]`;
      i = close;
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp(`^${re}$`, 's');
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const hasMagic = (segment: string): boolean => /[*?[]/.test(segment);

/** The paths an absolute glob pattern matches, sorted as glob(3) sorts them (byte order). */
export async function expandGlob(pattern: string): Promise<string[]> {
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let bases = [segments[0] === '' ? '/' : segments[0]!];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasMagic(segment)) {
        next.push(join(base, segment.replace(/\\(.)/g, '$1')));
        continue;
      }
      let names: string[];
      try {
        names = await readdir(base);
      } catch {
        continue;
      }
      const re = segmentRegExp(segment);
      for (const name of names) {
        if (name.startsWith('.') && !segment.startsWith('.')) continue;
        if (re.test(name)) next.push(join(base, name));
      }
    }
    bases = [];
    for (const p of next) {
      try {
        const st = await stat(p);
        if (last || st.isDirectory()) bases.push(p);
      } catch {
        // a name that does not exist matches nothing
      }
    }
  }
  return bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function includePaths(arg: string, file: ConfigFile, d: SshConfigDirective, loader: Loader): string | null {
  const fail = (message: string): null => {
    loader.issues.push({ kind: 'bad-include', file: d.file, line: d.line, field: 'include', message });
    return null;
  };
  if (arg.startsWith('~') && !file.userConfig) return fail(`bad include path ${arg}: ~ is only allowed in user configuration files`);
  let path = arg;
  if (!isAbsolute(path) && !path.startsWith('~')) path = file.userConfig ? `~/.ssh/${path}` : `${SYSTEM_DIR}/${path}`;
  if (path === '~' || path.startsWith('~/')) return `${loader.homeDir.replace(/\/+$/, '')}${path.slice(1)}`;
  if (path.startsWith('~')) return fail(`bad include path ${arg}: ~user paths are not supported`);
  return path;
}

async function loadFile(
  path: string,
  text: string,
  userConfig: boolean,
  depth: number,
  loader: Loader,
): Promise<ConfigFile> {
  const parsed = parseSshConfig(text, path);
  loader.issues.push(...parsed.issues);
  loader.warnings.push(...parsed.warnings);
  const file: ConfigFile = { path, userConfig, directives: parsed.directives };
  for (const d of file.directives) {
    if (d.kind !== 'include') continue;
    const included: ConfigFile[] = [];
    for (const arg of d.patterns) {
      const pattern = includePaths(arg, file, d, loader);
      if (pattern === null) continue;
      if (depth + 1 > MAX_INCLUDE_DEPTH) {
        loader.issues.push({ kind: 'include-depth', file: d.file, line: d.line, field: 'include', message: `too many recursive configuration includes (more than ${MAX_INCLUDE_DEPTH} levels)` });
        continue;
      }
      for (const match of await expandGlob(pattern)) {
        let childText: string;
        try {
          childText = readInputText(match, 'ssh-config');
        } catch (err) {
          if (err instanceof LocalResourceError) throw err;
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') continue; // gone since the glob: OpenSSH skips it too
          if (code === 'EISDIR') {
            childText = ''; // fopen() of a directory succeeds and reads nothing
          } else {
            loader.issues.push({ kind: 'unreadable', file: d.file, line: d.line, field: 'include', message: `can't open user config file ${match}: ${readFailureReason(err)}` });
            continue;
          }
        }
        const perm = await permissionProblem(match, loader.uid);
        if (perm !== null) {
          loader.issues.push({ kind: 'bad-permissions', file: match, line: 0, message: perm });
          continue;
        }
        included.push(await loadFile(match, childText, userConfig, depth + 1, loader));
      }
    }
    d.included = included;
  }
  return file;
}

/**
 * The configuration ssh would use, or SshConfigError when ssh would refuse to run at all: an -F
 * file that cannot be read, or any file with a line OpenSSH rejects ("terminating, N bad
 * configuration options"). The message is one line naming the first problem's file and line.
 */
export async function loadSshConfig(
  configFile: string | undefined,
  homeDir: string,
  options: { systemConfig?: string } = {},
): Promise<LoadedConfig> {
  const loaded = await readSshConfig(configFile, homeDir, options);
  const first = loaded.issues[0];
  if (first === undefined) return loaded;
  const more = loaded.issues.length > 1 ? ` (and ${loaded.issues.length - 1} more bad configuration options)` : '';
  throw new SshConfigError(first.file, `${first.message}${more}`, loaded.issues, first.line);
}

/**
 * The configuration ssh would read: `configFile` as `ssh -F` (undefined: ~/.ssh/config then
 * /etc/ssh/ssh_config). Throws SshConfigError only when an explicit -F file cannot be read; every
 * other problem is an issue in the result.
 */
export async function readSshConfig(
  configFile: string | undefined,
  homeDir: string,
  options: { systemConfig?: string } = {},
): Promise<LoadedConfig> {
  const loader: Loader = { homeDir, uid: process.getuid?.(), issues: [], warnings: [] };
  const files: ConfigFile[] = [];
  if (configFile !== undefined) {
    if (configFile.toLowerCase() === 'none') return { files, issues: [], warnings: [] };
    let text: string;
    try {
      text = readInputText(configFile, 'ssh-config');
    } catch (err) {
      if (err instanceof LocalResourceError) throw err;
      throw new SshConfigError(configFile, `can't open user config file: ${readFailureReason(err)}`);
    }
    files.push(await loadFile(configFile, text, true, 0, loader));
    return { files, issues: [...loader.issues, ...unknownKeywordIssues(files)], warnings: loader.warnings };
  }
  const defaults: Array<{ path: string; userConfig: boolean }> = [
    { path: join(homeDir, '.ssh', 'config'), userConfig: true },
    { path: options.systemConfig ?? SYSTEM_CONFIG, userConfig: false },
  ];
  for (const { path, userConfig } of defaults) {
    let text: string;
    try {
      text = readInputText(path, 'ssh-config');
    } catch (err) {
      if (err instanceof LocalResourceError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      // OpenSSH ignores a default file it cannot open; say so unless it simply is not there
      if (code !== 'ENOENT') loader.warnings.push(`${path}: not read: ${readFailureReason(err)}`);
      continue;
    }
    if (userConfig) {
      const perm = await permissionProblem(path, loader.uid);
      if (perm !== null) {
        loader.issues.push({ kind: 'bad-permissions', file: path, line: 0, message: perm });
        continue;
      }
    }
    files.push(await loadFile(path, text, userConfig, 0, loader));
  }
  return { files, issues: [...loader.issues, ...unknownKeywordIssues(files)], warnings: loader.warnings };
}

/** This machine's side of an SshTarget: local user, home, uid, host name, environment. */
export function localSshTarget(host: string, extra: Partial<Omit<SshTarget, 'host'>> = {}): SshTarget {
  const me = userInfo();
  return {
    host,
    localUser: me.username,
    homeDir: me.homedir,
    uid: me.uid >= 0 ? me.uid : undefined,
    localHostname: osHostname(),
    env: process.env,
    ...extra,
  };
}
