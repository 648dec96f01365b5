// OpenSSH key revocation lists (PROTOCOL.krl), read as krl.c ssh_krl_from_blob() reads them, for
// plain keys: explicit keys and SHA1/SHA256 fingerprints revoke; certificate sections are checked
// for form (ssh refuses a malformed one) but never match, since fleetstat takes no certificates.
// A signed KRL is refused: fleetstat does not verify its signatures, so it cannot read it as ssh does. Pure.
import { keyParts } from './keys.js';

export const KRL_MAGIC = Buffer.from('SSHKRL\n\0', 'latin1');
const FORMAT_VERSION = 1;
const SECTION = { certificates: 1, explicitKey: 2, sha1: 3, signature: 4, sha256: 5 } as const;
const CERT_SUBSECTION = { serialList: 0x20, serialRange: 0x21, serialBitmap: 0x22, keyId: 0x23 } as const;

/** What a revocation list revokes: key blobs, and digests of key blobs. */
export interface RevokedKeys {
  blobs: Buffer[];
  sha1: Buffer[];
  sha256: Buffer[];
}

class KrlError extends Error {}

/** A bounded reader of SSH wire types: every read checks the length first. */
class Cursor {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  get left(): number {
    return this.buf.length - this.pos;
  }
  private take(n: number, what: string): Buffer {
    if (n > this.left) throw new KrlError(`truncated ${what}`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u8(what: string): number {
    return this.take(1, what)[0]!;
  }
  u32(what: string): number {
    return this.take(4, what).readUInt32BE(0);
  }
  u64(what: string): bigint {
    return this.take(8, what).readBigUInt64BE(0);
  }
  string(what: string): Buffer {
    return this.take(this.u32(what), what);
  }
}

function certificateSection(data: Buffer): void {
  const c = new Cursor(data);
  const ca = c.string('certificate section CA key');
  c.string('certificate section reserved field');
  if (ca.length > 0 && 'error' in keyParts(ca)) throw new KrlError('certificate section with a CA key that is not a key');
  while (c.left > 0) {
    const type = c.u8('certificate subsection type');
    const sub = new Cursor(c.string('certificate subsection'));
    switch (type) {
      case CERT_SUBSECTION.serialList:
        while (sub.left > 0) if (sub.u64('serial') === 0n) throw new KrlError('serial number 0 revoked');
        break;
      case CERT_SUBSECTION.serialRange: {
        const lo = sub.u64('serial range');
        const hi = sub.u64('serial range');
        if (lo > hi || lo === 0n) throw new KrlError('bad serial range');
        break;
      }
      case CERT_SUBSECTION.serialBitmap: {
        const lo = sub.u64('serial bitmap offset');
        const bits = sub.string('serial bitmap');
        if (bits.length > 0 && (bits[0]! & 0x80) !== 0) throw new KrlError('negative serial bitmap');
        if (lo === 0n && bits.length > 0 && (bits[bits.length - 1]! & 1) !== 0) throw new KrlError('serial number 0 revoked');
        break;
      }
      case CERT_SUBSECTION.keyId:
        while (sub.left > 0) sub.string('key id');
        break;
      default:
        throw new KrlError(`unsupported certificate section ${type}`);
    }
    if (sub.left > 0) throw new KrlError('certificate section contains unparsed data');
  }
}

function blobSection(data: Buffer, expectedLength: number, into: Buffer[]): void {
  const c = new Cursor(data);
  while (c.left > 0) {
    const blob = c.string('revoked key');
    if (expectedLength !== 0 && blob.length !== expectedLength) throw new KrlError('bad fingerprint length');
    into.push(Buffer.from(blob));
  }
}

/** A KRL's revoked plain keys, or why it cannot be read as ssh would read it. */
export function parseKrl(bytes: Buffer): RevokedKeys | { error: string } {
  const revoked: RevokedKeys = { blobs: [], sha1: [], sha256: [] };
  try {
    if (!bytes.subarray(0, KRL_MAGIC.length).equals(KRL_MAGIC)) throw new KrlError('not a KRL');
    const c = new Cursor(bytes.subarray(KRL_MAGIC.length));
    if (c.u32('format version') !== FORMAT_VERSION) throw new KrlError('unsupported KRL format version');
    c.u64('KRL version');
    c.u64('generation date');
    c.u64('flags');
    c.string('reserved field');
    c.string('comment');
    while (c.left > 0) {
      const type = c.u8('section type');
      const data = c.string('section');
      switch (type) {
        case SECTION.certificates:
          certificateSection(data);
          break;
        case SECTION.explicitKey:
          blobSection(data, 0, revoked.blobs);
          break;
        case SECTION.sha1:
          blobSection(data, 20, revoked.sha1);
          break;
        case SECTION.sha256:
          blobSection(data, 32, revoked.sha256);
          break;
        case SECTION.signature:
          throw new KrlError('the KRL is signed, and fleetstat does not verify KRL signatures');
        default:
          throw new KrlError(`unsupported KRL section ${type}`);
      }
    }
  } catch (e) {
    if (e instanceof KrlError) return { error: e.message };
    throw e;
  }
  return revoked;
}
