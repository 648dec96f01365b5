// known_hosts (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT") read and checked as OpenSSH's client does
// (hostfile.c hostkeys_foreach / check_hostkeys_by_key_or_type, sshconnect.c check_host_key).
// Pure: entries in, a verdict out; file.ts reads and appends.
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
import { createHmac } from 'node:crypto';
import { asciiLower, matchPattern } from '../match.js';
import { fingerprintSha256, sameKey } from './keys.js';
import { HASH_MAGIC } from './parse.js';
import type { EntryRef, HostKeyCheck, HostKeyTarget, KnownHostEntry } from './types.js';

/** misc.c put_host_port(): `host` for port 22, `[host]:port` otherwise; names lowercased as ssh does. */
export function knownHostsName(target: HostKeyTarget): string {
  const host = asciiLower(target.host); // ssh_login() lowercases the host, addresses too
  return target.port === undefined || target.port === 22 || target.port === 0 ? host : `[${host}]:${target.port}`;
}

export function hashName(name: string, salt: Buffer): string {
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

/** The lines that apply to a name (entriesForName over some entries, perhaps remembered). */
export type NameLookup = (name: string) => KnownHostEntry[];

const lookupIn = (entries: readonly KnownHostEntry[]): NameLookup => (name) => entriesForName(entries, name);

const ref = (e: KnownHostEntry): EntryRef => ({ file: e.file, line: e.line });

function caWarnings(matching: KnownHostEntry[]): string[] {
  return matching
    .filter((e) => e.marker === 'cert-authority')
    .map((e) => `${e.file}:${e.line}: @cert-authority is not supported (fleetstat takes no host certificates): the line is ignored`);
}

function checkName(lookup: NameLookup, name: string, key: Buffer): HostKeyCheck {
  const matching = lookup(name);
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
  return checkHostKeyBy(lookupIn(entries), target, key);
}

/** checkHostKey with the lines of each name found by `lookup` (a connection asks for the same names twice). */
export function checkHostKeyBy(lookup: NameLookup, target: HostKeyTarget, key: { type?: string; blob: Buffer }): HostKeyCheck {
  const name = knownHostsName(target);
  const result = checkName(lookup, name, key.blob);
  const nonStandardPort = target.port !== undefined && target.port !== 22 && target.port !== 0;
  if (result.status !== 'unknown' || !nonStandardPort) return result;
  const bare = checkName(lookup, knownHostsName({ host: target.host }), key.blob);
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
  return knownKeyTypesBy(lookupIn(entries), target);
}

export function knownKeyTypesBy(lookup: NameLookup, target: HostKeyTarget): string[] {
  const typesFor = (name: string): string[] => [...new Set(lookup(name).filter((e) => e.marker === null).map((e) => e.keyType))];
  const types = typesFor(knownHostsName(target));
  if (types.length > 0 || target.port === undefined || target.port === 22 || target.port === 0) return types;
  return typesFor(knownHostsName({ host: target.host }));
}

