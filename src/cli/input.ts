// What every command reads first: the inventory (narrowed by --limit) and the ssh_config.
// Bad input is an InventoryError or SshConfigError: one line for the user, exit status 2 (cli/failure.ts).
import type { HostSpec } from '../model/index.js';
import { loadInventory, readLimit } from '../inventory/load.js';
import { selectHostsByPatterns } from '../inventory/limit.js';
import { loadSshConfig } from '../openssh/config/index.js';
import type { LoadedConfig } from '../openssh/config/index.js';

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
