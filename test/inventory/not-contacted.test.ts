// fixtures/inventory/not-contacted.yml: hosts Ansible reads (its truth file has them all) but
// fleetstat cannot reach as written. Each costs only its own row: status `config` with the reason
// (file:line:col of the variable), never a connection, never the whole inventory; --limit leaves
// them out like any host. The scan is run by the built CLI inside a network namespace of its own
// (`unshare --net`), so not even a mistake could reach the network.
import { loadInventory } from '../../src/inventory/load.js';
import { fleetstat as runCli } from '../helpers/run-cli.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { schemaErrors } from '../helpers/schema.js';
import { FIXTURES } from './ansible-truth.js';

const INVENTORY = `${FIXTURES}not-contacted.yml`;
const repo = new URL('../../', import.meta.url).pathname;

const REASONS: Array<[string, string]> = [
  ['docker01', ':15:31: ansible_connection of host "docker01" is "docker": fleetstat reaches hosts only over ssh (ssh, smart, paramiko) or local'],
  ['win01', ':17:31: ansible_connection of host "win01" is "winrm": fleetstat reaches hosts only over ssh (ssh, smart, paramiko) or local'],
  ['tmpl01', ':20:25: ansible_host of host "tmpl01" is a Jinja2 template ("{{ inventory_hostname }}.corp.example"); fleetstat does not evaluate templates'],
  ['port01', ':24:25: ansible_port of host "port01" must be a port number (1-65535), not "ssh"'],
  ['become01', ':26:27: ansible_become of host "become01" must be a boolean (true/false, yes/no, on/off, 1/0), not "maybe"'],
  ['su01', ':29:34: ansible_become_method of host "su01" is "su": fleetstat becomes root only with sudo -n'],
  ['tsh01', ':31:35: ansible_ssh_executable of host "tsh01" is "/usr/local/bin/tsh-ssh": fleetstat speaks SSH itself and cannot run another ssh program'],
  ['quote01', ':46:36: ansible_ssh_common_args of host "quote01" cannot be split into words as Ansible splits it: no closing quotation (")'],
  ['vault01', ':51:32: ansible_user of host "vault01" is encrypted with Ansible Vault (!vault); fleetstat does not decrypt it'],
];

describe('the inventory: every host read, these marked with why', () => {
  const hosts = loadInventory(INVENTORY).hosts;

  test.each(REASONS)('%s', (name, reason) => {
    expect(hosts.find((h) => h.name === name)!.notContactedBecause).toBe(`${INVENTORY}${reason}`);
  });

  test('the hosts that can be reached are untouched', () => {
    expect(hosts.filter((h) => h.notContactedBecause === undefined).map((h) => h.name)).toEqual([
      'ok01', 'here', 'unsafe01', 'pc01', 'cfg01', 'bind01', 'stray01', 'twoj01', // ssh arguments: refused when planned (below)
    ]);
  });

  test('--limit leaves them out: only the selected hosts are read at all', () => {
    expect(loadInventory(INVENTORY, ['fine']).hosts.map((h) => [h.name, h.notContactedBecause])).toEqual([['ok01', undefined], ['here', undefined]]);
  });
});

/** The built CLI in a network namespace of its own: nothing it might contact is reachable. */
const fleetstat = (...args: string[]) => runCli(args, { wrapper: ['unshare', '--net', '--'] });

describeIf([...(isRoot ? [] : ['root']), ...(hasCommand('unshare') ? [] : ['unshare'])], 'the scan: a config row each, nothing contacted', () => {
  test('every host has its row: the reachable ones scanned, the rest `config` with the reason (exit 12: 4 unreachable | 8 config)', () => {
    const run = fleetstat('scan', INVENTORY, '--json', '-q');
    expect(run.status).toBe(12);
    const result = JSON.parse(run.stdout);
    expect(schemaErrors(result)).toEqual([]);
    const rows = new Map<string, { status: string; error?: { kind: string; message: string } }>(result.hosts.map((h: { name: string }) => [h.name, h]));
    expect(rows.size).toBe(17);
    // ok01 was tried (there is no network in here), the local host was scanned
    expect([rows.get('ok01')!.status, rows.get('here')!.status]).toEqual(['unreachable', expect.stringMatching(/^(ok|partial)$/)]);
    for (const [name, reason] of REASONS) {
      expect([name, rows.get(name)!.status, rows.get(name)!.error]).toEqual([name, 'config', { kind: 'config', message: `not contacted: ${INVENTORY}${reason}` }]);
    }
    // refused when planned: ssh arguments fleetstat cannot honour, a name ssh would refuse
    for (const [name, why] of [
      ['pc01', ':34:36: ansible_ssh_common_args: -o "ProxyCommand=ssh -W %h:%p -q jump@127.0.0.30": fleetstat never runs a ProxyCommand: use ProxyJump (-J)'],
      ['cfg01', ':37:35: ansible_ssh_extra_args: -F /etc/other/ssh_config: an ssh option fleetstat does not honour'],
      ['bind01', ':40:36: ansible_ssh_common_args: -o "BindAddress=127.0.0.1": fleetstat does not honour the ssh option bindaddress'],
      ['stray01', ':43:35: ansible_ssh_extra_args: "jump@127.0.0.30": not an ssh option (ssh would take it as the host to connect to)'],
      ['twoj01', ':49:36: ansible_ssh_common_args: -J 127.0.0.31: only one -J is allowed (use commas to separate hops)'],
    ]) {
      expect([name, rows.get(name!)!.status, rows.get(name!)!.error?.message]).toEqual([name, 'config', `not contacted: ${INVENTORY}${why}`]);
    }
    expect(rows.get('unsafe01')!.error?.message).toBe('not contacted: host "127.0.0.{{x}}": hostname contains invalid characters');
    expect(run.stderr).toMatch(/^fleetstat: 17 hosts: 1 (ok|partial), 15 config \(docker01, win01, tmpl01, unsafe01, port01, \+10 more\), 1 unreachable \(ok01\)\n$/);
  });

  test('--limit that leaves them out: they are not even read, the scan is clean', () => {
    const run = fleetstat('scan', INVENTORY, '--limit', 'here', '--json', '-q');
    expect([run.status, JSON.parse(run.stdout).hosts.map((h: { name: string }) => h.name)]).toEqual([0, ['here']]);
  });

  test('`fleetstat inventory` shows the reason in its Note column and in --json `errors`', () => {
    const table = fleetstat('inventory', INVENTORY);
    expect(table.stdout).toMatch(/^port01 .* not contacted: .*not-contacted\.yml:24:25: ansible_port of host "port01" must be a port number/m);
    const json = JSON.parse(fleetstat('inventory', INVENTORY, '--limit', 'docker01:pc01', '--json').stdout);
    expect(json.map((h: { name: string; errors: string[] }) => [h.name, h.errors])).toEqual([
      ['docker01', [`${INVENTORY}${REASONS[0]![1]}`]],
      ['pc01', [`${INVENTORY}:34:36: ansible_ssh_common_args: -o "ProxyCommand=ssh -W %h:%p -q jump@127.0.0.30": fleetstat never runs a ProxyCommand: use ProxyJump (-J)`]],
    ]);
  });
});
