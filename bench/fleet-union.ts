// N real OpenSSH hosts for the benches, past the test harness's 15 per fleet: several harness fleets
// (test/helpers/sshd-fleet.ts, one sshd each, each on its own port and with its own keys), started one
// after another and presented as one fleet. Host k of the union is `h001` … in every file written here:
// an Ansible inventory (for fleetstat), an ssh_config (for clush and pssh: `-F`), a pssh hosts file,
// one known_hosts with every fleet's host keys, and the JSON list the bare-connection client reads.
// Fleets reuse the same loopback addresses (127.0.77.x) on different ports: a host is (address, port).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVERY_HOST_BLOCK } from '../test/helpers/sshd-config.js';
import { MAX_HOSTS, startSshFleet, type SshFleet } from '../test/helpers/sshd-fleet.js';

export interface UnionHost {
  /** the name in every file of the union: h001 … */
  name: string;
  address: string;
  port: number;
  user: string;
  identityFile: string;
  /** the host's keys (its fleet's sshd's): `ssh-ed25519` and the base64 blob */
  hostKeys: Array<{ type: string; blob: string }>;
}

export interface FleetUnion {
  hosts: UnionHost[];
  inventory: string;
  sshConfig: string;
  knownHosts: string;
  /** `name` per line, resolved through sshConfig */
  psshHosts: string;
  /** UnionHost[] as JSON, for bench/floor-client.mjs */
  floorHosts: string;
  fleets: number;
  stop(): Promise<void>;
}

/** How `count` hosts split over fleets of at most `perFleet`: as few fleets as fit, sizes differing by one at most. */
export function fleetSizes(count: number, perFleet = MAX_HOSTS): number[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`host count must be a positive integer, not ${count}`);
  const fleets = Math.ceil(count / perFleet);
  return Array.from({ length: fleets }, (_, i) => Math.floor(count / fleets) + (i < count % fleets ? 1 : 0));
}

/** h001 … (zero-padded to the widest, so that names sort and fold as nodesets: h[001-100]) */
export function unionNames(count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `h${String(i + 1).padStart(width, '0')}`);
}

export function unionHosts(fleets: Array<Pick<SshFleet, 'hosts' | 'port' | 'keys' | 'hostKeys'>>): UnionHost[] {
  const total = fleets.reduce((sum, fleet) => sum + fleet.hosts.length, 0);
  const names = unionNames(total);
  return fleets.flatMap((fleet) =>
    fleet.hosts.map((host) => ({
      address: host.address,
      port: fleet.port,
      user: 'root',
      identityFile: fleet.keys.ed25519.path,
      hostKeys: fleet.hostKeys.map((key) => {
        const [type, blob] = key.publicKey.trim().split(/\s+/);
        return { type: type!, blob: blob! };
      }),
    })),
  ).map((host, i) => ({ name: names[i]!, ...host }));
}

/** One `[address]:port type blob` line per host and key (what OpenSSH writes for a port other than 22). */
export function unionKnownHosts(hosts: UnionHost[]): string {
  return hosts.flatMap((h) => h.hostKeys.map((key) => `[${h.address}]:${h.port} ${key.type} ${key.blob}`)).join('\n') + '\n';
}

export function unionSshConfig(hosts: UnionHost[], knownHosts: string): string {
  return [
    '# fleetstat bench fleet: `ssh -F this h001` (written by bench/fleet-union.ts)',
    ...hosts.flatMap((h) => [
      `Host ${h.name}`,
      `    HostName ${h.address}`,
      `    Port ${h.port}`,
      `    User ${h.user}`,
      `    IdentityFile ${h.identityFile}`,
      '    IdentitiesOnly yes',
      `    UserKnownHostsFile ${knownHosts}`,
      '    GlobalKnownHostsFile /dev/null',
      '    StrictHostKeyChecking yes',
      '',
    ]),
    // the harness's own (batch mode, no agent, its connect timeout)
    ...EVERY_HOST_BLOCK,
  ].join('\n');
}

export function unionInventory(hosts: UnionHost[]): string {
  return [
    `# fleetstat bench fleet: ${hosts.length} hosts (written by bench/fleet-union.ts)`,
    'all:',
    '  children:',
    '    fleet:',
    '      hosts:',
    ...hosts.flatMap((h) => [
      `        ${h.name}:`,
      `          ansible_host: ${h.address}`,
      `          ansible_port: ${h.port}`,
      `          ansible_user: ${h.user}`,
      `          ansible_ssh_private_key_file: ${h.identityFile}`,
    ]),
    '',
  ].join('\n');
}

/** Starts ceil(count / 15) harness fleets one after another (a 2-core machine starts them no faster together), writes the union's files into `dir`. */
export async function startFleetUnion(count: number, dir: string, options: { timeoutMs?: number } = {}): Promise<FleetUnion> {
  const fleets: SshFleet[] = [];
  const stop = async () => {
    const errors: string[] = [];
    for (const fleet of fleets.reverse()) await fleet.stop().catch((error: Error) => errors.push(error.message));
    if (errors.length > 0) throw new Error(errors.join('; '));
  };
  try {
    for (const size of fleetSizes(count)) fleets.push(await startSshFleet({ hosts: size, timeoutMs: options.timeoutMs ?? 60_000 }));
    const hosts = unionHosts(fleets);
    const paths = {
      inventory: join(dir, 'inventory.yml'), sshConfig: join(dir, 'ssh_config'), knownHosts: join(dir, 'known_hosts'),
      psshHosts: join(dir, 'pssh-hosts'), floorHosts: join(dir, 'floor-hosts.json'),
    };
    await Promise.all([
      writeFile(paths.inventory, unionInventory(hosts)),
      writeFile(paths.sshConfig, unionSshConfig(hosts, paths.knownHosts)),
      writeFile(paths.knownHosts, unionKnownHosts(hosts)),
      writeFile(paths.psshHosts, hosts.map((h) => h.name).join('\n') + '\n'),
      writeFile(paths.floorHosts, JSON.stringify(hosts)),
    ]);
    return { hosts, ...paths, fleets: fleets.length, stop };
  } catch (error) {
    await stop().catch(() => {}); // the start's own error is the one to see
    throw error;
  }
}
