// Tests that need something of the machine (root, busybox, ip netns, sshd) say so loudly and skip
// when it is missing, except under FLEETSTAT_E2E=required (as .ci/run sets), where a missing tool fails.
import { execFileSync } from 'node:child_process';

export const E2E_REQUIRED = process.env.FLEETSTAT_E2E === 'required';

export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const isRoot = process.getuid?.() === 0;

/** `describe`, or a loud skip naming what is missing (a failure when E2E is required). */
export function describeIf(missing: string[], name: string, body: () => void): void {
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const why = `${name}: needs ${missing.join(', ')}`;
  if (E2E_REQUIRED) {
    describe(name, () => {
      test('has what it needs (FLEETSTAT_E2E=required)', () => {
        throw new Error(`${why}; FLEETSTAT_E2E=required forbids skipping`);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPED ${why} — set up the machine (see .ci/run) to run it ***\n`);
  describe.skip(name, body);
}
