// What a host's variables (after precedence) mean for reaching it: a HostSpec. Pure.
//
// A variable fleetstat cannot honour does not fail the inventory: as in Ansible, which reads the
// whole inventory and fails only the tasks of the host that uses the bad value ("the field 'port'
// has an invalid value"), the host gets `notContactedBecause` (status `config`, never contacted)
// and every other host is scanned. Checked with ansible-core 2.14.18 (ansible-playbook: the other
// hosts run). The problems: a connection other than ssh/local, a Jinja2 template (fleetstat
// evaluates none), a `!vault` value, a port that is no port, a become that is no boolean, a become
// method other than sudo, an ssh wrapper, ssh arguments fleetstat cannot parse (ssh-args.ts).
import type { Connection, HostSpec } from '../model/index.js';
import type { VarMap } from './graph.js';
import { sshArgumentsOf } from './ssh-args.js';
import { ansibleBoolean, describe, HostVarReader, isTextual } from './var-reader.js';

/**
 * ansible_connection values fleetstat can honour. `smart` (Ansible's old default: ssh, or paramiko
 * on an old OpenSSH) and `paramiko`/`paramiko_ssh` all mean "SSH to the host", which is what our ssh
 * transport does; the FQCN spellings are the same plugins.
 */
const CONNECTIONS: Record<string, Connection> = {
  ssh: 'ssh',
  smart: 'ssh',
  paramiko: 'ssh',
  paramiko_ssh: 'ssh',
  'ansible.builtin.ssh': 'ssh',
  'ansible.builtin.paramiko_ssh': 'ssh',
  local: 'local',
  'ansible.builtin.local': 'local',
};

export function toHostSpec(name: string, groups: string[], vars: VarMap): HostSpec {
  const read = new HostVarReader(name, vars);

  const addressVar = read.pick('ansible_host', 'ansible_ssh_host');
  const address = read.text(addressVar) ?? (typeof addressVar?.[1].value === 'string' ? addressVar[1].value : name);

  const portVar = read.pick('ansible_port', 'ansible_ssh_port');
  let port: number | undefined;
  if (portVar) {
    const [key, entry] = portVar;
    const v = entry.value;
    // text() names a template or a vault value; anything else that is no number is just a bad port
    const text = typeof v === 'number' ? String(v) : isTextual(v) ? read.text(portVar) : '';
    const n = typeof v === 'number' ? v : text !== undefined && /^\s*[0-9]+\s*$/.test(text) ? Number(text) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= 65535) port = n;
    else if (text !== undefined) read.problem(entry, `${key} of host "${name}" must be a port number (1-65535), not ${describe(v)}`);
  }

  const user = read.text(read.pick('ansible_user', 'ansible_ssh_user'));
  const identityFile = read.text(read.pick('ansible_private_key_file', 'ansible_ssh_private_key_file'));

  let connection: Connection = 'ssh';
  const connectionVar = read.get('ansible_connection');
  const connectionName = read.text(connectionVar);
  if (connectionVar && connectionName !== undefined) {
    const known = CONNECTIONS[connectionName];
    if (known) connection = known;
    else read.problem(connectionVar[1], `ansible_connection of host "${name}" is "${connectionName}": fleetstat reaches hosts only over ssh (ssh, smart, paramiko) or local`);
  }

  let become = false;
  const becomeVar = read.get('ansible_become');
  if (becomeVar) {
    const v = becomeVar[1].value;
    const raw = isTextual(v) ? read.text(becomeVar) : v;
    const b = raw === undefined ? undefined : ansibleBoolean(raw, true);
    if (typeof b === 'boolean') become = b;
    else if (b === null) read.problem(becomeVar[1], `ansible_become of host "${name}" must be a boolean (true/false, yes/no, on/off, 1/0), not ${describe(v)}`);
  }
  const method = become ? read.text(read.get('ansible_become_method')) : undefined;
  if (method !== undefined && method !== 'sudo' && method !== 'ansible.builtin.sudo') {
    read.problem(read.get('ansible_become_method')![1], `ansible_become_method of host "${name}" is "${method}": fleetstat becomes root only with sudo -n`);
  }

  const sshArguments = connection === 'ssh' ? sshArgumentsOf(read) : undefined;

  return {
    name,
    address,
    ...(port === undefined ? {} : { port }),
    ...(user === undefined ? {} : { user }),
    ...(identityFile === undefined ? {} : { identityFile }),
    groups,
    connection,
    become,
    ...(sshArguments === undefined ? {} : { sshArguments }),
    ...(read.problems.length > 0 ? { notContactedBecause: read.problems.join('; ') } : {}),
  };
}
