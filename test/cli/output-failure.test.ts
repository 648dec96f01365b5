// stdout that cannot be written: a full disk is one line and exit 16; a reader that went away
// (`fleetstat scan … | head -1`) is silence and exit 16, as coreutils say nothing on SIGPIPE.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { once } from 'node:events';
import { cleanEnv, fleetstat, localInventory, runJs, stderrLines } from '../helpers/run-cli.js';

const SUMMARY = /^fleetstat: 1 host: 1 (ok|partial)$/;

describe('a failed write to stdout', () => {
  test('ENOSPC (stdout is /dev/full): one line naming it, exit 16, no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = fleetstat(['scan', localInventory, '-l'], { stdout: ['ignore', full, 'pipe'] });
      expect(run.status).toBe(16);
      const lines = stderrLines(run);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(SUMMARY);
      expect(lines[1]).toBe('fleetstat: cannot write the output: ENOSPC: no space left on device, write');
    } finally {
      closeSync(full);
    }
  });

  test('ENOSPC with --json: the same one line (there is nowhere to write a JSON error)', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = fleetstat(['scan', localInventory, '--json'], { stdout: ['ignore', full, 'pipe'] });
      expect([run.status, stderrLines(run).slice(1)]).toEqual([16, ['fleetstat: cannot write the output: ENOSPC: no space left on device, write']]);
    } finally {
      closeSync(full);
    }
  });

  test('EPIPE (the reader is gone): nothing but the summary on stderr, exit 16', async () => {
    const child = spawn(process.execPath, [runJs, 'scan', localInventory], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // as `| head -1` does once it has its line: the read end is closed
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = await once(child, 'close');
    expect(code).toBe(16);
    expect(stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(SUMMARY)]);
  });
});
