// The keywords kept as checked strings (keywords.ts `read`), turned into what they mean once the
// whole configuration is resolved, with OpenSSH 9.2's defaults (readconf.c fill_default_options). Pure.
import { assembleAlgorithms, type AlgorithmKind } from '../algorithms.js';
import { where } from './collected-options.js';
import { parseFlag } from './values.js';
import type { At, ReadKeyword, ReadOptions } from './types.js';

export interface ReadContext {
  /** `~`, %tokens and ${ENV} as IdentityFile takes them; null after an error (already recorded) */
  expandPath: (path: string, at: At, what: string) => string | null;
  env: Readonly<Record<string, string | undefined>>;
  errors: string[];
}

const SSH_RSA_MINIMUM_MODULUS_SIZE = 1024;

export function resolveReadOptions(read: ReadonlyMap<ReadKeyword, { value: string; at: At }>, ctx: ReadContext): ReadOptions {
  const value = (k: ReadKeyword): string | undefined => read.get(k)?.value;
  const isSet = (k: ReadKeyword): boolean => parseFlag(value(k) ?? 'no') === true;
  const unlessNone = (k: ReadKeyword): string | undefined => {
    const v = value(k);
    return v === undefined || v.toLowerCase() === 'none' ? undefined : v;
  };

  const assemble = (kind: AlgorithmKind, k: ReadKeyword): string[] => {
    try {
      return assembleAlgorithms(kind, value(k));
    } catch (e) {
      ctx.errors.push(`${where(read.get(k)!.at)}: ${k}: ${(e as Error).message}`);
      return [];
    }
  };
  const hostKeySpec = value('hostkeyalgorithms');

  const dns = value('verifyhostkeydns')?.toLowerCase();
  const preferred = value('preferredauthentications');
  const pubkey = value('pubkeyauthentication');
  return {
    hashKnownHosts: isSet('hashknownhosts'),
    ...(unlessNone('revokedhostkeys') !== undefined ? { revokedHostKeys: unlessNone('revokedhostkeys')! } : {}),
    ...(unlessNone('knownhostscommand') !== undefined ? { knownHostsCommand: unlessNone('knownhostscommand')! } : {}),
    checkHostIP: isSet('checkhostip'),
    verifyHostKeyDNS: dns === 'yes' || dns === 'true' ? 'yes' : dns === 'ask' ? 'ask' : 'no',
    noHostAuthenticationForLocalhost: isSet('nohostauthenticationforlocalhost'),
    algorithms: {
      hostKey: assemble('key', 'hostkeyalgorithms'),
      hostKeyKnownFirst: hostKeySpec === undefined || hostKeySpec.startsWith('+') || hostKeySpec.startsWith('-'),
      kex: assemble('kex', 'kexalgorithms'),
      cipher: assemble('cipher', 'ciphers'),
      mac: assemble('mac', 'macs'),
    },
    requiredRsaSize: value('requiredrsasize') !== undefined ? Number(value('requiredrsasize')) : SSH_RSA_MINIMUM_MODULUS_SIZE,
    ...identityAgent(read.get('identityagent'), ctx),
    publickey: (pubkey === undefined || parseFlag(pubkey) !== false) && (preferred === undefined || preferred.split(',').includes('publickey')),
  };
}

/** ssh.c: `SSH_AUTH_SOCK` (the default), `none`, a legacy `$NAME`, or a path (`~`, %tokens, ${ENV}). */
function identityAgent(agent: { value: string; at: At } | undefined, ctx: ReadContext): { identityAgent?: string | null } {
  if (agent === undefined || agent.value === 'SSH_AUTH_SOCK') return {};
  if (agent.value === 'none') return { identityAgent: null };
  if (agent.value.startsWith('$') && !agent.value.startsWith('${')) return { identityAgent: ctx.env[agent.value.slice(1)] ?? null };
  const path = ctx.expandPath(agent.value, agent.at, 'IdentityAgent');
  return path === null ? {} : { identityAgent: path };
}
