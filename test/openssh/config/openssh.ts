// OpenSSH's own resolution, `ssh -G` (prints the configuration for a host and exits: it never
// connects), in a form the tests compare with resolveSshConfig(). Everything here is an
// independent reading of ssh's output: nothing is computed with the code under test.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProxyHop, ResolvedSshConfig } from '../../../src/openssh/config/index.js';

export interface CommandLine {
  user?: string;
  port?: number;
  identityFiles?: string[];
}

export interface SshG {
  status: number;
  stderr: string;
  /** keyword → values, in ssh's order */
  values: Map<string, string[]>;
}

export function sshG(configFile: string, host: string, cli: CommandLine = {}, env: NodeJS.ProcessEnv = process.env): SshG {
  const args = ['-G', '-F', configFile];
  if (cli.user !== undefined) args.push('-l', cli.user);
  if (cli.port !== undefined) args.push('-p', String(cli.port));
  for (const i of cli.identityFiles ?? []) args.push('-i', i);
  args.push('--', host);
  const r = spawnSync('ssh', args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  const values = new Map<string, string[]>();
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^(\S+) (.*)$/.exec(line);
    if (!m) continue;
    const list = values.get(m[1]!) ?? [];
    list.push(m[2]!);
    values.set(m[1]!, list);
  }
  return { status: r.status ?? -1, stderr: r.stderr ?? '', values };
}

/** The comparable part of a resolution. */
export interface Comparable {
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  proxyJump: ProxyHop[] | null;
  proxyCommand: string | null;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  strictHostKeyChecking: string;
  connectTimeout: number | null;
  serverAliveInterval: number;
  serverAliveCountMax: number;
  hostKeyAlias: string | null;
  hashKnownHosts: boolean;
  revokedHostKeys: string | null;
  knownHostsCommand: string | null;
  checkHostIP: boolean;
  verifyHostKeyDNS: string;
  requiredRsaSize: number;
  /** `default` (SSH_AUTH_SOCK), `none`, or the socket path */
  identityAgent: string;
  ciphers: string[];
  macs: string[];
  kexAlgorithms: string[];
  hostKeyAlgorithms: string[];
}

/** ssh -G prints the last hop normalised (`user@[addr]:port`) and the earlier ones as written. */
function parseJump(text: string): ProxyHop[] {
  return text.split(',').map((part) => {
    let rest = part;
    let user: string | undefined;
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      user = rest.slice(0, at);
      rest = rest.slice(at + 1);
    }
    if (rest.startsWith('ssh://')) rest = rest.slice(6);
    let host = rest;
    let port: number | undefined;
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
    const plain = /^([^:]+)(?::(\d+))?$/.exec(rest);
    const m = bracket ?? plain;
    if (m) {
      host = m[1]!;
      if (m[2] !== undefined) port = Number(m[2]);
    }
    return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
  });
}

/**
 * `~` and the %-tokens ssh expands in IdentityFile (which `ssh -G` prints unexpanded), computed
 * from ssh's own output: for comparing identity files only.
 */
function expandIdentity(path: string, g: SshG, host: string, homeDir: string, localUser: string): string {
  const one = (k: string): string => g.values.get(k)?.[0] ?? '';
  const tokens: Record<string, string> = { d: homeDir, h: one('hostname'), n: host, p: one('port'), r: one('user'), u: localUser, '%': '%' };
  const tilde = path === '~' ? homeDir : path.startsWith('~/') ? `${homeDir}/${path.slice(2)}` : path;
  return tilde.replace(/%(.)/g, (_, k: string) => tokens[k] ?? `%${k}`);
}

