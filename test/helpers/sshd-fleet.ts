// A fleet of real OpenSSH hosts on this one machine, for the end-to-end tests (run as root):
// - each host is its own network + pid (+ mount, uts) namespace, entered through a long-lived init
//   (`ip netns exec NS unshare --pid --fork --mount-proc … sleep infinity`), with its own hostname,
//   /etc/hosts and listeners (a socket zoo started inside it), so a collection there sees only that host;
// - ONE system sshd on loopback listens on 127.0.77.{i+1} per host (+ 127.0.77.100, the jump host), and
//   `Match LocalAddress` + ForceCommand puts each session inside its host (see sshd-config.ts for how an
//   unprivileged user gets there: sudo to a digest-pinned root wrapper, then setpriv back to its uid);
// - client material: keys (plain, encrypted, RSA, one not authorised), known_hosts (plain and hashed),
//   ssh_config, an ssh-agent, Ansible inventories.
// Everything lives in one temp dir and is undone by stop(); every process is started under
// `setpriv --pdeathsig KILL` so that a killed test run leaves no sshd or host behind, and the next run
// deletes what a crashed one left in /run/netns and /etc/sudoers.d. Only 127.0.0.0/8 is ever used.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRoot } from './requirements.js';
import { startZoo, type Zoo, type ZooSocket } from './socket-zoo.js';
import {
  askpassScript, enterArgs, enterScript, etcHostsFile, files, inventoryFile, jumpOnlyScript, knownHostsFile,
  sshConfigFile, sshdConfig, sudoersRule, wrapperScript, type FleetLayout,
} from './sshd-config.js';
import { childrenOf, findCommand, isAlive, mustRun, pidInsideNamespace, run, signal, waitFor, type RunOptions, type RunResult } from './sshd-run.js';

export const TEST_USER = 'fleetstat-e2e';
/** an sshd listens on at most 16 addresses: 15 hosts and the jump host */
export const MAX_HOSTS = 15;
const SUBNET = '127.0.77';
const JUMP_ADDRESS = `${SUBNET}.100`;
const SSHD = '/usr/sbin/sshd';
const DIR_PREFIX = 'fleetstat-fleet-';

export interface SshFleetOptions {
  /** how many target hosts (default 5, at most 15) */
  hosts?: number;
  /** the sockets host i (0-based) opens inside itself; default: see defaultSockets */
  sockets?: (index: number) => ZooSocket[];
  /** hosts (0-based) where the unprivileged user may `sudo -n sh -s` (fleetstat's become); default true: all */
  userBecome?: boolean | number[];
  /** deadline for the whole start (default 30 s) */
  timeoutMs?: number;
}

export interface FleetKey {
  path: string;
  /** the .pub line */
  publicKey: string;
  /** as sshd logs it: `SHA256:…` */
  fingerprint: string;
}

export interface FleetHost {
  index: number;
  /** the inventory / ssh_config name: host1 … hostN */
  name: string;
  /** what /proc/sys/kernel/hostname says inside it: fleetstat-TAG-host1 … (unique per fleet) */
  hostname: string;
  address: string;
  netns: string;
  /** pid (in this pid namespace) of the host's init: `nsenter --target initPid` enters the host */
  initPid: number;
  /** the sockets the host's listeners opened, in the order asked: their ports (see socket-zoo.ts) */
  sockets: ZooSocket[];
  ports: Array<Record<string, number>>;
  /** the listeners' process: its pid here, and inside the host (what a collection there reports) */
  zooPid: number;
  zooPidInside: number;
  /** `readlink /proc/self/ns/net` inside the host: `net:[INODE]` */
  netnsId: string;
}

