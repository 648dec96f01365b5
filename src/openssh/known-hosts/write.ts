// A known_hosts line as OpenSSH's write_host_entry() writes it. Pure.
import { randomBytes } from 'node:crypto';
import { hashName, knownHostsName } from './check.js';
import { keyParts, keyTypeOfAlgorithm } from './keys.js';
import { SHA1_LEN } from './parse.js';
import type { HostKeyTarget } from './types.js';

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

