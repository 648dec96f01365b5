// Runs the real collection script on this machine under a given shell (bash, dash, busybox sh with a
// PATH of busybox applets only), in an empty environment but for PATH, and reads it as a scan would.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHostView, type HostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import { newMarker, scriptInput, type CollectionWanted } from '../../src/capture/script.js';
import { splitCapture } from '../../src/capture/split.js';
import { hasCommand } from '../helpers/requirements.js';

/** What these runs need of the machine, for describeIf. */
export const LOCAL_SHELLS_NEED = [...(hasCommand('busybox') ? [] : ['busybox']), ...(hasCommand('dash') ? [] : ['dash'])];

export const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

/** Runs the script with `shell -s`, in an empty environment but for PATH. */
export function collectWith(shell: string[], path: string, wanted: CollectionWanted = {}): { view: HostView; stderr: string; complete: boolean } {
  const marker = newMarker();
  const [file, ...args] = shell as [string, ...string[]];
  const run = spawnSync(file, [...args, '-s'], { input: scriptInput(marker, undefined, wanted), env: { PATH: path }, maxBuffer: 256 * 1024 * 1024 });
  expect([run.error?.message, run.status]).toEqual([undefined, 0]);
  const capture = splitCapture(run.stdout, marker);
  return { view: buildHostView(capture, bundledServices()), stderr: run.stderr.toString(), complete: capture.complete };
}

/** A new temporary directory holding nothing but busybox applets (its `sh` among them); the caller removes it. */
export function busyboxAppletDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleetstat-busybox-'));
  const busybox = execFileSync('sh', ['-c', 'command -v busybox']).toString().trim();
  for (const applet of execFileSync(busybox, ['--list']).toString().split('\n').filter(Boolean)) {
    symlinkSync(busybox, join(dir, applet));
  }
  return dir;
}
