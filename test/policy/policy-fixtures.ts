// Shared by the policy tests: the built-in rule ids, a loader with them, the PolicyError a call throws.
import { loadPolicy, PolicyError, type Policy } from '../../src/policy/index.js';

export const BUILT_IN_RULES: ReadonlySet<string> = new Set(['FS001', 'FS002', 'FS003', 'FS004', 'FS005', 'FS006', 'FS007', 'FS008', 'FS009', 'FS010']);

/** A policy from lines of YAML (joined with newlines), as file `p.yml`. */
export function policyOf(...lines: string[]): Policy {
  return loadPolicy(`${lines.join('\n')}\n`, 'p.yml', BUILT_IN_RULES);
}

/** The PolicyError loading these lines throws (any other outcome fails the test). */
export function policyErrorOf(...lines: string[]): PolicyError {
  try {
    policyOf(...lines);
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('no PolicyError was thrown');
}
