// A simulated fleet of N SSH hosts on loopback, served by a few child processes of
// bench/sim-fleet-server.mjs (ssh2's Server): host i has its own 127.86.x.y address and a port the
// kernel picked, one host key for all, and answers with the recorded capture it was given.
// Writes what a scan needs: the inventory, known_hosts (IP literal + port per host), a client key.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import ssh2 from 'ssh2';

const SERVER_SCRIPT = new URL('./sim-fleet-server.mjs', import.meta.url).pathname;
const HOSTS_PER_OCTET = 250;

export interface SimHost {
  name: string;
  address: string;
  port: number;
  /** the capture it serves */
  capture: string;
}

export interface SimFleetOptions {
  /** the capture each host serves, by host index: a name of `captures` */
  captureOf: (index: number) => string;
  hosts: number;
  /** capture name → file (scripts/capture-fixture.sh's layout: `marker <M>`, then stdout) */
  captures: Record<string, string>;
  /** server processes (each serves an equal share of the hosts) */
  processes: number;
  dir: string;
}

export interface SimFleet {
  hosts: SimHost[];
  inventory: string;
  knownHosts: string;
  /** user + system CPU seconds the server processes have used so far (from /proc/PID/stat) */
  serverCpuSeconds(): number;
  stop(): Promise<void>;
}

/** Host i's address: 127.86.0.1 … 127.86.0.250, 127.86.1.1 …, so no address ends in .0 or .255. */
export function simAddress(index: number): string {
  return `127.86.${Math.floor(index / HOSTS_PER_OCTET)}.${(index % HOSTS_PER_OCTET) + 1}`;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of a live process, in seconds (fields 14 and 15 of /proc/PID/stat, counted after comm's `)`). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export const simName = (index: number) => `sim-${String(index + 1).padStart(4, '0')}`;

async function startServer(configFile: string, dir: string): Promise<{ child: ChildProcess; ports: number[] }> {
  const child = spawn(process.execPath, [SERVER_SCRIPT, configFile], { stdio: ['pipe', 'pipe', 'pipe'], cwd: dir });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulated fleet server exited (status ${code}): ${stderr}`)));
    child.once('error', reject);
  });
  return { child, ports: (JSON.parse(first) as { ports: number[] }).ports };
}

function inventoryText(hosts: SimHost[], keyFile: string): string {
  const lines = ['# a simulated fleet (written by bench/sim-fleet.ts)', 'all:', '  children:'];
  for (const capture of [...new Set(hosts.map((h) => h.capture))]) {
    lines.push(`    ${capture}:`, '      hosts:');
    for (const h of hosts.filter((x) => x.capture === capture)) {
      lines.push(`        ${h.name}:`, `          ansible_host: ${h.address}`, `          ansible_port: ${h.port}`, '          ansible_user: bench', `          ansible_ssh_private_key_file: ${keyFile}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function startSimFleet(options: SimFleetOptions): Promise<SimFleet> {
  const { dir } = options;
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
  const clientKey = ssh2.utils.generateKeyPairSync('ed25519');
  const hostKeyFile = join(dir, 'host_ed25519');
  const clientKeyFile = join(dir, 'client_ed25519');
  writeFileSync(hostKeyFile, hostKey.private, { mode: 0o600 });
  writeFileSync(clientKeyFile, clientKey.private, { mode: 0o600 });

  const planned = Array.from({ length: options.hosts }, (_, i) => ({ name: simName(i), address: simAddress(i), capture: options.captureOf(i) }));
  const processes = Math.max(1, Math.min(options.processes, planned.length));
  const shares = Array.from({ length: processes }, (_, p) => planned.filter((_, i) => i % processes === p));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin!.end();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    })));
  };
  try {
    const started = await Promise.all(shares.map((share, p) => {
      const configFile = join(dir, `server-${p}.json`);
      writeFileSync(configFile, JSON.stringify({ hostKeyFile, captures: options.captures, listeners: share.map(({ address, capture }) => ({ address, capture })) }));
      return startServer(configFile, dir).then((s) => {
        children.push(s.child);
        return s;
      });
    }));
    const portOf = new Map<string, number>();
    shares.forEach((share, p) => share.forEach((h, k) => portOf.set(h.address, started[p]!.ports[k]!)));
    const hosts = planned.map((h) => ({ ...h, port: portOf.get(h.address)! }));

    const inventory = join(dir, 'inventory.yml');
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(inventory, inventoryText(hosts, clientKeyFile));
    // one key for every host; OpenSSH writes a host on a port other than 22 as [address]:port
    writeFileSync(knownHosts, hosts.map((h) => `[${h.address}]:${h.port} ${hostKey.public}\n`).join(''));
    const serverCpuSeconds = () => children.reduce((sum, child) => sum + cpuSecondsOf(child.pid!), 0);
    return { hosts, inventory, knownHosts, serverCpuSeconds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
