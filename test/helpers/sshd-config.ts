// The text files of the sshd test fleet, as pure functions of its layout (no I/O here): sshd_config,
// the root wrapper that puts a session inside a host, its sudoers rule, known_hosts, ssh_config and
// the Ansible inventories. sshd-fleet.ts writes them and starts the processes.

/** What the files describe. Host indices are 0-based: host i is `host{i+1}` on 127.0.77.{i+1}. */
export interface FleetLayout {
  dir: string;
  port: number;
  hosts: Array<{ name: string; hostname: string; address: string; initPid: number }>;
  jumpAddress: string;
  user: { name: string; home: string };
  hostKeyPaths: string[];
  /** absolute paths of the binaries the scripts call */
  bin: { nsenter: string; setpriv: string; sudo: string; sh: string };
  /** `PerSourcePenalties no` (OpenSSH >= 9.8 would otherwise refuse 127.0.0.1 after the fault tests) */
  perSourcePenalties: boolean;
}

export const files = (dir: string) => ({
  sshdConfig: `${dir}/sshd_config`,
  sshdLog: `${dir}/sshd.log`,
  sshdPid: `${dir}/sshd.pid`,
  authorizedKeys: `${dir}/authorized_keys`,
  /** ForceCommand of every target host: goes straight in as root, through sudo otherwise */
  enter: `${dir}/enter-host`,
  /** the root-only part: nsenter into the host, then back to the caller's uid */
  wrapper: `${dir}/host-wrapper`,
  jumpOnly: `${dir}/jump-only`,
  sessionsLog: `${dir}/sessions.log`,
  sudoers: `${dir}/sudoers`,
  knownHosts: `${dir}/known_hosts`,
  knownHostsHashed: `${dir}/known_hosts.hashed`,
  sshConfig: `${dir}/ssh_config`,
  inventory: `${dir}/inventory.yml`,
  userInventory: `${dir}/inventory-user.yml`,
  agentSocket: `${dir}/agent.sock`,
  askpass: `${dir}/askpass`,
  state: `${dir}/state.json`,
});

/** nsenter's flags for "inside host whose init is PID": its network, pids (with its /proc), mounts and hostname. */
export function enterArgs(initPid: number): string[] {
  return ['--target', String(initPid), '--net', '--pid', '--mount', '--uts'];
}

export function sshdConfig(l: FleetLayout): string {
  const f = files(l.dir);
  const targets = l.hosts.map((h) => `${h.address}:${l.port}`).join(' ');
  return [
    '# fleetstat test fleet: one sshd, one ListenAddress per test host (at most 16 in all), written by test/helpers/sshd-config.ts',
    ...l.hosts.map((h) => `ListenAddress ${h.address}:${l.port}`),
    `ListenAddress ${l.jumpAddress}:${l.port}`,
    ...l.hostKeyPaths.map((p) => `HostKey ${p}`),
    `PidFile ${f.sshdPid}`,
    'LogLevel VERBOSE',
    // no PAM: the test needs no password stack; keys only
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    `AuthorizedKeysFile ${f.authorizedKeys}`,
    'AuthorizedPrincipalsFile none',
    // the file lives under /tmp (mode 1777), which StrictModes' path check refuses; it is root's, mode 0644
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    `AllowUsers root ${l.user.name}`,
    'PermitUserEnvironment no',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    // a fleet scan opens many connections at once: OpenSSH's default 10:30:100 would drop some at random
    'MaxStartups 200:30:400',
    'MaxSessions 32',
    'LoginGraceTime 20',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'AllowStreamLocalForwarding no',
    'X11Forwarding no',
    'PermitTunnel no',
    ...(l.perSourcePenalties ? ['PerSourcePenalties no'] : []),
    '',
    ...l.hosts.flatMap((h, i) => [`Match LocalAddress ${h.address}`, `    ForceCommand ${f.enter} ${i}`]),
    // the bastion forwards to the fleet's own addresses only, and runs nothing
    `Match LocalAddress ${l.jumpAddress}`,
    '    AllowTcpForwarding local',
    `    PermitOpen ${targets}`,
    `    ForceCommand ${f.jumpOnly}`,
    '',
  ].join('\n');
}

/** ForceCommand of target host i (run by the user's shell, as the user). */
export function enterScript(l: FleetLayout): string {
  const f = files(l.dir);
  return `#!/bin/sh
# fleetstat test fleet: ForceCommand of target host $1. Root goes straight in; any other user through
# sudo -n, whose one rule for it is the (digest-pinned) root wrapper. The command the client sent
# (e.g. \`sh -s\`, the script on stdin) travels as an argument: sudo resets the environment.
if [ "$(id -u)" = 0 ]; then
  exec ${f.wrapper} "$1" "\${SSH_ORIGINAL_COMMAND-}"
fi
exec ${l.bin.sudo} -n ${f.wrapper} "$1" "\${SSH_ORIGINAL_COMMAND-}"
`;
}