export function fromSshG(g: SshG, host: string, homeDir: string, localUser: string, env: NodeJS.ProcessEnv = process.env): Comparable {
  const one = (k: string): string | undefined => g.values.get(k)?.[0];
  const list = (k: string): string[] => {
    const v = one(k);
    return v === undefined || v === 'none' ? [] : v.split(' ');
  };
  const strict = one('stricthostkeychecking');
  const timeout = one('connecttimeout');
  const jump = one('proxyjump');
  return {
    hostname: one('hostname')!,
    port: Number(one('port')),
    user: one('user')!,
    identityFiles: (g.values.get('identityfile') ?? []).filter((f) => f.toLowerCase() !== 'none').map((f) => expandIdentity(f, g, host, homeDir, localUser)),
    identitiesOnly: one('identitiesonly') === 'yes',
    proxyJump: jump === undefined ? null : parseJump(jump),
    proxyCommand: one('proxycommand') ?? null,
    userKnownHostsFiles: list('userknownhostsfile'),
    globalKnownHostsFiles: list('globalknownhostsfile'),
    strictHostKeyChecking: strict === 'true' || strict === 'ask' ? 'yes' : strict === 'false' ? 'no' : strict!,
    connectTimeout: timeout === undefined || timeout === 'none' ? null : Number(timeout),
    serverAliveInterval: Number(one('serveraliveinterval')),
    serverAliveCountMax: Number(one('serveralivecountmax')),
    hostKeyAlias: one('hostkeyalias') ?? null,
    hashKnownHosts: one('hashknownhosts') === 'yes',
    revokedHostKeys: one('revokedhostkeys') ?? null,
    knownHostsCommand: one('knownhostscommand') ?? null,
    checkHostIP: one('checkhostip') === 'yes',
    verifyHostKeyDNS: ({ true: 'yes', false: 'no' } as Record<string, string>)[one('verifyhostkeydns')!] ?? one('verifyhostkeydns')!,
    requiredRsaSize: Number(one('requiredrsasize')),
    identityAgent: agentOf(one('identityagent'), env),
    ciphers: one('ciphers')!.split(','),
    macs: one('macs')!.split(','),
    kexAlgorithms: one('kexalgorithms')!.split(','),
    hostKeyAlgorithms: one('hostkeyalgorithms')!.split(','),
  };
}

/** ssh -G prints IdentityAgent expanded but `$NAME` as written: what ssh will then use (ssh.c). */
function agentOf(printed: string | undefined, env: NodeJS.ProcessEnv): string {
  if (printed === undefined || printed === 'SSH_AUTH_SOCK') return 'default';
  if (printed.startsWith('$')) return env[printed.slice(1)] ?? 'none';
  return printed;
}

/** Ours, with OpenSSH's defaults filled in the way ssh -G shows them. */
export function fromResolved(r: ResolvedSshConfig, localUser: string): Comparable {
  return {
    hostname: r.hostname,
    port: r.port ?? 22,
    user: r.user ?? localUser,
    identityFiles: r.identityFiles,
    identitiesOnly: r.identitiesOnly,
    proxyJump: r.proxyJump,
    proxyCommand: r.proxyCommand ?? null,
    userKnownHostsFiles: r.userKnownHostsFiles,
    globalKnownHostsFiles: r.globalKnownHostsFiles,
    strictHostKeyChecking: r.strictHostKeyChecking ?? 'yes',
    connectTimeout: r.connectTimeout ?? null,
    serverAliveInterval: r.serverAliveInterval ?? 0,
    serverAliveCountMax: r.serverAliveCountMax ?? 3,
    hostKeyAlias: r.hostKeyAlias ?? null,
    hashKnownHosts: r.hashKnownHosts,
    revokedHostKeys: r.revokedHostKeys ?? null,
    knownHostsCommand: r.knownHostsCommand ?? null,
    checkHostIP: r.checkHostIP,
    verifyHostKeyDNS: r.verifyHostKeyDNS,
    requiredRsaSize: r.requiredRsaSize,
    identityAgent: r.identityAgent === undefined ? 'default' : r.identityAgent === null ? 'none' : r.identityAgent,
    ciphers: r.algorithms.cipher,
    macs: r.algorithms.mac,
    kexAlgorithms: r.algorithms.kex,
    hostKeyAlgorithms: r.algorithms.hostKey,
  };
}

/**
 * fixtures/ssh/config copied to a fresh directory with @FIXTURE@ replaced by it, files 0644
 * (OpenSSH refuses included files others can write). Returns the directory.
 */
export function copyFixture(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleetstat-sshcfg-'));
  cpSync(source, dir, { recursive: true });
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        chmodSync(p, 0o755);
        walk(p);
      } else {
        writeFileSync(p, readFileSync(p, 'utf8').replaceAll('@FIXTURE@', dir));
        chmodSync(p, 0o644);
      }
    }
  };
  walk(dir);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function opensshVersion(): string {
  try {
    return execFileSync('ssh', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? '').trim();
  }
}