export interface SshFleet {
  dir: string;
  port: number;
  hosts: FleetHost[];
  jump: { name: 'jump'; address: string };
  user: { name: string; uid: number; gid: number; home: string };
  keys: {
    /** authorised, no passphrase; also in the agent and in the inventories */
    ed25519: FleetKey;
    /** authorised, passphrase-protected; `askpass` prints the passphrase (for SSH_ASKPASS) */
    encrypted: FleetKey & { passphrase: string; askpass: string };
    /** authorised RSA (rsa-sha2-256/512) */
    rsa: FleetKey;
    /** NOT authorised anywhere: for auth failures */
    unauthorized: FleetKey;
  };
  /** the sshd's host keys (one sshd: every address shows the same keys) */
  hostKeys: FleetKey[];
  /** `[127.0.77.i]:PORT type key` for every host, the jump host and every host key */
  knownHosts: string;
  /** the same, hashed by `ssh-keygen -H` */
  knownHostsHashed: string;
  /** `ssh -F sshConfig host1`, `jump`, `host1-via-jump` (User root, the ed25519 key, StrictHostKeyChecking yes) */
  sshConfig: string;
  /** the fleet's ssh-agent (holds keys.ed25519) */
  agentSocket: string;
  /** Ansible inventory: group `fleet`, ansible_user root */
  inventory: string;
  /** the same hosts, ansible_user fleetstat-e2e */
  userInventory: string;
  sshdPid: number;
  sshdLog: string;
  /** the sudoers drop-in of this fleet (in /etc/sudoers.d while it runs) */
  sudoers: string;
  /** `ss -tuanpH` run inside host i (as root) */
  ssInside(index: number): Promise<string>;
  /** any command inside host i (as root), under a deadline */
  runInside(index: number, argv: string[], options?: RunOptions): Promise<RunResult>;
  /** sshd's log (LogLevel VERBOSE), one entry a line (sshd -E ends them with CR LF) */
  sshdLogLines(): Promise<string[]>;
  /** TCP connections sshd accepted on host i's address (or the jump host's), from its VERBOSE log */
  connectionsTo(target: number | 'jump'): Promise<number>;
  /** commands run inside host i (by anyone, or by one uid), counted by the wrapper */
  sessionsOn(index: number, uid?: number): Promise<number>;
  /** undoes everything; safe to call twice; throws (after doing all it can) if something would not go */
  stop(): Promise<void>;
}

/** What the fleet needs of this machine; empty when it can run (pass it to describeIf). */
export function sshFleetMissing(): string[] {
  const missing: string[] = [];
  if (!isRoot) missing.push('root (for namespaces, sshd and a test user)');
  if (!existsSync(SSHD)) missing.push(`${SSHD} (openssh-server)`);
  for (const [command, pkg] of [
    ['ssh-keygen', 'openssh-client'], ['ssh-agent', 'openssh-client'], ['ssh-add', 'openssh-client'],
    ['ip', 'iproute2'], ['ss', 'iproute2'],
    ['nsenter', 'util-linux'], ['unshare', 'util-linux'], ['setpriv', 'util-linux'], ['mount', 'mount'],
    ['sudo', 'sudo'], ['visudo', 'sudo'], ['useradd', 'passwd'], ['usermod', 'passwd'],
  ] as const) {
    if (!findCommand(command)) missing.push(`${command} (${pkg})`);
  }
  return missing;
}

/** The default listeners of host i: the same kinds everywhere, on ports the kernel picks (so hosts differ). */
export function defaultSockets(): ZooSocket[] {
  return [
    { kind: 'tcp-listen', host: '0.0.0.0' },
    { kind: 'tcp-listen', host: '127.0.0.1' },
    { kind: 'udp-unconnected', host: '0.0.0.0' },
    { kind: 'tcp-pair' },
  ];
}

/** What a crashed run may leave behind outside its temp dir, recorded so that a later run can remove it. */
interface FleetState {
  netns: string[];
  sudoers?: string;
}

type Undo = () => Promise<void> | void;

