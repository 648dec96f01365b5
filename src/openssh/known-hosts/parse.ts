// known_hosts text into entries; every line that is not a usable entry is an issue. Pure.
import { KEY_TYPES, keyParts, keyTypeOf } from './keys.js';
import type { KnownHostEntry, KnownHostsIssue, KnownHostsIssueKind } from './types.js';

export const HASH_MAGIC = '|1|';
export const SHA1_LEN = 20;

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

