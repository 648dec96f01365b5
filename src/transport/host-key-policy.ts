// StrictHostKeyChecking as OpenSSH means it, for one host: what to offer, what to accept, what to
// record. The order is sshconnect.c verify_host_key()'s: RequiredRSASize, RevokedHostKeys (even with
// checking off), then known_hosts.
import type { HostKeyCheck } from './ssh-endpoint.js';
import { orderHostKeyAlgorithms } from '../openssh/algorithms.js';
import {
  checkHostKeyBy,
  entryMatches,
  fingerprintSha256,
  isRevoked,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  knownKeyTypesBy,
  rsaBits,
  type KnownHostEntry,
  type NameLookup,
  type RevokedKeys,
} from '../openssh/known-hosts/index.js';
import type { HostKeyMode } from './plan.js';
import type { KnownHostsView } from './known-hosts-book.js';
import type { HostKeySeen } from '../model/index.js';

export interface HostKeyPolicyInput {
  /** the name and port as known_hosts writes them */
  name: string;
  port: number;
  mode: HostKeyMode;
  /** the host's known_hosts files (user files, then global ones), as they stand when the key is judged */
  knownHosts: KnownHostsView;
  /** where accept-new records a new key (OpenSSH: the first UserKnownHostsFile); none: accept-new cannot record */
  recordTo?: string;
  /** HashKnownHosts: record `|1|salt|hash` rather than the name */
  hash: boolean;
  /** RevokedHostKeys, already read */
  revoked?: { file: string; keys: RevokedKeys };
  /** RequiredRSASize */
  requiredRsaSize: number;
  /** HostKeyAlgorithms as OpenSSH assembles it; knownFirst: put known_hosts' key types first */
  hostKeyAlgorithms: { list: string[]; knownFirst: boolean };
  /** told of the key finally accepted */
  onAccepted: (seen: HostKeySeen) => void;
  /** what known_hosts had to say beside the verdict (e.g. an unsupported @cert-authority line) */
  warn: (message: string) => void;
}

/**
 * The known_hosts lines of each name, each line matched against a name once per connection: a hashed
 * line costs an HMAC per name, and a connection asks for its names when it offers algorithms and again
 * when it judges the key (10k hashed lines: ~30 ms a pass). Lines recorded in between (accept-new, by
 * another host of the run) are matched when asked for; if lines went away (a record that failed to
 * be written), everything is matched again.
 */
function rememberedLookup(view: KnownHostsView): NameLookup {
  const seen = new Map<string, { upTo: number; last: KnownHostEntry | undefined; matching: KnownHostEntry[] }>();
  return (name) => {
    const entries = view.entries();
    let memo = seen.get(name);
    if (memo === undefined || memo.upTo > entries.length || (memo.upTo > 0 && entries[memo.upTo - 1] !== memo.last)) {
      memo = { upTo: 0, last: undefined, matching: [] };
      seen.set(name, memo);
    }
    for (let i = memo.upTo; i < entries.length; i++) if (entryMatches(entries[i]!, name)) memo.matching.push(entries[i]!);
    memo.upTo = entries.length;
    memo.last = entries[entries.length - 1];
    return memo.matching;
  };
}

export function hostKeyPolicy(input: HostKeyPolicyInput): HostKeyCheck {
  const target = { host: input.name, port: input.port };
  const lookup = rememberedLookup(input.knownHosts);
  const caKnown = lookup(knownHostsName(target)).some((e) => e.marker === 'cert-authority');
  const { list, knownFirst } = input.hostKeyAlgorithms;
  return {
    algorithms: input.mode === 'off' || !knownFirst ? list : orderHostKeyAlgorithms(list, knownKeyTypesBy(lookup, target), caKnown),
    verify(blob) {
      const type = keyTypeOf(blob) ?? 'unknown';
      const fingerprint = fingerprintSha256(blob);
      const key = `${type} ${fingerprint}`;
      const bits = rsaBits(blob);
      if (type === 'ssh-rsa' && bits < input.requiredRsaSize) {
        return { accept: false, reason: `the host key ${key} is ${bits}-bit RSA, smaller than RequiredRSASize ${input.requiredRsaSize}; refused` };
      }
      if (input.revoked && isRevoked(input.revoked.keys, blob)) {
        return { accept: false, reason: `the host key ${key} is revoked by ${input.revoked.file} (RevokedHostKeys); refused` };
      }
      if (input.mode === 'off') {
        input.onAccepted({ type, fingerprint, check: 'unchecked' });
        return { accept: true };
      }
      const result = checkHostKeyBy(lookup, target, { type, blob });
      for (const warning of result.warnings) input.warn(warning);
      switch (result.status) {
        case 'match': {
          const written = input.knownHosts.appended(result.at);
          if (!written) {
            input.onAccepted({ type, fingerprint, check: 'known' });
            return { accept: true };
          }
          // recorded moments ago by another host of this run: accepted once that line is written
          return { accept: true, record: () => written.then(() => input.onAccepted({ type, fingerprint, check: 'added' })) };
        }
        case 'revoked':
          return { accept: false, reason: `the host key ${key} is marked as revoked (${result.at.file}:${result.at.line})` };
        case 'changed':
          return {
            accept: false,
            reason:
              `REMOTE HOST IDENTIFICATION HAS CHANGED: the host offered ${key}, known_hosts has ` +
              `${result.expected.join(', ')} (${result.offending.map((o) => `${o.file}:${o.line}`).join(', ')}); refused`,
          };
        case 'unknown': {
          const name = knownName(target);
          if (caKnown) {
            return { accept: false, reason: `host key not known: ${key} for ${name}; known_hosts vouches for it with a @cert-authority line, and fleetstat takes no host certificates: not recorded, refused` };
          }
          if (input.mode === 'yes' || input.recordTo === undefined) {
            return {
              accept: false,
              reason: `host key not known: ${key} for ${name} (check it, then add it to known_hosts, or scan with --strict-host-keys accept-new)`,
            };
          }
          let line: string;
          try {
            line = knownHostsLine(target, { type, blob }, { hash: input.hash });
          } catch (err) {
            return { accept: false, reason: `could not record the new host key: ${(err as Error).message}` };
          }
          // recorded now, before any other host is judged: the next host with this name sees it
          const written = input.knownHosts.record(input.recordTo, line);
          return { accept: true, record: () => written.then(() => input.onAccepted({ type, fingerprint, check: 'added' })) };
        }
      }
    },
  };
}

function knownName(target: { host: string; port: number }): string {
  return target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
}
