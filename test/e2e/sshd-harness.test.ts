// Proves the sshd test fleet (test/helpers/sshd-fleet.ts) with OpenSSH's own client, the way fleetstat
// will use it: `sh -s` with the script on stdin. Each host must look like a machine of its own (its
// hostname, network namespace, processes and listeners, nobody else's), for root and for an
// unprivileged user, directly and through the jump host; keys, agent and known_hosts must work.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { isAlive, run, type RunResult } from '../helpers/sshd-run.js';
import { sshFleetMissing, startSshFleet, type FleetHost, type SshFleet } from '../helpers/sshd-fleet.js';
import { refusedPort, startTarpit } from '../helpers/tarpit.js';

const missing = [...sshFleetMissing(), ...(hasCommand('ssh') ? [] : ['ssh (openssh-client)'])];

/** What a collection needs to know about where it runs, in one `sh -s` script. */
const WHERE_AM_I = `
echo "hostname=$(cat /proc/sys/kernel/hostname)"
echo "netns=$(readlink /proc/self/ns/net)"
echo "uid=$(id -u)"
echo "caps=$(grep CapEff /proc/self/status | cut -f2)"
for p in /proc/[0-9]*; do echo "process=\${p#/proc/} $(cat $p/comm 2>/dev/null)"; done
ss -tuanpH | sed 's/^/ss=/'
`;

interface Where {
  hostname: string;
  netns: string;
  uid: number;
  caps: string;
  processes: Map<number, string>;
  ss: string[];
}

function parseWhere(stdout: string): Where {
  const lines = stdout.split('\n');
  const value = (key: string) => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1) ?? '';
  const processes = new Map<number, string>();
  for (const l of lines.filter((l) => l.startsWith('process='))) {
    const [pid, ...comm] = l.slice('process='.length).split(' ');
    processes.set(Number(pid), comm.join(' '));
  }
  return {
    hostname: value('hostname'),
    netns: value('netns'),
    uid: Number(value('uid')),
    caps: value('caps'),
    processes,
    ss: lines.filter((l) => l.startsWith('ss=')).map((l) => l.slice(3)),
  };
}

/** The host's own listening ports: TCP ones (state LISTEN) and unconnected UDP ones (UNCONN). */
function listenPorts(host: FleetHost): Array<{ proto: 'tcp' | 'udp'; port: number }> {
  return host.sockets.flatMap((socket, k) => {
    const port = host.ports[k]?.listen;
    if (port === undefined) return [];
    return [{ proto: socket.kind.startsWith('udp') ? ('udp' as const) : ('tcp' as const), port }];
  });
}
const listens = (ss: string[], { proto, port }: { proto: 'tcp' | 'udp'; port: number }) =>
  ss.some((l) => l.startsWith(`${proto} ${proto === 'tcp' ? 'LISTEN' : 'UNCONN'} `) && l.includes(`:${port} `));

