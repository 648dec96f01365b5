// known_hosts (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT") read and checked as OpenSSH's client does
// (hostfile.c hostkeys_foreach / check_hostkeys_by_key_or_type, sshconnect.c check_host_key).
// Pure: text in, data out; known-hosts-file.ts reads and appends.
//
// OpenSSH's verdict for a presented plain key, which checkHostKey follows:
// - only lines whose host field matches the looked-up name count: `host` for port 22, else
//   `[host]:port`; a HostKeyAlias is looked up alone (pass it as the host, without a port);
// - `@revoked` with the same key: refused, even when the key is also listed as good;
// - a plain line with the same key: accepted;
// - otherwise any plain line for the host, OF ANY KEY TYPE: "changed". hostfile.c says so ("3. If
//   no key matches but a key with a different type is found, then return HOST_CHANGED") and
//   OpenSSH 9.2 prints "REMOTE HOST IDENTIFICATION HAS CHANGED" when only an RSA key is known and
//   the server shows an Ed25519 one (test/known-hosts/openssh-verdict.test.ts checks it against the
//   real ssh). OpenSSH avoids that case by preferring the known key types when it negotiates
//   (sshconnect2.c order_hostkeyalgs): see knownKeyTypes;
// - no line at all: unknown. Then, for a port other than 22 and no alias, OpenSSH looks the bare
//   host up again and accepts a key found there ("found matching key w/out port"); we do the same,
//   and refuse one revoked there (OpenSSH, being in read-only mode then, would not say so);
// - `@cert-authority` lines never match (fleetstat takes no host certificates): a warning.
// CheckHostIP (off by default since OpenSSH 8.5) is not done.
import { createHash, createHmac, randomBytes } from 'node:crypto';
// OpenSSH's match.c, shared with the ssh_config reader
import { asciiLower, matchPattern } from '../inventory/ssh-config.js';

export type KnownHostsIssueKind =
  | 'bad-marker' // an @word that is neither @revoked nor @cert-authority, or two markers
  | 'missing-field' // the line ends before the key type or the key
  | 'bad-hash' // a |1|salt|hash host field that does not decode (salt and hash are 20 bytes)
  | 'unknown-key-type' // a key type OpenSSH does not know (or certificates, which we do not read)
  | 'bad-base64' // the key is not base64
  | 'key-type-mismatch' // the key's own type is not the type the line names
  | 'bad-key' // the key's bytes are not a well-formed key of its type
  | 'unreadable'; // the file exists but cannot be read

export interface KnownHostsIssue {
  kind: KnownHostsIssueKind;
  file: string;
  /** 1-based; 0 when the file as a whole is at fault */
  line: number;
  field: 'marker' | 'hostnames' | 'keytype' | 'key' | 'file';
  message: string;
}

export interface KnownHostEntry {
  file: string;
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** the host field as written: a comma list of patterns, or one `|1|salt|hash` */
  hostnames: string;
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  /** the key blob (what the base64 decodes to) */
  key: Buffer;
  comment: string;
}

export interface HostKeyTarget {
  host: string;
  /** absent or 22: the bare host */
  port?: number;
}

export interface EntryRef {
  file: string;
  line: number;
}

export type HostKeyCheck =
  | { status: 'match'; at: EntryRef; warnings: string[] }
  | { status: 'unknown'; warnings: string[] }
  /** expected: SHA256 fingerprints of the keys known for the host, all types */
  | { status: 'changed'; expected: string[]; offending: EntryRef[]; warnings: string[] }
  | { status: 'revoked'; at: EntryRef; warnings: string[] };

const HASH_MAGIC = '|1|';
const SHA1_LEN = 20;

/** The public key types OpenSSH reads in known_hosts, and the curve each ECDSA type carries. */
const ECDSA_CURVES: Record<string, { curve: string; coord: number }> = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', coord: 32 },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', coord: 48 },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', coord: 66 },
};
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

