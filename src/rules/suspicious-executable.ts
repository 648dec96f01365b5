// FS006: a listener whose program runs from where no installed software lives (/tmp, /var/tmp,
// /dev/shm, a hidden directory, a memfd) or whose file was deleted since it started. Droppers write to
// world-writable places and often delete themselves; packages install under /usr, /opt, /srv.
import type { ProcessRef } from '../model/index.js';
import type { Severity } from '../model/finding.js';
import type { Rule } from './rule.js';
import { findingOf, listeningHolders, socketLine } from './finding-of.js';

const WORLD_WRITABLE = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/shm/'];
// hidden directories that version managers and editors install real toolchains into (nvm's node,
// pyenv's python, VS Code's remote server): not droppers
const TOOLCHAIN_DIRS = ['/.nvm/', '/.pyenv/', '/.rbenv/', '/.cargo/', '/.rustup/', '/.asdf/', '/.volta/', '/.sdkman/', '/.deno/', '/.bun/', '/.local/share/mise/', '/.vscode-server/', '/.cursor-server/'];

/** Why an executable path is odd, and how odd; null when it is not. */
export function oddExecutable(p: ProcessRef): { why: string; severity: Severity } | null {
  const exe = p.exe;
  if (exe === undefined) return null;
  if (exe.startsWith('/memfd:')) return { why: `runs from memory (${exe}): no file on disk`, severity: 'high' };
  const place = WORLD_WRITABLE.find((dir) => exe.startsWith(dir));
  if (place !== undefined) return { why: `runs from ${place.slice(0, -1)}${p.exeDeleted ? ', since deleted' : ''}`, severity: 'high' };
  const hidden = exe.split('/').slice(1, -1).find((part) => part.startsWith('.') && part !== '.' && part !== '..');
  if (hidden !== undefined && !TOOLCHAIN_DIRS.some((dir) => exe.includes(dir))) return { why: `runs from a hidden directory (${hidden})${p.exeDeleted ? ', since deleted' : ''}`, severity: 'high' };
  if (p.exeDeleted) return { why: 'its executable was deleted or replaced since it started (an upgrade not yet restarted, or a program that removed itself)', severity: 'medium' };
  return null;
}

export const suspiciousExecutable: Rule = {
  id: 'FS006',
  name: 'suspicious-executable',
  severity: 'high',
  summary: 'A listener runs from /tmp, /var/tmp, /dev/shm, a hidden directory or memory, or its executable was deleted.',
  explanation:
    'Installed services run from /usr, /opt or /srv. A listening program in a world-writable or hidden directory, or one with no file left (a memfd, a deleted binary), is how droppers run. A binary replaced by a package upgrade also shows as deleted until the service restarts: that case is medium. Version managers\' hidden directories (~/.nvm, ~/.pyenv, ~/.cargo, ~/.vscode-server …) are not counted. Needs a capture with exe links (format 3 and later).',
  exception: 'Restart the service after an upgrade; otherwise a waiver for FS006 naming the host and port, with its justification.',
  check(host, context) {
    return listeningHolders(host).flatMap(({ socket, holder: p }) => {
      const odd = oddExecutable(p);
      if (odd === null) return [];
      const evidence = `exe ${p.exe}${p.exeDeleted ? ' (deleted)' : ''}${p.cwd !== undefined ? `, cwd ${p.cwd}` : ''}`;
      return [findingOf(this, host, context, { socket, holder: p, severity: odd.severity, message: `${p.name} (pid ${p.pid}) listens on ${socketLine(socket)} and ${odd.why}`, evidence })];
    });
  },
};
