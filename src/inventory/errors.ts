// The one error the inventory stage throws: one line, naming file:line:col and what is at fault
// (the command then exits with status 2).

export type InventoryErrorKind =
  | 'unreadable' // the file cannot be read (missing, permission, a directory loop)
  | 'script' // an inventory script (executable, #!): Ansible runs it, fleetstat never does
  | 'yaml-syntax' // not YAML at all
  | 'ini-syntax' // an INI line that fits no form (section, host line, key=value, group name)
  | 'structure' // YAML that is no inventory: wrong shape, unknown key, a name that is not a string
  | 'empty' // nothing in the file, or no host in it
  | 'bad-range' // a host range that does not parse (`web[5:1]`, `web[01:3a]`)
  | 'too-many-hosts' // a range that would expand past MAX_HOSTS_PER_PATTERN
  | 'group-loop' // a group that contains itself, directly or through others
  | 'undeclared-group' // INI: [g:vars] or [p:children] naming a group no section declares
  | 'bad-value' // ansible_group_priority that is no whole number (a host's bad variables are not
  //              errors: that host alone is not contacted, see host-spec.ts)
  | 'bad-limit' // a --limit pattern that does not compile
  | 'no-hosts-selected' // --limit leaves no host (Ansible refuses to run)
  | 'bad-shard'; // a --shard that is no K/N, or `auto` without the job runner's index variables

/** Where something was written: 1-based line and column in the inventory file. */
export interface SourcePos {
  line: number;
  col: number;
}

/** Thrown by the graph and vars.ts, which know a position but not the file: inFile adds the file name. */
export class GraphProblem extends Error {
  constructor(readonly kind: InventoryErrorKind, readonly at: SourcePos, message: string) {
    super(message);
    this.name = 'GraphProblem';
  }
}

export class InventoryError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
    readonly kind: InventoryErrorKind,
  ) {
    // line 0: the file as a whole (missing, unreadable)
    super(line > 0 ? `${file}:${line}:${col}: ${oneLine(detail)}` : `${file}: ${oneLine(detail)}`);
    this.name = 'InventoryError';
  }
}

/** Runs a reader and gives the graph's own errors (which know a position, not the file) the file name. */
export function inFile<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof GraphProblem) throw new InventoryError(file, err.at.line, err.at.col, err.message, err.kind);
    throw err;
  }
}

/** Control characters from the file would break the one-line promise (and a terminal): show them escaped. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
