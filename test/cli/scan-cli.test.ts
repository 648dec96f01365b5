// The CLI as a user meets it: built bin/run.js, real files, exit codes, no stack traces.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaErrors } from '../helpers/schema.js';
import { refusedPort } from '../helpers/tarpit.js';
import { E2E_REQUIRED, isRoot } from '../helpers/requirements.js';
import { fleetstat as run, repo, runJs, scratch } from '../helpers/run-cli.js';

const fleetstat = (...args: string[]) => run(args);
const { dir, file } = scratch('cli');

const inventoryDir = (name: string, text: string) => {
  const sub = mkdtempSync(join(dir, 'inventory-'));
  writeFileSync(join(sub, name), text);
  return sub;
};

describe('fleetstat scan: bad input', () => {
  test.each([
    ['a missing inventory', join(dir, 'nope.yml'), `${join(dir, 'nope.yml')}: cannot read the inventory: no such file`],
    ['a YAML syntax error', file('broken.yml', 'all:\n  hosts:\n    h1: {\n'), `${join(dir, 'broken.yml')}:4:1: YAML syntax error`],
    // an inventory directory: every file in it is read
    ['an inventory directory with a broken file', inventoryDir('b.yml', 'all:\n  hosts:\n    h1: {\n'), '/b.yml:4:1: YAML syntax error'],
    ['a bad value', file('prio.yml', 'web:\n  vars:\n    ansible_group_priority: high\n  hosts:\n    h1:\n'), `${join(dir, 'prio.yml')}:3:29: ansible_group_priority of group "web"`],
  ])('%s: exit 2, one line naming it, no stack trace', (_what, path, message) => {
    const run = fleetstat('scan', path);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('an ssh host that cannot be reached is a row of its own (exit 4), never dropped', async () => {
    const port = await refusedPort();
    const inventory = file('ssh.yml', `all:\n  hosts:\n    web01:\n      ansible_host: 127.0.0.1\n      ansible_port: ${port}\n    here:\n      ansible_connection: local\n`);
    const run = fleetstat('scan', inventory, '--json');
    expect(run.status).toBe(4);
    const result = JSON.parse(run.stdout);
    expect(result.hosts.map((h: { name: string; status: string }) => [h.name, h.status])).toEqual([
      ['web01', 'unreachable'],
      ['here', expect.stringMatching(/^(ok|partial)$/)],
    ]);
    expect(result.hosts[0].error.message).toContain('ECONNREFUSED');
    expect(run.stderr).toContain('fleetstat: 2 hosts: ');
    expect(run.stderr).toContain('1 unreachable (web01)');
  });

  test('a host reached on the port ssh_config gives reports that port, not 22', async () => {
    const port = await refusedPort();
    const inventory = file('cfgport.yml', 'all:\n  hosts:\n    web02:\n');
    const config = file('ssh_config_port', `Host web02\n  HostName 127.0.0.1\n  Port ${port}\n`);
    const run = fleetstat('scan', inventory, '-F', config, '--json');
    const [host] = JSON.parse(run.stdout).hosts;
    expect([host.status, host.port]).toEqual(['unreachable', port]);
  });
});

describe('fleetstat scan: the local inventory', () => {
  test('table: netstat\'s columns', () => {
    const run = fleetstat('scan', `${repo}inventory/local.yml`, '-l');
    expect(run.status).toBe(0);
    // a Netns column leads when the machine has sockets in other namespaces (other tests' hosts)
    expect(run.stdout.split('\n').find((l) => /^(Netns\s+)?Proto\s/.test(l))).toMatch(/^(Netns\s+)?Proto\s+Recv-Q\s+Send-Q\s+Local Address\s+Foreign Address\s+State\s+User\s+PID\/Program name/);
    expect(run.stdout).toMatch(/LISTEN/);
  });

  // new namespaces need root
  (isRoot || E2E_REQUIRED ? test : test.skip)('--json prints what --format json prints, and it follows the schema', () => {
    // Two scans of this busy machine differ; two scans of a machine of our own do not: both run in new
    // net, pid and mount namespaces whose one listener is ours, and the times are blanked.
    const strip = (text: string) => text.replace(/"(startedAt|finishedAt)": "[^"]*"/g, '"$1": ""');
    const scan = (flag: string) => `${process.execPath} ${runJs} scan ${repo}inventory/local.yml -l -q ${flag}`;
    const listener = 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",7777)); s.listen(); print("up",flush=True); time.sleep(60)';
    // the listener dies with the namespace's first process, this sh, once both scans are written
    const script = `ip link set lo up; python3 -c '${listener}' > up & until [ -s up ]; do sleep 0.05; done; ${scan('--format json')} > a.json; ${scan('--json')} > b.json`;
    const run = spawnSync('unshare', ['--net', '--pid', '--fork', '--mount-proc', 'sh', '-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status).toBe(0);
    const a = readFileSync(join(dir, 'a.json'), 'utf8');
    const b = readFileSync(join(dir, 'b.json'), 'utf8');
    expect(JSON.parse(a).hosts[0].sockets.map((s: { local: { port: number } }) => s.local.port)).toEqual([7777]);
    expect(strip(b)).toBe(strip(a));
    expect(schemaErrors(JSON.parse(a))).toEqual([]);
    expect(schemaErrors(JSON.parse(b))).toEqual([]);
  });

  test('-t keeps only TCP, -x only unix', () => {
    const tcp = JSON.parse(fleetstat('scan', `${repo}inventory/local.yml`, '--json', '-t').stdout);
    expect(new Set(tcp.hosts[0].sockets.map((s: { proto: string }) => s.proto.replace('6', '')))).toEqual(new Set(['tcp']));
    const unix = JSON.parse(fleetstat('scan', `${repo}inventory/local.yml`, '--json', '-x').stdout);
    for (const s of unix.hosts[0].sockets) expect(s.proto).toBe('unix');
  });

  test('--help speaks of the exit codes', () => {
    const run = fleetstat('scan', '--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Exit status');
  });
});

describe('fleetstat inventory', () => {
  test('lists the hosts as a scan would reach them: --limit, ssh_config HostName/User/Port, ProxyJump hops', () => {
    const inventory = file('inv.ini', '[web]\nweb[01:03] ansible_user=deploy\n[db]\ndb01 ansible_host=127.0.0.9\n');
    const config = file('ssh_config', 'Host web*\n  HostName %h.internal.test\n  Port 2222\n  ProxyJump admin@bastion.test:2200\nHost *\n  User nobody\n');
    const run = fleetstat('inventory', inventory, '-F', config, '--limit', 'web:!web02', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      { name: 'web01', connection: 'ssh', address: 'web01.internal.test', port: 2222, user: 'deploy', groups: ['web'], become: false, jump: ['admin@bastion.test:2200'], errors: [] },
      { name: 'web03', connection: 'ssh', address: 'web03.internal.test', port: 2222, user: 'deploy', groups: ['web'], become: false, jump: ['admin@bastion.test:2200'], errors: [] },
    ]);
    const table = fleetstat('inventory', inventory, '-F', config);
    expect(table.stdout.split('\n')[0]).toMatch(/^Name\s+Address\s+Port\s+User\s+Groups\s+Jump/);
    expect(table.stdout).toMatch(/db01\s+127\.0\.0\.9\s+22\s+nobody\s+db\s+-/);
  });

  test('a ProxyCommand is never run: the host is marked not contacted', () => {
    const inventory = file('pc.yml', 'all:\n  hosts:\n    h1:\n');
    const config = file('ssh_config_pc', 'Host h1\n  ProxyCommand nc %h %p\n');
    const run = fleetstat('inventory', inventory, '-F', config, '--json');
    expect(JSON.parse(run.stdout)[0].errors[0]).toContain('ProxyCommand');
  });
});

describe('fleetstat scan: progress', () => {
  // `script` gives the command a terminal, as a user at a prompt has
  const onTerminal = (args: string) =>
    spawnSync('script', ['-qfec', `${process.execPath} ${runJs} scan ${args}`, '/dev/null'], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } }).stdout;
  const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;

  // FLEETSTAT_E2E=required: a missing `script` fails the test instead of skipping it
  (hasScript || E2E_REQUIRED ? test : test.skip)('on a terminal: a bar on stderr, wiped before the summary; none with --quiet', () => {
    expect(onTerminal(`${repo}inventory/local.yml -l`)).toMatch(/\r\x1b\[K\[#+\] 1\/1 done, 0 failed, 0 in flight\r/);
    expect(onTerminal(`${repo}inventory/local.yml -l -q`)).not.toContain('in flight');
  });

  test('not on a terminal: no bar, only the summary line', () => {
    const run = fleetstat('scan', `${repo}inventory/local.yml`, '-l');
    expect(run.stderr).toMatch(/^fleetstat: 1 host: 1 (ok|partial)\n$/);
  });
});
