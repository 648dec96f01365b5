// SSH public key blobs (RFC 4253 6.6, RFC 5656, RFC 8709, PROTOCOL.u2f): their type, their parts,
// equality as OpenSSH's sshkey_equal() sees it, fingerprints, RSA sizes. Pure.
import { createHash } from 'node:crypto';

/** The curve and coordinate size each ECDSA key type carries. */
const ECDSA_CURVES: Record<string, { curve: string; coord: number }> = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', coord: 32 },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', coord: 48 },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', coord: 66 },
};
/** The public key types OpenSSH reads in known_hosts. */
export const KEY_TYPES: readonly string[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
  'ssh-dss',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

/** The SSH strings of a blob; null if it is not exactly a sequence of them. */
function sshStrings(blob: Buffer): Buffer[] | null {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < blob.length) {
    if (pos + 4 > blob.length) return null;
    const len = blob.readUInt32BE(pos);
    pos += 4;
    if (pos + len > blob.length) return null;
    out.push(blob.subarray(pos, pos + len));
    pos += len;
  }
  return out;
}

/** The key type: the blob's first SSH string; null when the blob does not start with one. */
export function keyTypeOf(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const len = blob.readUInt32BE(0);
  if (len === 0 || 4 + len > blob.length) return null;
  const type = blob.subarray(4, 4 + len).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : null;
}

/** mpint value without sign padding, for comparing keys as OpenSSH compares BIGNUMs. */
function mpintValue(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** The parts that identify a key (mpints normalised), or a reason it is not a well-formed key. */
export function keyParts(blob: Buffer): { type: string; parts: Buffer[] } | { error: string } {
  const strings = sshStrings(blob);
  if (!strings || strings.length === 0) return { error: 'not a sequence of SSH strings' };
  const type = strings[0]!.toString('latin1');
  const body = strings.slice(1);
  const count = (n: number): string | null => (body.length === n ? null : `${type} key has ${body.length} fields, not ${n}`);
  switch (type) {
    case 'ssh-ed25519':
    case 'sk-ssh-ed25519@openssh.com': {
      const err = count(type === 'ssh-ed25519' ? 1 : 2);
      if (err) return { error: err };
      if (body[0]!.length !== 32) return { error: `ed25519 public key is ${body[0]!.length} bytes, not 32` };
      return { type, parts: body };
    }
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
    case 'sk-ecdsa-sha2-nistp256@openssh.com': {
      const err = count(type.startsWith('sk-') ? 3 : 2);
      if (err) return { error: err };
      const want = ECDSA_CURVES[type.startsWith('sk-') ? 'ecdsa-sha2-nistp256' : type]!;
      if (body[0]!.toString('latin1') !== want.curve) return { error: `curve ${body[0]!.toString('latin1')} in a ${type} key` };
      const q = body[1]!;
      if (q.length !== 1 + 2 * want.coord || q[0] !== 4) return { error: 'ECDSA point is not an uncompressed point of the curve' };
      return { type, parts: body };
    }
    case 'ssh-rsa': {
      const err = count(2);
      if (err) return { error: err };
      const [e, n] = body as [Buffer, Buffer];
      if (e.length === 0 || n.length === 0 || (e[0]! & 0x80) !== 0 || (n[0]! & 0x80) !== 0) return { error: 'RSA key has a negative or empty number' };
      return { type, parts: body.map(mpintValue) };
    }
    case 'ssh-dss': {
      const err = count(4);
      if (err) return { error: err };
      return { type, parts: body.map(mpintValue) };
    }
    default:
      return { error: `unknown key type ${type}` };
  }
}

/** The same key, as OpenSSH's sshkey_equal() sees it (same type, same numbers). */
export function sameKey(a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  const pa = keyParts(a);
  const pb = keyParts(b);
  if ('error' in pa || 'error' in pb || pa.type !== pb.type || pa.parts.length !== pb.parts.length) return false;
  return pa.parts.every((p, i) => p.equals(pb.parts[i]!));
}

/** `SHA256:` and the unpadded base64 of the blob's SHA-256, exactly as `ssh-keygen -lf` prints it. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The key type a negotiated host key algorithm uses: ssh2 negotiates `rsa-sha2-256`/`-512` for
 * keys whose blob says `ssh-rsa`. null: not a host key algorithm we know.
 */
export function keyTypeOfAlgorithm(algorithm: string): string | null {
  if (algorithm === 'rsa-sha2-256' || algorithm === 'rsa-sha2-512') return 'ssh-rsa';
  return KEY_TYPES.includes(algorithm) ? algorithm : null;
}

/** The modulus size of an ssh-rsa key in bits (0 for any other blob), as RequiredRSASize counts it. */
export function rsaBits(blob: Buffer): number {
  const parts = keyParts(blob);
  if ('error' in parts || parts.type !== 'ssh-rsa') return 0;
  const n = parts.parts[1]!;
  return n.length === 0 ? 0 : (n.length - 1) * 8 + (32 - Math.clz32(n[0]!));
}