describeIf(missing, 'sshd test fleet, proved with OpenSSH\'s ssh', () => {
  let fleet: SshFleet;
  const LAST = 4; // the one host where the unprivileged user may not become root

  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 5, userBecome: [0, 1, 2, 3] });
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
  }, 30_000);

  /** `ssh -F <fleet config> ARGS 'sh -s'`, the script on stdin, as fleetstat runs its collection. */
  const ssh = (args: string[], script: string, env?: NodeJS.ProcessEnv): Promise<RunResult> =>
    run('ssh', ['-F', fleet.sshConfig, ...args, 'sh -s'], { input: script, timeoutMs: 20_000, ...(env ? { env } : {}) });

  /** ssh without the fleet's config: only the options given (to test one key, the agent, a known_hosts). */
  const bareSsh = (options: string[], user: string, address: string, script: string, env?: NodeJS.ProcessEnv) =>
    run('ssh', ['-F', '/dev/null', '-o', 'ConnectTimeout=5', '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes',
      ...options, '-p', String(fleet.port), `${user}@${address}`, 'sh -s'], { input: script, timeoutMs: 20_000, ...(env ? { env } : {}) });

  test('every host is a machine of its own: hostname, network namespace, processes, listeners', async () => {
    const results = await Promise.all(fleet.hosts.map((h) => ssh([h.name], WHERE_AM_I)));
    const namespaces = new Set<string>();
    for (const [i, host] of fleet.hosts.entries()) {
      const result = results[i]!;
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      const where = parseWhere(result.stdout);
      expect(where.hostname).toBe(host.hostname);
      expect(where.netns).toBe(host.netnsId);
      expect(where.uid).toBe(0);
      namespaces.add(where.netns);

      // its own pid namespace and /proc: the init, the listeners (by their pid inside), the session; no sshd
      expect(where.processes.get(1)).toBe('sleep');
      expect(where.processes.get(host.zooPidInside)).toBe('node');
      expect([...where.processes.values()]).not.toContain('sshd');
      expect(where.processes.size).toBeLessThan(12);

      // its listeners, owned by its listener process as seen inside; no other host's
      for (const port of listenPorts(host)) expect(listens(where.ss, port)).toBe(true);
      expect(where.ss.some((l) => l.includes(`pid=${host.zooPidInside},`))).toBe(true);
      for (const other of fleet.hosts.filter((o) => o !== host)) {
        for (const port of listenPorts(other)) expect(listens(where.ss, port)).toBe(false);
      }
      // and what ssh shows is what the fleet's own ssInside shows (listeners are stable)
      const inside = (await fleet.ssInside(i)).split('\n').filter((l) => /\bLISTEN\b/.test(l)).sort();
      expect(where.ss.filter((l) => /\bLISTEN\b/.test(l)).sort()).toEqual(inside);
    }
    expect(namespaces.size).toBe(fleet.hosts.length);
  });

  test('stdin reaches the command and its exit status comes back', async () => {
    const result = await ssh(['host2'], 'echo "$((6 * 7))"\nexit 7\n');
    expect(result.stdout).toBe('42\n');
    expect(result.status).toBe(7);
  });

  test('each ssh connection is counted on the address it reached, and each command on its host', async () => {
    const before = await Promise.all([fleet.connectionsTo(0), fleet.connectionsTo(1), fleet.sessionsOn(1), fleet.connectionsTo('jump')]);
    expect((await ssh(['host2'], 'true')).status).toBe(0);
    expect((await ssh(['host2'], 'true')).status).toBe(0);
    const after = await Promise.all([fleet.connectionsTo(0), fleet.connectionsTo(1), fleet.sessionsOn(1), fleet.connectionsTo('jump')]);
    expect(after).toEqual([before[0], before[1]! + 2, before[2]! + 2, before[3]]);
  });

  test('the unprivileged user lands inside the host too, without privileges', async () => {
    const host = fleet.hosts[2]!;
    const before = await fleet.sessionsOn(2, fleet.user.uid);
    const result = await ssh(['-l', fleet.user.name, host.name], `${WHERE_AM_I}\nls /proc/${host.zooPidInside}/fd >/dev/null 2>&1 && echo fd=readable || echo fd=unreadable\n`);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const where = parseWhere(result.stdout);
    expect(where.uid).toBe(fleet.user.uid);
    expect(where.caps).toBe('0000000000000000');
    expect(where.hostname).toBe(host.hostname);
    expect(where.netns).toBe(host.netnsId);
    expect(where.processes.get(host.zooPidInside)).toBe('node');
    // another user's fd links: what makes a non-root scan's attribution partial
    expect(result.stdout).toContain('fd=unreadable');
    expect(await fleet.sessionsOn(2, fleet.user.uid)).toBe(before + 1);
  });

  test('the unprivileged user may `sudo -n sh -s` inside the hosts it is allowed to, and stays inside', async () => {
    const allowed = await run('ssh', ['-F', fleet.sshConfig, '-l', fleet.user.name, 'host1', 'sudo -n sh -s'], {
      input: 'id -u; readlink /proc/self/ns/net; cat /proc/sys/kernel/hostname\n', timeoutMs: 20_000,
    });
    // no "unable to resolve host" either: the host has its own /etc/hosts
    expect({ status: allowed.status, stderr: allowed.stderr }).toEqual({ status: 0, stderr: '' });
    expect(allowed.stdout).toBe(`0\n${fleet.hosts[0]!.netnsId}\n${fleet.hosts[0]!.hostname}\n`);

    const denied = await run('ssh', ['-F', fleet.sshConfig, '-l', fleet.user.name, fleet.hosts[LAST]!.name, 'sudo -n sh -s'], {
      input: 'id -u\n', timeoutMs: 20_000,
    });
    expect(denied.status).toBe(1);
    expect(denied.stdout).toBe('');
    expect(denied.stderr).toMatch(/sudo: a password is required/);
  });

  test('through the jump host: reaches the target, counted on both', async () => {
    const host = fleet.hosts[3]!;
    const before = [await fleet.connectionsTo('jump'), await fleet.connectionsTo(3)];
    const result = await ssh([`${host.name}-via-jump`], WHERE_AM_I);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(parseWhere(result.stdout).netns).toBe(host.netnsId);
    expect([await fleet.connectionsTo('jump'), await fleet.connectionsTo(3)]).toEqual([before[0]! + 1, before[1]! + 1]);
  });

  test('the jump host runs nothing and forwards only to the fleet', async () => {
    const command = await ssh(['jump'], 'id\n');
    expect(command.status).toBe(1);
    expect(command.stdout).toBe('');
    expect(command.stderr).toMatch(/only forwards/);

    const tarpit = await startTarpit('127.0.0.1');
    try {
      const forward = await run('ssh', ['-F', fleet.sshConfig, '-W', `127.0.0.1:${tarpit.port}`, 'jump'], { timeoutMs: 20_000 });
      expect(forward.status).toBe(255);
      expect(forward.stderr).toMatch(/stdio forwarding failed/);
      expect(tarpit.connections()).toBe(0);
      expect(await fleet.sshdLogLines()).toContainEqual(expect.stringMatching(new RegExp(`to connect to host 127\\.0\\.0\\.1 port ${tarpit.port}, but the request was denied`)));
    } finally {
      await tarpit.stop();
    }
  });

  test('known_hosts: the hashed copy verifies strictly; an empty one fails verification', async () => {
    const hashed = await readFile(fleet.knownHostsHashed, 'utf8');
    expect(hashed.trim().split('\n').every((l) => l.startsWith('|1|'))).toBe(true);
    expect(hashed).not.toContain('127.0.77.');

    const withHashed = await ssh(['-o', `UserKnownHostsFile=${fleet.knownHostsHashed}`, '-o', 'StrictHostKeyChecking=yes', 'host5'], 'echo ok\n');
    expect({ status: withHashed.status, stdout: withHashed.stdout }).toEqual({ status: 0, stdout: 'ok\n' });

    const unknown = await ssh(['-o', 'UserKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', 'host5'], 'echo ok\n');
    expect(unknown.status).toBe(255);
    expect(unknown.stderr).toMatch(/Host key verification failed/);
  });

  test('keys: the agent, the encrypted key (passphrase via askpass) and RSA authenticate; the unauthorised key does not', async () => {
    const address = fleet.hosts[0]!.address;
    const strict = ['-o', `UserKnownHostsFile=${fleet.knownHosts}`];
    const accepted = async (fingerprint: string) => (await fleet.sshdLogLines()).filter((l) => l.startsWith('Accepted publickey') && l.endsWith(fingerprint)).length;

    // the agent: no key file given at all (IdentityFile none), so only the agent's key can succeed
    const viaAgent = await accepted(fleet.keys.ed25519.fingerprint);
    const agent = await bareSsh([...strict, '-o', 'BatchMode=yes', '-o', `IdentityAgent=${fleet.agentSocket}`, '-o', 'IdentityFile=none'], 'root', address, 'echo agent\n');
    expect({ status: agent.status, stdout: agent.stdout }).toEqual({ status: 0, stdout: 'agent\n' });
    expect(await accepted(fleet.keys.ed25519.fingerprint)).toBe(viaAgent + 1);
    const noAgent = await bareSsh([...strict, '-o', 'BatchMode=yes', '-o', 'IdentityAgent=none', '-o', 'IdentityFile=none'], 'root', address, 'echo agent\n');
    expect(noAgent.status).toBe(255);
    expect(noAgent.stderr).toMatch(/Permission denied/);

    // the encrypted key: ssh asks SSH_ASKPASS (not BatchMode, which would forbid asking)
    const encrypted = await bareSsh([...strict, '-o', 'IdentityAgent=none', '-o', 'IdentitiesOnly=yes', '-i', fleet.keys.encrypted.path], 'root', address, 'echo encrypted\n', {
      ...process.env, SSH_ASKPASS: fleet.keys.encrypted.askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0',
    });
    expect({ status: encrypted.status, stdout: encrypted.stdout }).toEqual({ status: 0, stdout: 'encrypted\n' });
    expect(await accepted(fleet.keys.encrypted.fingerprint)).toBeGreaterThan(0);

    // RSA, signed with rsa-sha2-512 (not the retired ssh-rsa), as the unprivileged user
    const rsa = await bareSsh([...strict, '-o', 'BatchMode=yes', '-o', 'IdentityAgent=none', '-o', 'IdentitiesOnly=yes', '-o', 'PubkeyAcceptedAlgorithms=rsa-sha2-512', '-i', fleet.keys.rsa.path], fleet.user.name, address, 'id -u\n');
    expect({ status: rsa.status, stdout: rsa.stdout }).toEqual({ status: 0, stdout: `${fleet.user.uid}\n` });
    expect(await accepted(fleet.keys.rsa.fingerprint)).toBeGreaterThan(0);

    const wrong = await bareSsh([...strict, '-o', 'BatchMode=yes', '-o', 'IdentityAgent=none', '-o', 'IdentitiesOnly=yes', '-i', fleet.keys.unauthorized.path], 'root', address, 'echo no\n');
    expect(wrong.status).toBe(255);
    expect(wrong.stderr).toMatch(/Permission denied \(publickey\)/);
  });

  test('the inventories list every host with its address, port, user and key', async () => {
    const inventory = await readFile(fleet.inventory, 'utf8');
    const userInventory = await readFile(fleet.userInventory, 'utf8');
    for (const host of fleet.hosts) {
      expect(inventory).toContain(`        ${host.name}:\n          ansible_host: ${host.address}\n          ansible_port: ${fleet.port}\n          ansible_user: root\n          ansible_ssh_private_key_file: ${fleet.keys.ed25519.path}\n`);
      expect(userInventory).toContain(`          ansible_user: ${fleet.user.name}\n`);
    }
  });

  test('tarpit: ssh gives up at its own deadline; a refused port fails at once', async () => {
    const tarpit = await startTarpit('127.0.0.1');
    try {
      const slow = await run('ssh', ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=1', '-p', String(tarpit.port), 'root@127.0.0.1', 'true'], { timeoutMs: 15_000 });
      expect(slow.timedOut).toBe(false);
      expect(slow.status).toBe(255);
      // connected, then waited for a banner that never came
      expect(slow.stderr).toMatch(/Connection timed out during banner exchange/);
      expect(tarpit.connections()).toBe(1);
    } finally {
      await tarpit.stop();
    }
    const refused = await run('ssh', ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-p', String(await refusedPort()), 'root@127.0.0.1', 'true'], { timeoutMs: 15_000 });
    expect(refused.status).toBe(255);
    expect(refused.stderr).toMatch(/Connection refused/);
  });

  test('stop() leaves nothing behind: processes, namespaces, sudoers rule, files', async () => {
    const small = await startSshFleet({ hosts: 1 });
    const host = small.hosts[0]!;
    expect((await run('ssh', ['-F', small.sshConfig, 'host1', 'sh -s'], { input: 'cat /proc/sys/kernel/hostname\n', timeoutMs: 20_000 })).stdout).toBe(`${host.hostname}\n`);
    const pids = { sshd: small.sshdPid, init: host.initPid, listeners: host.zooPid };
    await small.stop();
    await small.stop(); // twice is fine
    expect(Object.entries(pids).filter(([, pid]) => isAlive(pid))).toEqual([]);
    expect((await run('ip', ['netns', 'list'])).stdout).not.toContain(host.netns);
    expect(existsSync(small.sudoers)).toBe(false);
    expect(existsSync(small.dir)).toBe(false);
    // and the big fleet still works
    expect((await ssh(['host1'], 'echo still\n')).stdout).toBe('still\n');
  }, 60_000);
});
