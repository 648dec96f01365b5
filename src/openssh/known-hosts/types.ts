// known_hosts entries, issues and verdicts (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). Types only.

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

