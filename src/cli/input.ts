// What every command reads first: the inventory (narrowed by --limit) and the ssh_config.
// Bad input is an InputError: one line for the user, exit status 2.
import type { HostSpec } from '../model/index.js';
import { InventoryError } from '../inventory/errors.js';
import { loadInventory, readLimit } from '../inventory/load.js';
import { selectHostsByPatterns } from '../inventory/limit.js';
import { loadSshConfig, SshConfigError } from '../inventory/ssh-config-load.js';
import type { LoadedConfig } from '../inventory/ssh-config.js';

export interface CommandInput {
  hosts: HostSpec[];
  sshConfig: LoadedConfig;
  warnings: string[];
}

export async function readInput(inventory: string, limit: string | undefined, sshConfigFile: string | undefined, homeDir: string): Promise<CommandInput> {
  const selection = selectHostsByPatterns(loadInventory(inventory), limit === undefined ? [] : readLimit(limit));
  const sshConfig = await loadSshConfig(sshConfigFile, homeDir);
  const warnings = [...sshConfig.warnings];
  if (selection.unmatched.length > 0) warnings.unshift(`--limit: no host matches ${selection.unmatched.map((p) => `"${p}"`).join(', ')}`);
  return { hosts: selection.hosts, sshConfig, warnings };
}

export function isInputError(err: unknown): err is InventoryError | SshConfigError {
  return err instanceof InventoryError || err instanceof SshConfigError;
}