export async function startSshFleet(options: SshFleetOptions = {}): Promise<SshFleet> {
  const count = options.hosts ?? 5;
  if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) throw new Error(`hosts must be 1 to ${MAX_HOSTS}, not ${count}`);
  const missing = sshFleetMissing();
  if (missing.length > 0) throw new Error(`the ssh test fleet needs ${missing.join(', ')}`);
  const bin = {
    nsenter: findCommand('nsenter')!, setpriv: findCommand('setpriv')!, sudo: findCommand('sudo')!, sh: findCommand('sh') ?? '/bin/sh',
    ip: findCommand('ip')!, unshare: findCommand('unshare')!, sshKeygen: findCommand('ssh-keygen')!,
    sshAgent: findCommand('ssh-agent')!, sshAdd: findCommand('ssh-add')!, visudo: findCommand('visudo')!,
  };
  const startedAt = Date.now();
  const deadline = options.timeoutMs ?? 30_000;
  const left = () => Math.max(1000, deadline - (Date.now() - startedAt));

  await sweepStaleFleets();
  const dir = await mkdtemp(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  // 0711: the unprivileged user's shell must reach the ForceCommand script and sshd (as that user) the
  // authorized_keys; it cannot list the dir, and private keys stay 0600
  await chmod(dir, 0o711);
  const f = files(dir);
  if (f.agentSocket.length > 100) throw new Error(`temp dir path too long for a unix socket: ${dir}`);

  const undo: Undo[] = [];
  const state: FleetState = { netns: [] };
  const saveState = () => writeFile(f.state, JSON.stringify(state));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const errors: string[] = [];
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    await rm(dir, { recursive: true, force: true }).catch((error: Error) => errors.push(error.message));
    if (errors.length > 0) throw new Error(`ssh test fleet teardown: ${errors.join('; ')}`);
  };

  try {
    await saveState();
    const tag = randomBytes(3).toString('hex');
    const becomeOn = options.userBecome ?? true;
    const [user, keys, hostKeys, hosts] = await settled([
      ensureTestUser(),
      makeClientKeys(dir, bin.sshKeygen),
      Promise.all(
        (['ed25519', 'ecdsa', 'rsa'] as const).map((type) => keygen(bin.sshKeygen, `${dir}/ssh_host_${type}_key`, type, `fleetstat-fleet-host-${type}`)),
      ),
      startHosts(count, tag, dir, options.sockets ?? defaultSockets, bin, undo, state, saveState, left),
      mkdir('/run/sshd', { recursive: true, mode: 0o755 }), // sshd's privilege separation dir
    ] as const);
    await writeFile(keys.encrypted.askpass, askpassScript(keys.encrypted.passphrase), { mode: 0o700 });

    const layout: FleetLayout = {
      dir, port: 0, jumpAddress: JUMP_ADDRESS, user,
      hosts: hosts.map((h) => ({ name: h.name, hostname: h.hostname, address: h.address, initPid: h.initPid })),
      hostKeyPaths: hostKeys.map((k) => k.path),
      bin: { nsenter: bin.nsenter, setpriv: bin.setpriv, sudo: bin.sudo, sh: bin.sh },
      perSourcePenalties: true,
    };

    // scripts: root-owned, not writable by anyone else
    const wrapper = wrapperScript(layout);
    await Promise.all([
      writeFile(f.wrapper, wrapper, { mode: 0o755 }),
      writeFile(f.enter, enterScript(layout), { mode: 0o755 }),
      writeFile(f.jumpOnly, jumpOnlyScript(), { mode: 0o755 }),
      writeFile(f.sessionsLog, '', { mode: 0o644 }),
      writeFile(f.authorizedKeys, [keys.ed25519, keys.encrypted, keys.rsa].map((k) => k.publicKey).join('\n') + '\n', { mode: 0o644 }),
    ]);
    const becomeHostnames = hosts.filter((h) => becomeOn === true || (Array.isArray(becomeOn) && becomeOn.includes(h.index))).map((h) => h.hostname);
    const sha = createHash('sha256').update(wrapper).digest('hex');
    state.sudoers = await installSudoers(sudoersRule(layout, sha, becomeHostnames), f.sudoers, tag, bin.visudo);
    await saveState();
    undo.push(() => unlink(state.sudoers!).catch(() => {}));

    const sshd = await startSshd(layout, undo, left);
    const port = layout.port;
    const addresses = [...hosts.map((h) => h.address), JUMP_ADDRESS];

    const knownHosts = knownHostsFile(addresses, port, hostKeys.map((k) => k.publicKey));
    await writeFile(f.knownHosts, knownHosts, { mode: 0o644 });
    await writeFile(f.knownHostsHashed, knownHosts, { mode: 0o644 });
    await mustRun(bin.sshKeygen, ['-q', '-H', '-f', f.knownHostsHashed]);
    await rm(`${f.knownHostsHashed}.old`, { force: true });
    await Promise.all([
      writeFile(f.sshConfig, sshConfigFile(layout, keys.ed25519.path, f.knownHosts), { mode: 0o644 }),
      writeFile(f.inventory, inventoryFile(layout, 'root', keys.ed25519.path), { mode: 0o644 }),
      writeFile(f.userInventory, inventoryFile(layout, user.name, keys.ed25519.path), { mode: 0o644 }),
    ]);

    await startAgent(f.agentSocket, keys.ed25519.path, bin, undo, left);

    const hostAt = (index: number): FleetHost => {
      const host = hosts[index];
      if (!host) throw new Error(`no host ${index} in a fleet of ${hosts.length} (indices are 0-based)`);
      return host;
    };
    const sshdLogLines = async () => (await readFile(f.sshdLog, 'utf8')).split(/\r?\n/).filter((line) => line !== '');
    const runInside = (index: number, argv: string[], runOptions?: RunOptions) =>
      run(bin.nsenter, [...enterArgs(hostAt(index).initPid), '--', ...argv], runOptions);

    return {
      dir, port, hosts, user, keys, hostKeys,
      jump: { name: 'jump', address: JUMP_ADDRESS },
      knownHosts: f.knownHosts,
      knownHostsHashed: f.knownHostsHashed,
      sshConfig: f.sshConfig,
      agentSocket: f.agentSocket,
      inventory: f.inventory,
      userInventory: f.userInventory,
      sshdPid: sshd.pid!,
      sshdLog: f.sshdLog,
      sudoers: state.sudoers,
      runInside,
      ssInside: async (index) => {
        const result = await runInside(index, ['ss', '-tuanpH']);
        if (result.status !== 0) throw new Error(`ss inside host ${index}: ${result.stderr}`);
        return result.stdout;
      },
      sshdLogLines,
      connectionsTo: async (target) => {
        const address = target === 'jump' ? JUMP_ADDRESS : hostAt(target).address;
        // `Connection from 127.0.0.1 port 45678 on 127.0.77.1 port 2222 rdomain ""`: one per TCP connection
        const mark = ` on ${address} port ${port} `;
        return (await sshdLogLines()).filter((line) => line.startsWith('Connection from ') && line.includes(mark)).length;
      },
      sessionsOn: async (index, uid) => {
        hostAt(index);
        const log = await readFile(f.sessionsLog, 'utf8');
        const [hostField, uidField] = [`host=${index}`, uid === undefined ? undefined : `uid=${uid}`];
        return log.split('\n').filter((line) => {
          const [h, u] = line.split(' ');
          return h === hostField && (uidField === undefined || u === uidField);
        }).length;
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => {}); // the start's own error is the one to see
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// hosts

interface HostBins {
  ip: string;
  unshare: string;
  setpriv: string;
  nsenter: string;
  sh: string;
}

// Inside a fresh uts + mount namespace: own hostname, own /etc/hosts (sudo there resolves its name and
// asks no DNS), then sleep as the pid namespace's init. When it dies, the kernel kills the whole host.
const INIT_SCRIPT = 'echo "$1" > /proc/sys/kernel/hostname && mount --bind "$2" /etc/hosts && exec sleep infinity';

async function startHosts(
  count: number, tag: string, dir: string, socketsOf: (index: number) => ZooSocket[], bin: HostBins,
  undo: Undo[], state: FleetState, saveState: () => Promise<void>, left: () => number,
): Promise<FleetHost[]> {
  const names = Array.from({ length: count }, (_, i) => `fleetstat-${tag}-${i + 1}`);
  state.netns.push(...names);
  await saveState(); // before they exist: a crash from here on is cleaned up by the next run
  const hosts = await settled(names.map((netns, i) => startHost(i, netns, dir, socketsOf(i), bin, undo, left)));

  // ports are the kernel's choice per namespace: two hosts may, rarely, draw the same one. Tests rely on
  // "host i's listeners are not on host j", so such a host gets its listeners again.
  // (a port the test fixed is the test's to choose: hosts that listen alike on purpose)
  const drawn = (h: FleetHost) => h.ports.filter((_, k) => !(h.sockets[k]?.kind === 'tcp-listen' && h.sockets[k].port !== undefined)).map((p) => p.listen);
  for (let i = 1; i < hosts.length; i++) {
    const taken = new Set(hosts.slice(0, i).flatMap(drawn));
    for (let attempt = 0; drawn(hosts[i]!).some((port) => port !== undefined && taken.has(port)); attempt++) {
      if (attempt === 5) throw new Error(`host ${i}: could not get listener ports distinct from the other hosts`);
      await restartZoo(hosts[i]!, bin);
    }
  }
  return hosts;
}

const zoos = new WeakMap<FleetHost, Zoo>();

async function startHost(index: number, netns: string, dir: string, sockets: ZooSocket[], bin: HostBins, undo: Undo[], left: () => number): Promise<FleetHost> {
  const name = `host${index + 1}`;
  // unique per fleet (fleetstat-TAG-hostN): sudoers rules name hosts, and other fleets' rules are live too
  const hostname = netns.replace(/-(\d+)$/, '-host$1');
  const hostsFile = `${dir}/hosts-${name}`;
  await writeFile(hostsFile, etcHostsFile(hostname), { mode: 0o644 });

  await mustRun(bin.ip, ['netns', 'add', netns]);
  undo.push(() => mustRun(bin.ip, ['netns', 'del', netns]).then(() => {}));
  await mustRun(bin.ip, ['-n', netns, 'link', 'set', 'lo', 'up']);

  const unshare = spawn(
    bin.setpriv,
    ['--pdeathsig', 'KILL', bin.ip, 'netns', 'exec', netns,
      bin.unshare, '--uts', '--pid', '--fork', '--kill-child', '--mount', '--mount-proc',
      bin.sh, '-c', INIT_SCRIPT, 'init', hostname, hostsFile],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stderr = collect(unshare);
  undo.push(() => stopProcess(unshare, 'SIGKILL')); // (if the init never came up)
  const initPid = await waitFor(`the init of ${name}`, async () => {
    if (unshare.exitCode !== null || unshare.signalCode !== null) throw new Error(`${name}: its init exited: ${stderr()}`);
    return (await childrenOf(unshare.pid!)).find((c) => c.comm === 'sleep')?.pid;
  }, left());
  // killing the init (pid 1 inside) makes the kernel kill every process of the host; unshare, its
  // parent, then reaps it and exits (killing unshare first would leave the init to whoever adopts it)
  undo.push(async () => {
    signal(initPid, 'SIGKILL');
    await exitOf(unshare, 3000);
  });

  const netnsId = (await mustRun(bin.nsenter, [...enterArgs(initPid), '--', 'readlink', '/proc/self/ns/net'])).trim();
  const host: FleetHost = {
    index, name, hostname, address: `${SUBNET}.${index + 1}`, netns, initPid, sockets,
    ports: [], zooPid: 0, zooPidInside: 0, netnsId,
  };
  await startHostZoo(host, bin);
  undo.push(() => zoos.get(host)?.stop());
  return host;
}

async function startHostZoo(host: FleetHost, bin: HostBins): Promise<void> {
  // nsenter forks to enter the pid namespace: the zoo's `pid` is nsenter's, its child is the listener
  const zoo = await startZoo(host.sockets, { enter: [bin.nsenter, ...enterArgs(host.initPid), '--'] });
  zoos.set(host, zoo);
  const child = await waitFor(`the listeners of ${host.name}`, async () => (await childrenOf(zoo.pid))[0]?.pid, 15_000);
  host.ports = zoo.ports;
  host.zooPid = child;
  host.zooPidInside = await pidInsideNamespace(child);
}

async function restartZoo(host: FleetHost, bin: HostBins): Promise<void> {
  await zoos.get(host)?.stop();
  await startHostZoo(host, bin);
}

// ---------------------------------------------------------------------------------------------------------
// sshd

async function startSshd(layout: FleetLayout, undo: Undo[], left: () => number): Promise<ChildProcess> {
  const f = files(layout.dir);
  const addresses = [...layout.hosts.map((h) => h.address), layout.jumpAddress];
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    // a port the kernel says is free on the first address; another process may take it before sshd
    // binds (then this attempt fails and the next one picks another)
    layout.port = await freePort(addresses[0]!);
    await writeFile(f.sshdConfig, sshdConfig(layout), { mode: 0o644 });
    if (attempt === 0) {
      let check = await run(SSHD, ['-t', '-f', f.sshdConfig]);
      if (check.status !== 0 && check.stderr.includes('PerSourcePenalties')) {
        // OpenSSH before 9.8 does not know the option (and does not penalise either)
        layout.perSourcePenalties = false;
        await writeFile(f.sshdConfig, sshdConfig(layout), { mode: 0o644 });
        check = await run(SSHD, ['-t', '-f', f.sshdConfig]);
      }
      if (check.status !== 0) throw new Error(`sshd -t refuses the fleet's config: ${check.stderr.trim()}`);
    }
    await writeFile(f.sshdLog, '', { mode: 0o644 });
    const sshd = spawn(findCommand('setpriv')!, ['--pdeathsig', 'KILL', SSHD, '-D', '-E', f.sshdLog, '-f', f.sshdConfig], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr = collect(sshd);
    const outcome = await waitFor('sshd to listen', async () => {
      const log = await readFile(f.sshdLog, 'utf8');
      if (/Bind to port \d+ on \S+ failed|Cannot bind any address/.test(log)) return `bind failed: ${log.trim()}`;
      if (sshd.exitCode !== null || sshd.signalCode !== null) return `sshd exited: ${stderr()} ${log.trim()}`;
      return addresses.every((a) => log.includes(`Server listening on ${a} port ${layout.port}.`)) ? 'ok' : undefined;
    }, left());
    if (outcome === 'ok') {
      undo.push(() => stopSshd(sshd));
      return sshd;
    }
    lastError = outcome;
    await stopProcess(sshd, 'SIGKILL');
  }
  throw new Error(`sshd would not start: ${lastError}`);
}

/** Stops the listener and every connection process under it (they would outlive it). */
async function stopSshd(sshd: ChildProcess): Promise<void> {
  const descendants: number[] = [];
  const walk = async (pid: number) => {
    for (const child of await childrenOf(pid)) {
      descendants.push(child.pid);
      await walk(child.pid);
    }
  };
  if (sshd.pid !== undefined && sshd.exitCode === null) await walk(sshd.pid);
  // deepest first, so that each is reaped by its parent (an orphan's new parent may never reap it)
  for (const pid of descendants.reverse()) signal(pid, 'SIGKILL');
  await stopProcess(sshd, 'SIGTERM');
}

function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// client side

async function keygen(sshKeygen: string, path: string, type: 'ed25519' | 'ecdsa' | 'rsa', comment: string, passphrase = ''): Promise<FleetKey> {
  // 2048-bit RSA: a test needs an RSA key, not a strong one, and 3072 costs a second more per key
  await mustRun(sshKeygen, ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', passphrase, '-C', comment, '-f', path]);
  const publicKey = (await readFile(`${path}.pub`, 'utf8')).trim();
  return { path, publicKey, fingerprint: fingerprintOf(publicKey) };
}

/** OpenSSH's SHA256 fingerprint of a public key line: base64 of the blob's sha256, without padding. */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? '', 'base64');
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

async function makeClientKeys(dir: string, sshKeygen: string): Promise<SshFleet['keys']> {
  const passphrase = `fleetstat-${randomBytes(6).toString('hex')}`;
  const [ed25519, encrypted, rsa, unauthorized] = await Promise.all([
    keygen(sshKeygen, `${dir}/id_ed25519`, 'ed25519', 'fleetstat-fleet-user'),
    keygen(sshKeygen, `${dir}/id_ed25519_encrypted`, 'ed25519', 'fleetstat-fleet-encrypted', passphrase),
    keygen(sshKeygen, `${dir}/id_rsa`, 'rsa', 'fleetstat-fleet-rsa'),
    keygen(sshKeygen, `${dir}/id_ed25519_unauthorized`, 'ed25519', 'fleetstat-fleet-unauthorized'),
  ]);
  return { ed25519, encrypted: { ...encrypted, passphrase, askpass: files(dir).askpass }, rsa, unauthorized };
}

// ssh-agent is setgid on Debian, and exec of a setgid binary clears pdeathsig: so a shell holds our pipe
// as its stdin and stops the agent when the pipe closes (at stop(), or when this process dies)
const AGENT_WATCH = '"$0" -D -a "$1" >/dev/null & agent=$!; echo "$agent"; read _; kill "$agent"; wait "$agent"';

async function startAgent(socket: string, key: string, bin: { sh: string; sshAgent: string; sshAdd: string }, undo: Undo[], left: () => number): Promise<void> {
  const watch = spawn(bin.sh, ['-c', AGENT_WATCH, bin.sshAgent, socket], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr = collect(watch);
  let stdout = '';
  watch.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  undo.push(async () => {
    watch.stdin.end();
    if (await exitOf(watch, 3000)) return;
    const agentPid = Number(stdout.trim());
    if (agentPid > 0) signal(agentPid, 'SIGKILL');
    await stopProcess(watch, 'SIGKILL');
  });
  await waitFor('ssh-agent', () => {
    if (watch.exitCode !== null) throw new Error(`ssh-agent exited: ${stderr()}`);
    return existsSync(socket) ? true : undefined;
  }, left());
  await mustRun(bin.sshAdd, ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
}

// ---------------------------------------------------------------------------------------------------------
// the machine: test user, sudoers, leftovers

async function getent(database: 'passwd' | 'shadow', key: string): Promise<string[] | undefined> {
  const result = await run('getent', [database, key]);
  return result.status === 0 ? result.stdout.trim().split(':') : undefined;
}

/** The unprivileged login of the tests; created once and kept (parallel fleets share it). */
async function ensureTestUser(): Promise<SshFleet['user']> {
  let entry = await getent('passwd', TEST_USER);
  if (!entry) {
    // a parallel fleet may win the race: what counts is that the user exists afterwards
    await run(findCommand('useradd')!, ['--system', '--create-home', '--shell', '/bin/sh', '--comment', 'fleetstat end-to-end tests', TEST_USER]);
    entry = await getent('passwd', TEST_USER);
    if (!entry) throw new Error(`could not create the test user ${TEST_USER}`);
  }
  // without PAM, sshd refuses every login of a "locked" account (password field starting with `!`, as
  // useradd leaves it); `*` means the same for passwords (none works) but lets key logins in
  const shadow = await getent('shadow', TEST_USER);
  if (shadow?.[1]?.startsWith('!')) await mustRun(findCommand('usermod')!, ['-p', '*', TEST_USER]);
  const [, , uid, gid, , home] = entry;
  return { name: TEST_USER, uid: Number(uid), gid: Number(gid), home: home || '/' };
}

/** Checks the rule with visudo, then moves it into /etc/sudoers.d atomically (sudo skips names with a dot). */
async function installSudoers(text: string, draft: string, tag: string, visudo: string): Promise<string> {
  await writeFile(draft, text, { mode: 0o440 });
  await mustRun(visudo, ['-c', '-q', '-f', draft]);
  const target = `/etc/sudoers.d/fleetstat-e2e-${process.pid}-${tag}`;
  const temporary = `/etc/sudoers.d/.fleetstat-e2e-${process.pid}-${tag}`;
  await copyFile(draft, temporary);
  await chmod(temporary, 0o440);
  await rename(temporary, target);
  return target;
}

/** Deletes what fleets of dead test processes left behind (their processes died with them: pdeathsig). */
async function sweepStaleFleets(): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(tmpdir());
  } catch {
    return;
  }
  for (const entry of entries) {
    const owner = /^fleetstat-fleet-(\d+)-/.exec(entry)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    const dir = join(tmpdir(), entry);
    try {
      const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as FleetState;
      for (const netns of state.netns) if (/^fleetstat-[0-9a-f]+-\d+$/.test(netns)) await run('ip', ['netns', 'del', netns]);
      if (state.sudoers?.startsWith('/etc/sudoers.d/fleetstat-e2e-')) await rm(state.sudoers, { force: true });
    } catch {
      // no state: nothing outside the dir was made yet
    }
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// processes

/** Promise.all that waits for every promise before failing: a failed start must not undo while others still run. */
async function settled<T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => (text = (text + chunk.toString('utf8')).slice(-4000)));
  return () => text.trim();
}

/** Waits (at most `ms`) for a child to exit; true if it did. */
async function exitOf(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  return Promise.race([exited, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);
}

/** Signals a child and waits (at most 3 s, then SIGKILL, then 2 s more) for it to be gone. */
async function stopProcess(child: ChildProcess, sig: NodeJS.Signals): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(sig);
  const timer = (ms: number) => new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms).unref());
  if ((await Promise.race([exited, timer(3000)])) === 'late') {
    child.kill('SIGKILL');
    if ((await Promise.race([exited, timer(2000)])) === 'late') throw new Error(`pid ${child.pid} would not exit`);
  }
}