// ---------------------------------------------------------------------------------------------
// Key blobs (RFC 4253 6.6, RFC 5656, RFC 8709, PROTOCOL.u2f)

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
function keyParts(blob: Buffer): { type: string; parts: Buffer[] } | { error: string } {
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

/**
 * Host key algorithms for the given key types, in that order, as OpenSSH 9.2 would offer them by
 * default: RSA keys through rsa-sha2-512 and rsa-sha2-256 only (no SHA-1 `ssh-rsa`), and no DSA.
 */
export function hostKeyAlgorithmsFor(keyTypes: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of keyTypes) {
    const algs = t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256'] : t === 'ssh-dss' ? [] : [t];
    for (const a of algs) if (!out.includes(a)) out.push(a);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** b64_pton() as OpenSSH uses it: the alphabet, padded to whole quanta. */
function decodeBase64Strict(s: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  return Buffer.from(s, 'base64');
}

/** One known_hosts file into entries; every line that is not a usable entry is an issue. */
export function parseKnownHosts(text: string, file: string): { entries: KnownHostEntry[]; issues: KnownHostsIssue[] } {
  const entries: KnownHostEntry[] = [];
  const issues: KnownHostsIssue[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    const bad = (kind: KnownHostsIssueKind, field: KnownHostsIssue['field'], message: string): void => {
      issues.push({ kind, file, line, field, message });
    };
    let rest = raw.replace(/\r$/, '').replace(/^[ \t]+/, '');
    if (rest === '' || rest.startsWith('#')) return;

    // hostfile.c check_markers(): at most one, ended by a blank
    let marker: KnownHostEntry['marker'] = null;
    if (rest.startsWith('@')) {
      const m = /^(@\S*)[ \t]+/.exec(rest);
      const word = m?.[1];
      if (word === '@revoked') marker = 'revoked';
      else if (word === '@cert-authority') marker = 'cert-authority';
      else {
        bad('bad-marker', 'marker', `unknown marker ${JSON.stringify(word ?? rest.split(/[ \t]/)[0])}: only @revoked and @cert-authority exist`);
        return;
      }
      rest = rest.slice(m![0].length);
      if (rest.startsWith('@')) {
        bad('bad-marker', 'marker', 'only one marker is allowed');
        return;
      }
    }

    const fields = rest.split(/[ \t]+/);
    const hostnames = fields[0] ?? '';
    const keyType = fields[1];
    const base64 = fields[2];
    if (keyType === undefined || keyType === '' || keyType.startsWith('#')) {
      bad('missing-field', 'keytype', 'the line ends before the key type');
      return;
    }
    let hashed: KnownHostEntry['hashed'] = null;
    if (hostnames.startsWith('|')) {
      const m = /^\|1\|([^|]+)\|(.+)$/.exec(hostnames);
      const salt = m ? decodeBase64Strict(m[1]!) : null;
      const hash = m ? decodeBase64Strict(m[2]!) : null;
      if (!salt || !hash || salt.length !== SHA1_LEN || hash.length !== SHA1_LEN) {
        bad('bad-hash', 'hostnames', `bad hashed host name ${JSON.stringify(hostnames.slice(0, 40))}: want |1|salt|hash with 20-byte salt and hash`);
        return;
      }
      hashed = { salt, hash };
    }
    if (!KEY_TYPES.includes(keyType)) {
      bad('unknown-key-type', 'keytype', `unknown key type ${JSON.stringify(keyType)}`);
      return;
    }
    if (base64 === undefined || base64 === '') {
      bad('missing-field', 'key', 'the line ends before the key');
      return;
    }
    const key = decodeBase64Strict(base64);
    if (!key || key.length === 0) {
      bad('bad-base64', 'key', 'the key is not base64');
      return;
    }
    const parts = keyParts(key);
    if ('error' in parts) {
      const blobType = keyTypeOf(key);
      if (blobType !== null && blobType !== keyType) bad('key-type-mismatch', 'key', `the line says ${keyType} but the key is ${blobType}`);
      else bad('bad-key', 'key', `not a well-formed ${keyType} key: ${parts.error}`);
      return;
    }
    if (parts.type !== keyType) {
      bad('key-type-mismatch', 'key', `the line says ${keyType} but the key is ${parts.type}`);
      return;
    }
    const comment = fields.slice(3).join(' ');
    entries.push({ file, line, marker, hostnames, hashed, keyType, key, comment });
  });
  return { entries, issues };
}

// ---------------------------------------------------------------------------------------------
// Lookup

/** misc.c put_host_port(): `host` for port 22, `[host]:port` otherwise; names lowercased as ssh does. */
export function knownHostsName(target: HostKeyTarget): string {
  const host = asciiLower(target.host); // ssh_login() lowercases the host, addresses too
  return target.port === undefined || target.port === 22 || target.port === 0 ? host : `[${host}]:${target.port}`;
}

function hashName(name: string, salt: Buffer): string {
  return `${HASH_MAGIC}${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}


/** hostfile.c match_maybe_hashed(): the hash of the name, or match_hostname() on the pattern list. */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed) return hashName(name, entry.hashed.salt) === entry.hostnames;
  const host = asciiLower(name);
  let positive = false;
  for (const raw of entry.hostnames.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = asciiLower(negated ? raw.slice(1) : raw);
    if (matchPattern(host, pattern)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

/** The lines that apply to a name, markers included: what `ssh-keygen -F name` prints. */
export function entriesForName(entries: readonly KnownHostEntry[], name: string): KnownHostEntry[] {
  return entries.filter((e) => entryMatches(e, name));
}

const ref = (e: KnownHostEntry): EntryRef => ({ file: e.file, line: e.line });

function caWarnings(matching: KnownHostEntry[]): string[] {
  return matching
    .filter((e) => e.marker === 'cert-authority')
    .map((e) => `${e.file}:${e.line}: @cert-authority is not supported (fleetstat takes no host certificates): the line is ignored`);
}

function checkName(entries: readonly KnownHostEntry[], name: string, key: Buffer): HostKeyCheck {
  const matching = entriesForName(entries, name);
  const warnings = caWarnings(matching);
  const revoked = matching.find((e) => e.marker === 'revoked' && sameKey(e.key, key));
  if (revoked) return { status: 'revoked', at: ref(revoked), warnings };
  const plain = matching.filter((e) => e.marker === null);
  const good = plain.find((e) => sameKey(e.key, key));
  if (good) return { status: 'match', at: ref(good), warnings };
  if (plain.length > 0) {
    return { status: 'changed', expected: [...new Set(plain.map((e) => fingerprintSha256(e.key)))], offending: plain.map(ref), warnings };
  }
  return { status: 'unknown', warnings };
}

/** OpenSSH's verdict on the key a host presented (see the top of this file). */
export function checkHostKey(entries: readonly KnownHostEntry[], target: HostKeyTarget, key: { type?: string; blob: Buffer }): HostKeyCheck {
  const name = knownHostsName(target);
  const result = checkName(entries, name, key.blob);
  const nonStandardPort = target.port !== undefined && target.port !== 22 && target.port !== 0;
  if (result.status !== 'unknown' || !nonStandardPort) return result;
  const bare = checkName(entries, knownHostsName({ host: target.host }), key.blob);
  const warnings = [...result.warnings, ...bare.warnings];
  if (bare.status === 'match' || bare.status === 'revoked') return { ...bare, warnings };
  return { status: 'unknown', warnings };
}

/**
 * The key types known for the host (plain lines only, in file order), so that the connection can
 * prefer or restrict itself to them (sshconnect2.c order_hostkeyalgs). For a port other than 22
 * with no `[host]:port` line, the bare host's, as checkHostKey would then use them.
 */
export function knownKeyTypes(entries: readonly KnownHostEntry[], target: HostKeyTarget): string[] {
  const typesFor = (name: string): string[] => [
    ...new Set(entriesForName(entries, name).filter((e) => e.marker === null).map((e) => e.keyType)),
  ];
  const types = typesFor(knownHostsName(target));
  if (types.length > 0 || target.port === undefined || target.port === 22 || target.port === 0) return types;
  return typesFor(knownHostsName({ host: target.host }));
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * A known_hosts line for the host and key, as OpenSSH's write_host_entry() writes it (name
 * lowercased, optionally hashed). Throws on a host name or key that would not make exactly one
 * well-formed line: both may come from elsewhere (inventory, the server) and must never inject
 * text into known_hosts.
 */
export function knownHostsLine(target: HostKeyTarget, key: Buffer | { type?: string; blob: Buffer }, options: { hash: boolean; salt?: Buffer }): string {
  const blob = Buffer.isBuffer(key) ? key : key.blob;
  if (target.host === '' || /[\s,#*?!|@[\]\\'"`$;&<>(){}\x00-\x1f\x7f]/.test(target.host)) {
    throw new TypeError(`host ${JSON.stringify(target.host)} cannot be written to known_hosts`);
  }
  if (target.port !== undefined && !(Number.isInteger(target.port) && target.port >= 0 && target.port <= 65535)) {
    throw new TypeError(`port ${target.port} is not a TCP port`);
  }
  const parts = keyParts(blob);
  if ('error' in parts) throw new TypeError(`not a well-formed public key: ${parts.error}`);
  if (!Buffer.isBuffer(key) && key.type !== undefined && keyTypeOfAlgorithm(key.type) !== parts.type) {
    throw new TypeError(`key type ${key.type} does not match the key (${parts.type})`);
  }
  const name = knownHostsName(target);
  let field = name;
  if (options.hash) {
    const salt = options.salt ?? randomBytes(SHA1_LEN);
    if (salt.length !== SHA1_LEN) throw new TypeError('a known_hosts salt is 20 bytes');
    field = hashName(name, salt);
  }
  return `${field} ${parts.type} ${blob.toString('base64')}`;
}
