// Hosts: as the inventory names them, and as a scan found them.
import type { ByteOrder } from './capture.js';
import type { ParseIssue } from './issue.js';
import type { Socket } from './socket.js';

export type Connection = 'ssh' | 'local';

export interface HostSpec {
  /** the inventory name */
  name: string;
  /** what to connect to: ansible_host, else the name (ssh_config's HostName may still map it) */
  address: string;
  /** ansible_port; absent: ssh_config's Port, else 22 */
  port?: number;
  /** ansible_user; absent: ssh_config's User, else the local user */
  user?: string;
  /** ansible_ssh_private_key_file (tried before ssh_config's IdentityFile) */
  identityFile?: string;
  /** every group the host is in, with their parents, but not `all` (Ansible's group_names) */
  groups: string[];
  connection: Connection;
  /** ansible_become: run the collection with `sudo -n` */
  become: boolean;
  /** ssh arguments the inventory gives (ansible_ssh_args, ansible_ssh_common_args, ansible_ssh_extra_args …) */
  sshArguments?: SshArguments;
  /**
   * Why this host cannot be reached as the inventory writes it (`file:line:col: what`): a connection
   * fleetstat does not speak, a Jinja2 template, a bad port. The scan gives it status `config`
   * without contacting it.
   */
  notContactedBecause?: string;
  /** the inventory file and place that first names the host: where `check` anchors its findings (not part of the inventory digest) */
  definedAt?: { file: string; line: number; column: number };
}

/** One inventory variable's ssh arguments, split into words as Ansible's ssh plugin splits them (shlex). */
export interface SshArgumentList {
  /** where they were set, for messages: `hosts.yml:7:30: ansible_ssh_common_args` */
  source: string;
  words: string[];
}

/**
 * The ssh command-line arguments Ansible's ssh plugin would pass, around the ones it makes of
 * ansible_port, the private key file and ansible_user (`-o Port=… -o IdentityFile=… -o User=…`).
 * ssh takes the first value it is given, so the order decides.
 */
export interface SshArguments {
  /** before them, so they win over them: ansible_ssh_args, then ansible_host_key_checking */
  before: SshArgumentList[];
  /** after them: ansible_ssh_timeout, ansible_ssh_common_args, then ansible_ssh_extra_args */
  after: SshArgumentList[];
}

export type HostStatus =
  | 'ok' | 'partial' | 'unreachable' | 'timeout' | 'auth' | 'hostkey' | 'exec' | 'parse' | 'truncated'
  // not contacted: its inventory entry or ssh_config is in error, or asks for what fleetstat never
  // does (a ProxyCommand, a docker connection, a Jinja2 template)
  | 'config'
  // the scan was stopped (Ctrl-C, SIGTERM, --deadline) while this host ran, or before it started
  | 'interrupted';

/** The host key a connection accepted, and on what grounds. */
export interface HostKeySeen {
  /** e.g. ssh-ed25519 */
  type: string;
  /** SHA256:… as ssh-keygen -l prints it */
  fingerprint: string;
  /** known: in known_hosts; added: recorded by accept-new; unchecked: checking was turned off */
  check: 'known' | 'added' | 'unchecked';
}

export interface NetnsInfo {
  /** the label sockets carry: `default` for the collector's own namespace, the `ip netns` name, or `net:[INODE]` */
  label: string;
  /** null when the kernel has no network namespaces (no /proc/PID/ns/net): the host's only one */
  inode: number | null;
  /** the pid whose /proc/PID/net was read (null for the collector's own) */
  readerPid: number | null;
}

/** A process whose fd links could not be read (so the sockets it holds show no process). */
export interface UnreadableProcess {
  pid: number;
  /** comm, as the kernel keeps it; '' when not even that could be read */
  name: string;
  /** how many of its fd links could not be read; null when its fd directory could not be listed at all */
  count: number | null;
}

/** Processes that exist but that /proc does not show to the collection at all. */
export interface HiddenProcesses {
  /** hidepid: /proc is mounted with hidepid=2/invisible or 4/ptraceable; pid1: /proc/1 is not visible */
  reason: 'hidepid' | 'pid1';
  detail: string;
}

/** The SSH connection the collection ran over, as the host reported it ($SSH_CONNECTION). */
export interface CollectorSession {
  client: { address: string; port: number };
  server: { address: string; port: number };
}

export interface HostFacts {
  hostname: string;
  kernel: string;
  bootId: string;
  byteOrder: ByteOrder;
  ephemeralPorts: { low: number; high: number } | null;
  /** `partial` when some processes' fd links could not be read, or processes are hidden: their sockets have no processes */
  attribution: 'full' | 'partial';
  /** which processes could not be read (vanished ones are not: that is normal); absent means none */
  unreadableProcesses?: UnreadableProcess[];
  /** why some processes are not even listed; absent or null when none are hidden */
  hiddenProcesses?: HiddenProcesses | null;
  /** the SSH connection of the collection; absent or null when it did not run over SSH (or the host did not say) */
  session?: CollectorSession | null;
  /** uid the collection ran as */
  collectorUid: number | null;
  netns: NetnsInfo[];
}

export interface HostScan {
  name: string;
  address: string;
  port: number;
  groups: string[];
  status: HostStatus;
  error?: { kind: HostStatus; message: string };
  /** SSH hosts: the host key accepted (absent for local hosts and when none was) */
  hostKey?: HostKeySeen;
  facts?: HostFacts;
  sockets: Socket[];
  /** lines that could not be read, each with file, line and field */
  issues: ParseIssue[];
  /** when the host's scan started and ended: not in scan@1 (its writers copy only the contract's fields); the hosts view shows it */
  timing?: { startedAt: string; finishedAt: string };
  /** where the inventory names the host (HostSpec.definedAt): not in scan@1 either; check anchors findings there */
  definedAt?: { file: string; line: number; column: number };
}

export interface ScanResult {
  schema: 'fleetstat/scan@1';
  startedAt: string;
  finishedAt: string;
  hosts: HostScan[];
}
