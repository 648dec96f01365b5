// ansible_ssh_args / ansible_ssh_common_args / ansible_ssh_extra_args: split as Ansible splits them,
// read as ssh reads its command line, around ansible_port/ansible_user/the key file in the order
// Ansible's ssh plugin passes them. The truth: the command line Ansible itself built for each host of
// fixtures/inventory/ssh-args.yml (saved in its truth file) fed to the real `ssh -G`, which prints
// what ssh would do (it contacts nothing).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { loadInventory } from '../../src/inventory/load.js';
import { parseInventory } from '../../src/inventory/parse.js';
import { configFromText, type LoadedConfig } from '../../src/openssh/config/index.js';
import { sshConfigLookup } from '../../src/transport/index.js';
import { planConnection, type ConnectionPlan } from '../../src/transport/plan.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { FIXTURES, type Truth } from './ansible-truth.js';

const me = userInfo();
const local = { localUser: me.username, homeDir: me.homedir };
const NO_CONFIG: LoadedConfig = { files: [], issues: [], warnings: [] };
const planOf = (text: string, config: LoadedConfig = NO_CONFIG, name = 'h1'): ConnectionPlan => {
  const spec = parseInventory(text, 'inv.yml').find((h) => h.name === name)!;
  return planConnection(spec, sshConfigLookup(config, local), local);
};
const hostWith = (vars: Record<string, string | number>): string =>
  `all:\n  hosts:\n    h1:\n      ansible_host: 127.0.0.5\n${Object.entries(vars).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`).join('')}`;

interface Hop { user?: string; host: string; port?: number }
const hopsOf = (plan: ConnectionPlan | null): Hop[] => (plan ? [...hopsOf(plan.via), { user: plan.user, host: plan.host, port: plan.port }] : []);

/** `ssh -G`'s proxyjump value, `u@[h]:p,h2`, as hops with ssh's defaults filled in. */
function sshHops(value: string | undefined): Hop[] {
  if (value === undefined || value === 'none') return [];
  return value.split(',').map((hop) => {
    const m = /^(?:(.*)@)?\[?([^\]]*?)\]?(?::(\d+))?$/.exec(hop)!;
    return { user: m[1] ?? local.localUser, host: m[2]!, port: m[3] ? Number(m[3]) : 22 };
  });
}

describeIf(hasCommand('ssh') ? [] : ['ssh (openssh-client)'], 'ssh-args.yml: fleetstat reaches each host as `ssh -G` says Ansible\'s command line does', () => {
  const truth = JSON.parse(readFileSync(`${FIXTURES}ssh-args.yml.ansible.json`, 'utf8')) as Truth;
  const specs = loadInventory(`${FIXTURES}ssh-args.yml`).hosts;

  test.each(truth.hosts.map((h) => [h.name, h] as const))('%s', (_name, host) => {
    const argv = host.ssh_argv as string[];
    // -F none: no ssh_config at all, as fleetstat below; ssh -G prints the result and connects to nothing
    const run = spawnSync('ssh', ['-G', '-F', 'none', ...argv, String(host.vars.ansible_host)], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const seen = new Map<string, string[]>();
    for (const line of run.stdout.split('\n')) {
      const [key, ...rest] = line.split(' ');
      if (key) seen.set(key, [...(seen.get(key) ?? []), rest.join(' ')]);
    }
    const ssh = (key: string): string | undefined => seen.get(key)?.[0];

    const plan = planConnection(specs.find((s) => s.name === host.name)!, sshConfigLookup(NO_CONFIG, local), local);
    expect(plan.errors).toEqual([]);
    expect({
      hostname: plan.host,
      port: plan.port,
      user: plan.user,
      jump: hopsOf(plan.via),
      identityFiles: plan.identityFiles.map((f) => f.path),
      connectTimeout: plan.connectTimeoutMs / 1000,
      serverAliveCountMax: plan.keepaliveCountMax,
      strict: plan.hostKeyMode,
    }).toEqual({
      hostname: ssh('hostname'),
      port: Number(ssh('port')),
      user: ssh('user'),
      jump: sshHops(ssh('proxyjump')),
      // ssh -G prints its default files unexpanded
      identityFiles: seen.get('identityfile')?.map((f) => f.replace(/^~\//, `${local.homeDir}/`)),
      connectTimeout: Number(ssh('connecttimeout')),
      serverAliveCountMax: Number(ssh('serveralivecountmax')),
      // `no` is accept-new for fleetstat (turning checking off takes its own flag); ssh's `ask` is yes
      strict: ssh('stricthostkeychecking') === 'false' ? 'accept-new' : 'yes',
    });
    // ssh's 0 is "off"; fleetstat keeps its own keepalive then
    if (ssh('serveraliveinterval') !== '0') expect(plan.keepaliveIntervalMs / 1000).toBe(Number(ssh('serveraliveinterval')));
    expect(plan.agentSocket === undefined || ssh('identitiesonly') === 'no').toBe(true);
  });
});

describe('how ssh reads the words', () => {
  test.each([
    ['-o K=V', '-o ProxyJump=j@127.0.0.9:2222'],
    ['-oK=V attached', '-oProxyJump=j@127.0.0.9:2222'],
    ['-o "K V" (shlex keeps the quoted space)', '-o "ProxyJump j@127.0.0.9:2222"'],
    ['-o K V (a space, then =)', '-o "ProxyJump = j@127.0.0.9:2222"'],
    ['-J', '-J j@127.0.0.9:2222'],
    ['-J attached, after grouped flags', '-qCJj@127.0.0.9:2222'],
  ])('%s', (_what, args) => {
    const plan = planOf(hostWith({ ansible_ssh_common_args: args }));
    expect([plan.errors, hopsOf(plan.via)]).toEqual([[], [{ user: 'j', host: '127.0.0.9', port: 2222 }]]);
  });

  test('ssh keeps the first value: ansible_ssh_args beat ansible_port, which beats the common and extra args', () => {
    const first = planOf(hostWith({ ansible_port: 2201, ansible_ssh_args: '-o Port=2202', ansible_ssh_common_args: '-p 2203' }));
    const middle = planOf(hostWith({ ansible_port: 2201, ansible_ssh_common_args: '-p 2203', ansible_ssh_extra_args: '-o Port=2204' }));
    const last = planOf(hostWith({ ansible_ssh_common_args: '-p 2203', ansible_ssh_extra_args: '-o Port=2204' }));
    expect([first.port, middle.port, last.port]).toEqual([2202, 2201, 2203]);
  });

  test('-l and -o User lose to ansible_user, win without it', () => {
    expect(planOf(hostWith({ ansible_user: 'ops', ansible_ssh_extra_args: '-l late' })).user).toBe('ops');
    expect(planOf(hostWith({ ansible_ssh_extra_args: '-o User=late' })).user).toBe('late');
  });

  test('identity files add up in command-line order: ansible_ssh_args, the key file, then the others', () => {
    const plan = planOf(hostWith({
      ansible_ssh_args: '-i /k/one', ansible_ssh_private_key_file: '/k/two', ansible_ssh_extra_args: "-i '/k/with space' -o IdentityFile=/k/four",
    }));
    expect(plan.identityFiles).toEqual(['/k/one', '/k/two', '/k/with space', '/k/four'].map((path) => ({ path, explicit: true })));
  });

  test('the command line beats ssh_config, as ssh reads it before any file: Port, ProxyJump, and ProxyJump none', () => {
    const config = configFromText('Host 127.0.0.5\n  Port 2999\n  ProxyJump cfgjump@127.0.0.8\n', '/home/me/.ssh/config');
    const over = planOf(hostWith({ ansible_ssh_common_args: '-o Port=2201 -J 127.0.0.9' }), config);
    const none = planOf(hostWith({ ansible_ssh_common_args: '-o ProxyJump=none' }), config);
    const plain = planOf(hostWith({}), config);
    expect([over.port, hopsOf(over.via).map((h) => h.host), hopsOf(none.via), hopsOf(plain.via).map((h) => h.host)]).toEqual([2201, ['127.0.0.9'], [], ['127.0.0.8']]);
  });

  test('a ProxyCommand after a ProxyJump is ignored, as ssh ignores it (no error)', () => {
    const plan = planOf(hostWith({ ansible_ssh_common_args: '-J 127.0.0.9 -o "ProxyCommand nc %h %p"' }));
    expect([plan.errors, hopsOf(plan.via).map((h) => h.host)]).toEqual([[], ['127.0.0.9']]);
  });

  test('ansible_host_key_checking false: StrictHostKeyChecking no, which fleetstat reads as accept-new', () => {
    const plan = planOf(hostWith({ ansible_host_key_checking: 'False' }));
    expect(plan.hostKeyMode).toBe('accept-new');
  });

  test('Ansible\'s own default flags and multiplexing options are read and ignored', () => {
    const plan = planOf(hostWith({ ansible_ssh_args: '-C -o ControlMaster=auto -o ControlPersist=60s -o ControlPath=/tmp/%C -vvv -o CheckHostIP=no -E /tmp/log' }));
    expect([plan.errors, plan.host, plan.port]).toEqual([[], '127.0.0.5', 22]);
  });
});

test('-o lines ssh_config would honour are honoured from the command line too (Ciphers; CheckHostIP with an address)', () => {
  const plan = planOf(hostWith({ ansible_ssh_common_args: '-o Ciphers=aes128-ctr -o CheckHostIP=yes' }));
  expect([plan.errors, plan.algorithms.cipher]).toEqual([[], ['aes128-ctr']]);
});

describe('what fleetstat cannot honour refuses the host, never a direct connection', () => {
  const where = 'inv.yml:5:32: ansible_ssh_common_args';
  test.each([
    ['a ProxyCommand', '-o ProxyCommand="ssh -W %h:%p j@127.0.0.9"', '-o "ProxyCommand=ssh -W %h:%p j@127.0.0.9": fleetstat never runs a ProxyCommand: use ProxyJump (-J)'],
    ['another ssh_config file', '-F /etc/other', '-F /etc/other: an ssh option fleetstat does not honour'],
    ['an option ssh has but fleetstat does not honour', '-o BindAddress=127.0.0.1', '-o "BindAddress=127.0.0.1": fleetstat does not honour the ssh option bindaddress'],
    ['a keyword ssh does not know', '-o Frobnicate=yes', '-o "Frobnicate=yes": fleetstat does not honour the ssh option frobnicate'],
    ['an ignorable keyword with a value that matters', '-o UpdateHostKeys=yes', '-o "UpdateHostKeys=yes": fleetstat does not honour the ssh option updatehostkeys yes'],
    ['a flag fleetstat does not honour', '-4', '-4: an ssh option fleetstat does not honour'],
    ['a letter ssh does not know', '-Z', '-Z: not an ssh option'],
    ['a word that is no option (ssh would take it as the host)', 'j@127.0.0.9', '"j@127.0.0.9": not an ssh option (ssh would take it as the host to connect to)'],
    ['--', '-- x', '"--": not an ssh option (ssh would take it as the host to connect to)'],
    ['two -J', '-J 127.0.0.9 -J 127.0.0.10', '-J 127.0.0.10: only one -J is allowed (use commas to separate hops)'],
    ['-J after a ProxyCommand none', '-o ProxyCommand=none -J 127.0.0.9', '-J 127.0.0.9: cannot be given after a ProxyCommand'],
    ['an option without its argument', '-o ServerAliveInterval=5 -p', '-p: needs an argument'],
    ['a bad port', '-p http', '-p http: bad port'],
    ['Host on the command line', '-o "Host *"', '-o "Host *": host is not allowed as a command-line option'],
    ['a bad value, as ssh_config would refuse it', '-o ServerAliveInterval=soon', '-o "ServerAliveInterval=soon": invalid time value \'soon\''],
    ['a user ssh refuses', '-l "a;b"', 'user "a;b": remote username contains invalid characters'],
    // named by its source alone, as every other command-line refusal (no `:0` line number)
    ['an algorithm list that leaves nothing', '-o KexAlgorithms=-*', 'kexalgorithms: "-*" leaves no kex algorithm'],
  ])('%s', (_what, args, reason) => {
    const plan = planOf(hostWith({ ansible_ssh_common_args: args }));
    expect(plan.errors).toContain(`${where}: ${reason}`);
  });
});
