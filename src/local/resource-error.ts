// This machine ran out of something a run cannot do without (file descriptors: EMFILE, ENFILE).
// Not a host's failure: every host after it would fail the same way, so it ends the run.

const EXHAUSTED: Readonly<Record<string, string>> = {
  EMFILE: 'this process has no file descriptors left (EMFILE)',
  ENFILE: 'the system has no file descriptors left (ENFILE)',
};

export class LocalResourceError extends Error {
  constructor(
    /** the errno code, EMFILE or ENFILE */
    readonly code: string,
    /** what fleetstat was doing, e.g. `connecting to 10.0.0.5:22` */
    readonly doing: string,
    hint = 'raise the limit (ulimit -n) or lower --concurrency',
  ) {
    super(`${EXHAUSTED[code] ?? code} while ${doing}: ${hint}`);
    this.name = 'LocalResourceError';
  }
}

/** The error as a LocalResourceError when it says this machine is out of file descriptors, else null. */
export function asLocalResourceError(err: unknown, doing: string, hint?: string): LocalResourceError | null {
  if (err instanceof LocalResourceError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code !== undefined && code in EXHAUSTED ? new LocalResourceError(code, doing, hint) : null;
}
