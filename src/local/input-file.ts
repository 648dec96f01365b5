// Reads one local input file (an inventory, a --limit @file, an ssh_config, a known_hosts file, a
// private key) with bounds. Every loader reads through here, so that none of them can be handed
// something that never ends (`/dev/zero`), blocks forever (a FIFO with no writer), or has a side
// effect when opened (some devices act on open(2)).
//
// - The path is stat(2)ed before it is opened: anything but a regular file is refused unopened, but
//   for the null device, which reads as empty (`-F /dev/null` is how ssh users say "no config").
// - It is opened O_NONBLOCK | O_NOCTTY and fstat(2)ed again (it may have been swapped in between).
// - Its size is capped per kind, both by st_size and by what a read really returns (files in /proc
//   say size 0 and still have content).
// Errors from the system (ENOENT, EACCES, ELOOP…) are thrown as they come, so each loader keeps its
// own wording; a refusal here is an InputFileError whose message is the reason; running out of file
// descriptors is a LocalResourceError, which ends the run.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { asLocalResourceError } from './resource-error.js';

const MiB = 1024 * 1024;

/** The largest file fleetstat reads of each kind. */
export const INPUT_FILE_LIMITS = {
  inventory: { maxBytes: 64 * MiB, label: 'an inventory' }, // far more than 100k hosts with vars
  'limit-file': { maxBytes: 16 * MiB, label: 'a --limit file' },
  'ssh-config': { maxBytes: 16 * MiB, label: 'an ssh_config file' },
  'known-hosts': { maxBytes: 256 * MiB, label: 'a known_hosts file' }, // ~300k RSA host lines
  'private-key': { maxBytes: 1 * MiB, label: 'a private key' }, // OpenSSH's authfile.c MAX_KEY_FILE_SIZE
  policy: { maxBytes: 16 * MiB, label: 'a policy file' },
  'scan-json': { maxBytes: 500 * MiB, label: 'a scan JSON document' }, // under V8's longest string; snapshots stream instead
} as const;

export type InputFileKind = keyof typeof INPUT_FILE_LIMITS;

export class InputFileError extends Error {
  constructor(
    readonly code: 'not-regular-file' | 'too-large',
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputFileError';
  }
}

const READ_CHUNK = 64 * 1024;

/** Why a local file could not be read, as every loader words it: `no such file`, `permission denied`, else the system's message. */
export function readFailureReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
}

/** The bytes of a local input file of this kind, within its limit. */
export function readInputFile(path: string, kind: InputFileKind): Buffer {
  const { maxBytes, label } = INPUT_FILE_LIMITS[kind];
  return readBoundedFile(path, maxBytes, label);
}

/** The same, as UTF-8 text. */
export function readInputText(path: string, kind: InputFileKind): string {
  return readInputFile(path, kind).toString('utf8');
}

/** readInputFile with an explicit limit; `label` names the kind in the refusal (`a known_hosts file`). */
export function readBoundedFile(path: string, maxBytes: number, label: string): Buffer {
  const doing = `reading ${path}`;
  const fail = (err: unknown): never => {
    throw asLocalResourceError(err, doing) ?? err;
  };
  let before: Stats;
  try {
    before = statSync(path);
  } catch (err) {
    return fail(err);
  }
  // `-F /dev/null`, `UserKnownHostsFile /dev/null`: the idioms for "none", which ssh reads as empty
  if (isNullDevice(before)) return Buffer.alloc(0);
  refuseUnlessRegular(before, path, maxBytes, label);

  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    return fail(err);
  }
  try {
    refuseUnlessRegular(fstatSync(fd), path, maxBytes, label);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      const n = readSync(fd, chunk, 0, READ_CHUNK, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(path, maxBytes, label);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    return fail(err);
  } finally {
    closeSync(fd);
  }
}

let nullDevice: number | null | undefined;
/** The null device (whatever its path): reading it ends at once; every other device is refused. */
function isNullDevice(st: Stats): boolean {
  if (!st.isCharacterDevice()) return false;
  if (nullDevice === undefined) {
    try {
      const dev = statSync('/dev/null');
      nullDevice = dev.isCharacterDevice() ? dev.rdev : null;
    } catch {
      nullDevice = null;
    }
  }
  return nullDevice !== null && st.rdev === nullDevice;
}

function refuseUnlessRegular(st: Stats, path: string, maxBytes: number, label: string): void {
  // a directory keeps the system's own code: loaders already say what a directory means to them
  if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR' });
  if (!st.isFile()) throw new InputFileError('not-regular-file', path, `is ${fileType(st)}, not a regular file`);
  if (st.size > maxBytes) throw tooLarge(path, maxBytes, label);
}

function tooLarge(path: string, maxBytes: number, label: string): InputFileError {
  return new InputFileError('too-large', path, `is larger than ${formatBytes(maxBytes)}, the most fleetstat reads of ${label}`);
}

function fileType(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

function formatBytes(bytes: number): string {
  return bytes >= MiB && bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}
