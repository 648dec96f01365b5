// End to end, against real OpenSSH hosts (test/helpers/sshd-fleet.ts): a host the inventory puts
// behind a bastion with ansible_ssh_common_args is reached through the bastion, never directly; a
// host whose ssh args ask for a ProxyCommand is never contacted at all. sshd's own log counts the
// connections. Only 127.0.0.0/8 and the fleet's namespaces are used.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanResult } from '../../src/model/index.js';
import { fleetstat as runCli } from '../helpers/run-cli.js';
import { describeIf } from '../helpers/requirements.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';

const repo = new URL('../../', import.meta.url).pathname;

/** The built CLI with a HOME of its own (no ~/.ssh of this machine) and no agent; sshd runs apart, so a sync spawn is fine. */
function scan(home: string, args: string[]): { status: number | null; result: ScanResult } {
  const run = runCli(['scan', '--json', '-q', ...args], { env: { HOME: home, USER: 'root' }, timeoutMs: 60_000 });
  return { status: run.status, result: JSON.parse(run.stdout) as ScanResult };
}

describeIf(sshFleetMissing(), 'ssh arguments from the inventory, against real sshd', () => {
  let fleet: SshFleet;
  beforeAll(async () => (fleet = await startSshFleet({ hosts: 2 })), 60_000);
  afterAll(() => fleet?.stop());

  test('-J in ansible_ssh_common_args: through the jump host (one connection to it); a ProxyCommand: not contacted', async () => {
    const [behind, refused] = fleet.hosts;
    const home = mkdtempSync(join(tmpdir(), 'fleetstat-home-'));
    const inventory = join(home, 'bastion.yml');
    writeFileSync(inventory, [
      'all:',
      '  vars:',
      '    ansible_user: root',
      `    ansible_port: ${fleet.port}`,
      `    ansible_ssh_private_key_file: ${fleet.keys.ed25519.path}`,
      '  hosts:',
      `    ${behind!.name}:`,
      `      ansible_host: ${behind!.address}`,
      // `jump` is the fleet's ssh_config name for the bastion (its address, port, user and key)
      "      ansible_ssh_common_args: '-C -o ControlMaster=auto -J jump'",
      `    ${refused!.name}:`,
      `      ansible_host: ${refused!.address}`,
      `      ansible_ssh_common_args: '-o ProxyCommand="ssh -W %h:%p jump"'`,
      '',
    ].join('\n'));
    const before = { jump: await fleet.connectionsTo('jump'), refused: await fleet.connectionsTo(refused!.index) };

    const run = scan(home, [inventory, '-F', fleet.sshConfig, '--known-hosts', fleet.knownHosts]);
    const rows = Object.fromEntries(run.result.hosts.map((h) => [h.name, h]));
    expect([rows[behind!.name]!.status, rows[behind!.name]!.facts?.hostname]).toEqual([expect.stringMatching(/^(ok|partial)$/), behind!.hostname]);
    expect(rows[refused!.name]!.status).toBe('config');
    expect(rows[refused!.name]!.error?.message).toBe(
      `not contacted: ${inventory}:12:32: ansible_ssh_common_args: -o "ProxyCommand=ssh -W %h:%p jump": fleetstat never runs a ProxyCommand: use ProxyJump (-J)`);
    expect(run.status).toBe(8);
    // the bastion was used; the refused host saw no connection at all
    expect((await fleet.connectionsTo('jump')) - before.jump).toBe(1);
    expect((await fleet.connectionsTo(refused!.index)) - before.refused).toBe(0);
  }, 60_000);
});
