// Algorithm lists as OpenSSH 9.2 reads them (Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms …):
// the names it knows, its client defaults (myproposal.h), the check readconf.c makes of a value and
// the list kex_assemble_names() builds from it (`+` append, `-` remove, `^` put first, patterns). Pure.
import { matchPatternList } from './match.js';

export type AlgorithmKind = 'cipher' | 'mac' | 'kex' | 'key';

/**
 * Every name OpenSSH 9.2 knows, in the order it lists them (`ssh -Q cipher|mac|kex|HostKeyAlgorithms`
 * of Debian 12's 9.2p1, which also has the un-suffixed sntrup761x25519-sha512 of later releases).
 */
export const KNOWN_ALGORITHMS: Readonly<Record<AlgorithmKind, readonly string[]>> = {
  cipher: [
    '3des-cbc', 'aes128-cbc', 'aes192-cbc', 'aes256-cbc', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr',
    'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com',
  ],
  mac: [
    'hmac-sha1', 'hmac-sha1-96', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-md5', 'hmac-md5-96',
    'umac-64@openssh.com', 'umac-128@openssh.com', 'hmac-sha1-etm@openssh.com', 'hmac-sha1-96-etm@openssh.com',
    'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-md5-etm@openssh.com',
    'hmac-md5-96-etm@openssh.com', 'umac-64-etm@openssh.com', 'umac-128-etm@openssh.com',
  ],
  kex: [
    'diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group14-sha256',
    'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512', 'diffie-hellman-group-exchange-sha1',
    'diffie-hellman-group-exchange-sha256', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521',
    'curve25519-sha256', 'curve25519-sha256@libssh.org', 'sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com',
  ],
  key: [
    'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com',
    'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp384-cert-v01@openssh.com', 'ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521-cert-v01@openssh.com',
    'sk-ecdsa-sha2-nistp256@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
    'webauthn-sk-ecdsa-sha2-nistp256@openssh.com', 'ssh-dss', 'ssh-dss-cert-v01@openssh.com', 'ssh-rsa',
    'ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-256', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512',
    'rsa-sha2-512-cert-v01@openssh.com',
  ],
};

/** myproposal.h: the client's defaults (KEX_CLIENT_*, KEX_DEFAULT_PK_ALG). */
export const DEFAULT_ALGORITHMS: Readonly<Record<AlgorithmKind, readonly string[]>> = {
  cipher: ['chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com'],
  mac: [
    'umac-64-etm@openssh.com', 'umac-128-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com',
    'hmac-sha1-etm@openssh.com', 'umac-64@openssh.com', 'umac-128@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1',
  ],
  kex: [
    'sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group16-sha512',
    'diffie-hellman-group18-sha512', 'diffie-hellman-group14-sha256',
  ],
  key: [
    'ssh-ed25519-cert-v01@openssh.com', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384-cert-v01@openssh.com',
    'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
    'rsa-sha2-512-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'ssh-ed25519', 'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com',
    'rsa-sha2-512', 'rsa-sha2-256',
  ],
};

/** The names of a list up to its first empty one (strsep() loops in cipher.c, mac.c, kex.c, sshkey.c stop there). */
function names(list: string): string[] {
  const out: string[] = [];
  for (const n of list.split(',')) {
    if (n === '') break;
    out.push(n);
  }
  return out;
}

/**
 * readconf.c's check of an algorithm value (ciphers_valid, mac_valid, kex_names_valid,
 * sshkey_names_valid2): a `-` list is never checked; otherwise every name must be known, except that
 * key algorithm lists take patterns matching some key type. null: valid.
 */
export function algorithmListError(kind: AlgorithmKind, value: string): string | null {
  if (value.startsWith('-')) return null;
  const list = value.startsWith('+') || value.startsWith('^') ? value.slice(1) : value;
  if (list === '') return `empty ${kind} list`;
  const known = KNOWN_ALGORITHMS[kind];
  for (const name of names(list)) {
    if (known.includes(name)) continue;
    if (kind === 'key' && known.some((k) => matchPatternList(k, name, false) !== 0)) continue;
    return `unknown ${kind === 'key' ? 'key type' : kind} "${name}"`;
  }
  return null;
}

/** kex.c kex_names_cat(): a then b's names not already in a. */
function concatNames(a: readonly string[], b: readonly string[]): string[] {
  const out = [...a];
  for (const n of b) if (!out.includes(n)) out.push(n);
  return out;
}

/**
 * kex.c kex_assemble_names(): the list a value asks for, from the defaults and every known name.
 * undefined value: the defaults. Throws when the result is empty or uses a `!` pattern (ssh: fatal).
 */
export function assembleAlgorithms(kind: AlgorithmKind, value: string | undefined): string[] {
  const defaults = DEFAULT_ALGORITHMS[kind];
  const all = KNOWN_ALGORITHMS[kind];
  if (value === undefined || value === '') return [...defaults];
  if (value.startsWith('-')) {
    const left = defaults.filter((n) => matchPatternList(n, value.slice(1), false) !== 1);
    if (left.length === 0) throw new Error(`"${value}" leaves no ${kind} algorithm`);
    return left;
  }
  const list = value.startsWith('+')
    ? concatNames(defaults, value.slice(1).split(','))
    : value.startsWith('^')
      ? concatNames(value.slice(1).split(','), defaults)
      : value.split(',');
  let out: string[] = [];
  for (const pattern of list) {
    if (pattern.startsWith('!')) throw new Error(`"${value}": negated patterns are not allowed here`);
    out = concatNames(out, all.filter((n) => matchPatternList(n, pattern, false) === 1));
  }
  if (out.length === 0) throw new Error(`"${value}" names no ${kind} algorithm`);
  return out;
}

/** The plain key type a host key algorithm uses (sshkey_type_plain): certificates and RSA signature names folded. */
export function plainKeyType(algorithm: string): string {
  const plain = algorithm.replace(/-cert-v01@openssh\.com$/, '');
  if (plain === 'rsa-sha2-256' || plain === 'rsa-sha2-512') return 'ssh-rsa';
  if (plain === 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com') return 'sk-ecdsa-sha2-nistp256@openssh.com';
  if (plain.startsWith('sk-ssh-ed25519') || plain.startsWith('sk-ecdsa-sha2-nistp256')) return `${plain.replace(/@openssh\.com$/, '')}@openssh.com`;
  return plain;
}

/**
 * sshconnect2.c order_hostkeyalgs(): when the first algorithm's key type is known for the host,
 * the list as it is; otherwise the algorithms of known key types first (certificate ones too when
 * a @cert-authority line applies), keeping the list's order within each part.
 */
export function orderHostKeyAlgorithms(list: readonly string[], knownTypes: readonly string[], caKnown: boolean): string[] {
  const first = list[0];
  if (first === undefined || knownTypes.includes(plainKeyType(first))) return [...list];
  const preferred = (a: string) => (caKnown && a.endsWith('-cert-v01@openssh.com')) || knownTypes.includes(plainKeyType(a));
  return [...list.filter(preferred), ...list.filter((a) => !preferred(a))];
}
