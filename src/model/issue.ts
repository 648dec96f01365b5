// A problem found while reading input. Never thrown for one bad line: collected and reported.

export type ParseIssueKind =
  | 'missing-header' // the first line is not the header the kernel writes
  | 'too-few-fields' // a line has fewer columns than the format needs
  | 'bad-number' // a numeric (hex or decimal) column does not parse
  | 'bad-address' // an address column has the wrong length or characters
  | 'unknown-state' // a state code the kernel does not define
  | 'truncated-line' // the last line ends without a newline and is incomplete
  | 'bad-line' // a line that fits no form the file can have
  | 'unreadable' // the host could not read the file (it exists, or existed a moment before)
  | 'missing-section' // the capture lacks a section the script always writes
  | 'forged-line' // a line another line's name wrote (a newline in a socket name): not a row of its own
  | 'format-version' // the capture was written in a format version this fleetstat does not read
  | 'too-many-issues'; // a file had more bad lines than are kept (parse/lines.ts MAX_ISSUES_PER_FILE): how many more

export interface ParseIssue {
  kind: ParseIssueKind;
  /** the file as read on the host, e.g. `/proc/net/tcp6` or `/proc/4242/net/udp` */
  file: string;
  /** 1-based line number in that file; 0 when the file as a whole is at fault */
  line: number;
  /** the column or field name, e.g. `local_address` */
  field?: string;
  message: string;
}

export interface Parsed<T> {
  rows: T[];
  issues: ParseIssue[];
}
