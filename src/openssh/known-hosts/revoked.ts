// ssh_config's RevokedHostKeys file, read as OpenSSH 9.2 reads it (authfile.c sshkey_check_revoked):
// a KRL (krl.ts), else a list of public keys, one a line (`type base64 [comment]`, `#` comments).
// Any line ssh cannot read makes the whole check fail, and ssh then refuses every host key: so do
// we (fail closed). Pure: bytes in, revoked keys out.
import { createHash } from 'node:crypto';
import { KEY_TYPES, keyParts, rsaBits, sameKey } from './keys.js';
import { KRL_MAGIC, parseKrl, type RevokedKeys } from './krl.js';

export type { RevokedKeys } from './krl.js';

const RSA_MINIMUM_BITS = 1024; // sshkey.c: smaller RSA keys are skipped (SSH_ERR_KEY_LENGTH)

/** The keys a RevokedHostKeys file revokes, or why ssh could not use it (then every key is refused). */
export function parseRevokedHostKeys(bytes: Buffer): RevokedKeys | { error: string } {
  if (bytes.subarray(0, KRL_MAGIC.length).equals(KRL_MAGIC)) return parseKrl(bytes);
  const blobs: Buffer[] = [];
  const lines = bytes.toString('latin1').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('\0')) continue;
    const [type, base64] = line.split(/[ \t]+/);
    const where = `line ${i + 1}`;
    if (type === undefined || !KEY_TYPES.includes(type)) {
      return { error: `${where}: not a public key${type?.includes('-cert-') ? ' (certificates are not supported)' : ''}` };
    }
    const blob = base64 !== undefined && /^[A-Za-z0-9+/]+={0,2}\r?$/.test(base64) ? Buffer.from(base64, 'base64') : null;
    const parts = blob ? keyParts(blob) : null;
    if (!blob || !parts || 'error' in parts || parts.type !== type) return { error: `${where}: not a well-formed ${type} key` };
    if (type === 'ssh-rsa' && rsaBits(blob) < RSA_MINIMUM_BITS) continue;
    blobs.push(blob);
  }
  return { blobs, sha1: [], sha256: [] };
}

/** krl.c is_key_revoked() for a plain key: its SHA1 or SHA256, or the key itself. */
export function isRevoked(revoked: RevokedKeys, blob: Buffer): boolean {
  const sha1 = createHash('sha1').update(blob).digest();
  const sha256 = createHash('sha256').update(blob).digest();
  return revoked.sha1.some((d) => d.equals(sha1)) || revoked.sha256.some((d) => d.equals(sha256)) || revoked.blobs.some((b) => sameKey(b, blob));
}
