// What every command reads first: the inventory (narrowed by --limit) and the ssh_config.
// Bad input is an InventoryError or SshConfigError: one line for the user, exit status 2 (cli/failure.ts).
import type { HostSpec } from '../model/index.js';
import { loadInventory, readLimit } from '../inventory/load.js';
import { InventoryError } from '../inventory/errors.js';
import { loadSshConfig } from '../openssh/config/index.js';
import type { LoadedConfig } from '../openssh/config/index.js';

export interface CommandInput {
  hosts: HostSpec[];
  sshConfig: LoadedConfig;
  warnings: string[];
}

/**
 * The inventory narrowed by --limit (only the selected hosts' group_vars/host_vars are read, as
 * Ansible reads them), and the ssh_config. A --limit that leaves no host is an error, as Ansible
 * refuses it ("Specified inventory, host pattern and/or --limit leaves us with no hosts to target.").
 */
export async function readInput(inventory: string, limit: string | undefined, sshConfigFile: string | undefined, homeDir: string): Promise<CommandInput> {
  const loaded = loadInventory(inventory, limit === undefined ? [] : readLimit(limit));
  if (limit !== undefined && loaded.hosts.length === 0) {
    const unmatched = loaded.unmatched.length > 0 ? ` (no host matches ${loaded.unmatched.map((p) => `"${p}"`).join(', ')})` : '';
    throw new InventoryError('--limit', 0, 0, `"${limit}" leaves no host of ${inventory} to scan${unmatched}`, 'no-hosts-selected');
  }
  const sshConfig = await loadSshConfig(sshConfigFile, homeDir);
  const warnings = [...loaded.warnings, ...sshConfig.warnings];
  if (loaded.unmatched.length > 0) warnings.unshift(`--limit: no host matches ${loaded.unmatched.map((p) => `"${p}"`).join(', ')}`);
  return { hosts: loaded.hosts, sshConfig, warnings };
}

/** readInput for a command: warnings go to `warn`; bad input throws (main.ts says it in one line, exit 2). */
export async function readCommandInput(
  args: { inventory: string; limit: string | undefined; sshConfig: string | undefined; homeDir: string },
  warn: (message: string) => void,
): Promise<CommandInput> {
  const input = await readInput(args.inventory, args.limit, args.sshConfig, args.homeDir);
  for (const w of input.warnings) warn(w);
  return input;
}

export { warnOnStderr } from './output.js';
