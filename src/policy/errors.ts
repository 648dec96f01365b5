// The one error the policy loader throws: one line, `FILE:LINE:COL: KEY: what is wrong` (the command
// then exits with status 2). KEY is the path to the key at fault (`groups.web.allowed[1].port`).
import { oneLine } from '../inventory/errors.js';

export type PolicyErrorKind =
  | 'yaml-syntax' // not YAML at all
  | 'unknown-key' // a key the format does not have (the nearest known one is suggested)
  | 'duplicate-key'
  | 'missing-key' // schema, a waiver's rule or justification
  | 'wrong-type' // a list where a string goes, a string where a number goes …
  | 'bad-value' // a port out of range, a range backwards, an unknown protocol or severity, a bad address
  | 'bad-date' // expiration_date that is no real YYYY-MM-DD
  | 'unknown-rule'; // a waiver's rule that is no built-in rule id nor policy.*

export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly key: string,
    readonly detail: string,
    readonly kind: PolicyErrorKind,
  ) {
    // no key: a syntax error, or a document that is no mapping at all
    super(`${file}:${line}:${col}: ${key === '' ? '' : `${oneLine(key)}: `}${oneLine(detail)}`);
    this.name = 'PolicyError';
  }
}
