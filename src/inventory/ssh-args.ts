// The ssh arguments a host's variables give, as Ansible's ssh connection plugin builds its command
// line (lib/ansible/plugins/connection/ssh.py _build_command, ansible-core 2.14):
//
//   ssh  ansible_ssh_args                          (default `-C -o ControlMaster=auto -o ControlPersist=60s`)
//        -o StrictHostKeyChecking=no               when ansible_host_key_checking is false
//        -o Port=… -o IdentityFile=… -o User=…     from ansible_port, the key file, ansible_user
//        -o ConnectTimeout=…                       ansible_ssh_timeout
//        ansible_ssh_common_args  ansible_ssh_extra_args
//        HOST
//
// Each *_args value is split with Python's shlex.split (no comments), every word stripped and the
// empty ones dropped (Connection._split_ssh_args). ssh keeps the first value of an option, so the
// order decides: ansible_ssh_args beat ansible_port & co, which beat the common and extra args.
// Only the words are made here; what they mean (`-o`, `-J`, `-p`, `-l`, `-i`, and the refusal of
// anything fleetstat cannot honour) is OpenSSH's business (openssh/config/command-line.ts). Never
// through a shell. Pure.
import type { SshArgumentList, SshArguments } from '../model/index.js';
import type { VarEntry } from './graph.js';
import { ansibleBoolean, describe, isTextual, type HostVarReader } from './var-reader.js';
import { pythonStrip, shlexSplit, ShlexProblem } from './shlex.js';

export function sshArgumentsOf(read: HostVarReader): SshArguments | undefined {
  const before: SshArgumentList[] = [];
  const after: SshArgumentList[] = [];
  const source = (key: string, entry: VarEntry): string => `${read.where(entry)}: ${key}`;

  const split = (key: string, into: SshArgumentList[]): void => {
    const found = read.get(key);
    const text = read.text(found);
    if (!found || text === undefined) return;
    let words: string[];
    try {
      words = shlexSplit(text, { comments: false }).map((w) => pythonStrip(w.text)).filter((w) => w !== '');
    } catch (err) {
      if (!(err instanceof ShlexProblem)) throw err;
      read.problem(found[1], `${key} of host "${read.host}" cannot be split into words as Ansible splits it: ${err.message}`);
      return;
    }
    if (words.length > 0) into.push({ source: source(key, found[1]), words });
  };

  split('ansible_ssh_args', before);

  // config type boolean: Ansible's boolean(strict=False), so any word but a true one turns checking off
  const checking = read.pick('ansible_host_key_checking', 'ansible_ssh_host_key_checking');
  if (checking) {
    const v = checking[1].value;
    const raw = isTextual(v) ? read.text(checking) : v;
    if (raw !== undefined && ansibleBoolean(raw, false) === false) {
      before.push({ source: source(checking[0], checking[1]), words: ['-o', 'StrictHostKeyChecking=no'] });
    }
  }

  const timeout = read.get('ansible_ssh_timeout');
  if (timeout) {
    const v = timeout[1].value;
    const raw = isTextual(v) ? read.text(timeout) : v;
    const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[-+]?[0-9]+\s*$/.test(raw) ? Number(raw) : NaN;
    if (Number.isInteger(seconds)) after.push({ source: source('ansible_ssh_timeout', timeout[1]), words: ['-o', `ConnectTimeout=${seconds}`] });
    else if (raw !== undefined) read.problem(timeout[1], `ansible_ssh_timeout of host "${read.host}" must be a whole number of seconds, not ${describe(v)}`);
  }

  split('ansible_ssh_common_args', after);
  split('ansible_ssh_extra_args', after);

  // a wrapper (tsh, a script) may reach the host some other way: fleetstat speaks SSH itself
  const executable = read.get('ansible_ssh_executable');
  const program = read.text(executable);
  if (executable && program !== undefined && program.split('/').pop() !== 'ssh') {
    read.problem(executable[1], `ansible_ssh_executable of host "${read.host}" is "${program}": fleetstat speaks SSH itself and cannot run another ssh program`);
  }

  return before.length + after.length > 0 ? { before, after } : undefined;
}
