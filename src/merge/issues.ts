// Rows of a parse, with its issues added to the host's.
import type { ParseIssue, Parsed } from '../model/index.js';

export function take<T>(parsed: Parsed<T>, issues: ParseIssue[]): T[] {
  for (const issue of parsed.issues) issues.push(issue);
  return parsed.rows;
}
