// known_hosts as OpenSSH's client reads, checks and writes it: parse, keys and check are pure; file.ts does the I/O.
export * from './types.js';
export { KEY_TYPES, keyTypeOf, sameKey, fingerprintSha256, keyTypeOfAlgorithm, rsaBits, keyParts } from './keys.js';
export { parseRevokedHostKeys, isRevoked, type RevokedKeys } from './revoked.js';
export { parseKnownHosts } from './parse.js';
export { knownHostsName, entryMatches, entriesForName, checkHostKey, checkHostKeyBy, knownKeyTypes, knownKeyTypesBy, type NameLookup } from './check.js';
export { knownHostsLine } from './write.js';
export { readKnownHosts, readKnownHostsFile, appendKnownHost } from './file.js';
