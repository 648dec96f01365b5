// stdout that cannot be written: a full disk is one line and exit 16; a reader that went away
// (`fleetstat scan … | head -1`) is silence and exit 16, as coreutils say nothing on SIGPIPE. Hosts are
// written as they end, so the failure ends the run there, before the summary line.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { once } from 'node:events';
import { cleanEnv, fleetstat, localInventory, runJs, stderrLines } from '../helpers/run-cli.js';

describe('a failed write to stdout', () => {
  test('ENOSPC (stdout is /dev/full): one line naming it, exit 16, no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = fleetstat(['scan', localInventory, '-l'], { stdout: ['ignore', full, 'pipe'] });
      expect(run.status).toBe(16);
      expect(stderrLines(run)).toEqual(['fleetstat: cannot write the output: ENOSPC: no space left on device, write']);
    } finally {
      closeSync(full);
    }
  });

  test('ENOSPC with --json: the same one line (there is nowhere to write a JSON error)', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = fleetstat(['scan', localInventory, '--json'], { stdout: ['ignore', full, 'pipe'] });
      expect([run.status, stderrLines(run)]).toEqual([16, ['fleetstat: cannot write the output: ENOSPC: no space left on device, write']]);
    } finally {
      closeSync(full);
    }
  });

  test('EPIPE (the reader is gone): nothing on stderr, exit 16', async () => {
    const child = spawn(process.execPath, [runJs, 'scan', localInventory], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // as `| head -1` does once it has its line: the read end is closed
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = await once(child, 'close');
    expect(code).toBe(16);
    expect(stderr).toBe('');
  });
});
