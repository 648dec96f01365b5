// The one fixed collection script, and how it is started on a host.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The script is a file beside this module (src/capture/collect.sh; the build copies it to
 * dist/capture/), so the package ships it and tests can run it under each shell. Read once.
 */
let cached: string | undefined;
export function collectionScript(): string {
  cached ??= readFileSync(new URL('./collect.sh', import.meta.url), 'utf8');
  return cached;
}

/** A fresh, unguessable section marker for one run. */
export function newMarker(): string {
  return 'FLEETSTAT' + randomBytes(16).toString('hex');
}

/** The command a transport runs; the script itself arrives on stdin, so argv shows no marker. */
export const REMOTE_COMMAND = 'sh -s';
/** The same as root, for ansible_become / --sudo: `-n` fails at once where sudo would ask for a password. */
export const BECOME_COMMAND = 'sudo -n sh -s';

/**
 * What is written to the command's stdin: the marker line, the collection's own deadline, then the
 * script. With `deadlineSeconds` the script's watchdog kills everything of the collection on the host
 * that many seconds after it started (give it the command deadline: it starts a little after the
 * transport's own clock, so the transport gives up first, and the host cleans up soon after).
 */
export function scriptInput(marker: string, deadlineSeconds?: number, wanted: CollectionWanted = {}): Buffer {
  const deadline = deadlineSeconds === undefined ? '' : `D=${Math.max(1, Math.ceil(deadlineSeconds))}\n`;
  const listening = wanted.listeningTcpOnly ? 'L=1\n' : '';
  return Buffer.from(`M=${marker}\n${deadline}${listening}${collectionScript()}`, 'utf8');
}

/** What a scan needs of the host beyond the whole collection's default. */
export interface CollectionWanted {
  /**
   * only TCP sockets in LISTEN (the tcp tables' other rows are left on the host): for a scan that
   * shows listeners only and saves no snapshot, so that a host with hundreds of thousands of
   * connections still fits the byte cap
   */
  listeningTcpOnly?: boolean;
}