/** Runs as root: enters host $1's namespaces, drops to the sudo caller's uid (if any), runs the command. */
export function wrapperScript(l: FleetLayout): string {
  const f = files(l.dir);
  const cases = l.hosts.map((h, i) => `  ${i}) pid=${h.initPid} ;;`).join('\n');
  const enter = `${l.bin.nsenter} ${enterArgs(0).slice(2).join(' ')} --target "$pid"`;
  return `#!/bin/sh
# fleetstat test fleet: runs an ssh session's command inside test host $1 (its network, pid, mount and
# uts namespaces, entered through the host's init process), as root when root called, else as the user
# sudo ran us for (setpriv drops every privilege before the command starts). Stdin passes through.
set -eu
case "\${1-}" in
${cases}
  *) echo "fleetstat test fleet: no host '\${1-}'" >&2; exit 126 ;;
esac
command=\${2-}
uid=\${SUDO_UID:-0}
echo "host=$1 uid=$uid" >> ${f.sessionsLog}
if [ "$uid" = 0 ]; then
  home=/root
  set --
else
  home=${shellQuote(l.user.home)}
  set -- ${l.bin.setpriv} --reuid="$uid" --regid="\${SUDO_GID:?}" --init-groups --reset-env --
fi
[ -d "$home" ] || home=/
if [ -z "$command" ]; then
  exec ${enter} --wd="$home" -- "$@" ${l.bin.sh}
fi
exec ${enter} --wd="$home" -- "$@" ${l.bin.sh} -c "$command"
`;
}

export function jumpOnlyScript(): string {
  return `#!/bin/sh
# fleetstat test fleet: the jump host forwards (ssh -J, ProxyJump) and runs nothing.
echo "fleetstat test fleet: this is a jump host; it only forwards to the fleet" >&2
exit 1
`;
}

/**
 * The unprivileged user may run the root wrapper (pinned by its sha256: a stale rule left by a crashed
 * run cannot be reused with another file), and `sh -s` as root (fleetstat's become) on the listed hosts:
 * sudo matches the host field against the hostname, which inside a test host is its own.
 */
export function sudoersRule(l: FleetLayout, wrapperSha256: string, becomeHostnames: string[]): string {
  const lines = [
    `# fleetstat test fleet ${l.dir} (written by test/helpers/sshd-fleet.ts, removed by fleet.stop())`,
    `${l.user.name} ALL=(root) NOPASSWD: sha256:${wrapperSha256} ${files(l.dir).wrapper}`,
  ];
  if (becomeHostnames.length > 0) {
    lines.push(`${l.user.name} ${becomeHostnames.join(',')}=(root) NOPASSWD: /usr/bin/sh -s, /bin/sh -s`);
  }
  return lines.join('\n') + '\n';
}

/** One line per address and host key, in OpenSSH's `[address]:port` form (the port is not 22). */
export function knownHostsFile(addresses: string[], port: number, hostPublicKeys: string[]): string {
  const lines: string[] = [];
  for (const address of addresses) {
    for (const key of hostPublicKeys) {
      const [type, blob] = key.trim().split(/\s+/);
      lines.push(`[${address}]:${port} ${type} ${blob}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function sshConfigFile(l: FleetLayout, identityFile: string, knownHosts: string): string {
  const common = [
    `    Port ${l.port}`,
    '    User root',
    `    IdentityFile ${identityFile}`,
    '    IdentitiesOnly yes',
    `    UserKnownHostsFile ${knownHosts}`,
    '    GlobalKnownHostsFile /dev/null',
    '    StrictHostKeyChecking yes',
  ];
  const block = (name: string, address: string, extra: string[] = []) => [`Host ${name}`, `    HostName ${address}`, ...common, ...extra, ''];
  return [
    '# fleetstat test fleet: `ssh -F this host1` (written by test/helpers/sshd-config.ts)',
    ...l.hosts.flatMap((h) => block(h.name, h.address)),
    ...block('jump', l.jumpAddress),
    // the same targets, reached through the bastion
    ...l.hosts.flatMap((h) => block(`${h.name}-via-jump`, h.address, ['    ProxyJump jump'])),
    ...EVERY_HOST_BLOCK,
  ].join('\n');
}

/** The last block of a fleet's ssh_config (the benches' too), for OpenSSH's client only: never ask, never wait long, never use an agent unless told. */
export const EVERY_HOST_BLOCK = [
  'Host *',
  '    BatchMode yes',
  // long enough for a handshake through the jump host on a loaded 2-core machine; timeout tests set their own
  '    ConnectTimeout 30',
  '    IdentityAgent none',
  '    LogLevel ERROR',
  '',
] as const;

export function inventoryFile(l: FleetLayout, user: string, identityFile: string): string {
  return [
    `# fleetstat test fleet: ${l.hosts.length} hosts (network + pid namespaces) behind one sshd, as ${user}`,
    'all:',
    '  children:',
    '    fleet:',
    '      hosts:',
    ...l.hosts.flatMap((h) => [
      `        ${h.name}:`,
      `          ansible_host: ${h.address}`,
      `          ansible_port: ${l.port}`,
      `          ansible_user: ${user}`,
      `          ansible_ssh_private_key_file: ${identityFile}`,
    ]),
    '',
  ].join('\n');
}

/** The host's own /etc/hosts (bind-mounted inside it), so that sudo there resolves its hostname. */
export function etcHostsFile(hostname: string): string {
  return `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;
}

/** SSH_ASKPASS program that answers the encrypted key's passphrase. */
export function askpassScript(passphrase: string): string {
  return `#!/bin/sh\nprintf '%s\\n' ${shellQuote(passphrase)}\n`;
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
