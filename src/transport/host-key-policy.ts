// StrictHostKeyChecking as OpenSSH means it, for one host: what to offer, what to accept, what to record.
import type { HostKeyCheck } from './ssh.js';
import {
  checkHostKey,
  fingerprintSha256,
  hostKeyAlgorithmsFor,
  keyTypeOf,
  knownHostsLine,
  knownKeyTypes,
  type KnownHostEntry,
} from '../openssh/known-hosts/index.js';
import type { HostKeyMode } from './plan.js';
import type { HostKeySeen } from '../model/index.js';


export interface HostKeyPolicyInput {
  /** the name and port as known_hosts writes them */
  name: string;
  port: number;
  mode: HostKeyMode;
  entries: readonly KnownHostEntry[];
  /** where accept-new records a new key (OpenSSH: the first UserKnownHostsFile); none: accept-new cannot record */
  recordTo?: string;
  append: (file: string, line: string) => Promise<void>;
  /** told of the key finally accepted */
  onAccepted: (seen: HostKeySeen) => void;
  /** what known_hosts had to say beside the verdict (e.g. an unsupported @cert-authority line) */
  warn: (message: string) => void;
}

export function hostKeyPolicy(input: HostKeyPolicyInput): HostKeyCheck {
  const target = { host: input.name, port: input.port };
  const known = input.mode === 'off' ? [] : knownKeyTypes(input.entries, target);
  return {
    // negotiate only the key types known for this host, as OpenSSH orders them (no downgrade to an unknown type)
    ...(known.length > 0 ? { algorithms: hostKeyAlgorithmsFor(known) } : {}),
    verify(blob) {
      const type = keyTypeOf(blob) ?? 'unknown';
      const fingerprint = fingerprintSha256(blob);
      if (input.mode === 'off') {
        input.onAccepted({ type, fingerprint, check: 'unchecked' });
        return { accept: true };
      }
      const result = checkHostKey(input.entries, target, { type, blob });
      for (const warning of result.warnings) input.warn(warning);
      switch (result.status) {
        case 'match':
          input.onAccepted({ type, fingerprint, check: 'known' });
          return { accept: true };
        case 'revoked':
          return { accept: false, reason: `the host key ${type} ${fingerprint} is marked as revoked (${result.at.file}:${result.at.line})` };
        case 'changed':
          return {
            accept: false,
            reason:
              `REMOTE HOST IDENTIFICATION HAS CHANGED: the host offered ${type} ${fingerprint}, known_hosts has ` +
              `${result.expected.join(', ')} (${result.offending.map((o) => `${o.file}:${o.line}`).join(', ')}); refused`,
          };
        case 'unknown': {
          if (input.mode === 'yes' || input.recordTo === undefined) {
            return {
              accept: false,
              reason: `host key not known: ${type} ${fingerprint} for ${knownName(target)} (check it, then add it to known_hosts, or scan with --strict-host-keys accept-new)`,
            };
          }
          const file = input.recordTo;
          return {
            accept: true,
            record: async () => {
              await input.append(file, knownHostsLine(target, { type, blob }, { hash: false }));
              input.onAccepted({ type, fingerprint, check: 'added' });
            },
          };
        }
      }
    },
  };
}

function knownName(target: { host: string; port: number }): string {
  return target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
}
