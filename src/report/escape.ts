// Every string that came from a remote host is hostile: a process can name itself `\x1b]0;pwned\x07`,
// a unix socket path can hold a newline, a cmdline can start with `=cmd|'/C calc'!A0`.
// These two functions make such text inert for the two places a human reads it: a terminal, a spreadsheet.

// C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F) are \p{Cc}. Line/paragraph separators and the
// bidirectional controls can also reorder or hide what a terminal shows ("Trojan Source", CVE-2021-42574).
// The backslash is escaped too, so that a literal `\x1b` in a name cannot pass for an escaped ESC.
const TERMINAL_UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/gu;
const CONTROLS = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function hex(codePoint: number, digits: number): string {
  return codePoint.toString(16).padStart(digits, '0');
}

/**
 * Makes remote text safe to print to a terminal: control characters become visible escapes
 * (`\n`, `\t`, `\x1b`, `\x9b`, `\u202e`), a backslash becomes `\\`. Everything else (any printable
 * Unicode) is kept as is.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, escapeOne);
}

/**
 * The same escapes, but a backslash is kept as it is: for fleetstat's own one-line messages, whose
 * parts may already be escaped (an inventory error quotes its line with `\t`), never for remote text.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, escapeOne);
}

function escapeOne(ch: string): string {
  const named = NAMED_ESCAPES[ch];
  if (named !== undefined) return named;
  const codePoint = ch.codePointAt(0) ?? 0;
  return codePoint <= 0xff ? `\\x${hex(codePoint, 2)}` : `\\u${hex(codePoint, 4)}`;
}

// OWASP "CSV Injection": a cell starting with one of these is read as a formula by Excel,
// LibreOffice or Google Sheets. LF is added to OWASP's list: some importers trim a leading newline.
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n']);
// A plain decimal number is data, never a formula; prefixing it would turn it into text.
const PLAIN_NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * Neutralises a spreadsheet formula: a cell starting with `=`, `+`, `-`, `@`, TAB, CR or LF gets a
 * leading `'`, which spreadsheets take as "this is text" (OWASP's advice). Plain numbers are left alone.
 * Quoting (commas, quotes, newlines inside the cell) is the CSV writer's job, not this function's.
 */
export function neutraliseCsvCell(text: string): string {
  const first = text.charAt(0);
  if (!FORMULA_TRIGGERS.has(first) || PLAIN_NUMBER.test(text)) return text;
  return `'${text}`;
}

/**
 * A CSV cell of remote text: control characters as the table shows them (`\x1b`, `\n`, a backslash
 * doubled), then formulas neutralised. `cat sockets.csv` cannot retitle a terminal, a newline in a
 * unix path cannot forge a record for a line-based reader, and the cell still says exactly what was there.
 */
export function escapeForCsv(text: string): string {
  return neutraliseCsvCell(escapeForTerminal(text));
}

/** Several values in one CSV cell (the processes of one socket, a host's groups), in the same order in every column. */
export const CSV_LIST_SEPARATOR = ';';

/**
 * Values sharing one CSV cell, `;`-separated. Each element is neutralised on its own too: a
 * spreadsheet opened with `;` as its delimiter (common in European locales) would otherwise split
 * `nginx;=cmd|...` into a formula cell.
 */
export function csvList(values: readonly string[]): string {
  return values.map(escapeForCsv).join(CSV_LIST_SEPARATOR);
}

// JSON.stringify escapes C0 controls (ESC becomes \u001b) but writes DEL, C1 controls (U+009B is a CSI
// on some terminals), line separators and bidi overrides raw. These can only occur inside strings, so
// writing them as \u escapes keeps the same data and makes the JSON safe to print to a terminal.
const TERMINAL_UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function unicodeEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** JSON text with the characters JSON.stringify leaves raw (DEL, C1, separators, bidi) as `\\u` escapes. */
export function terminalSafeJson(json: string): string {
  return json.replace(TERMINAL_UNSAFE_IN_JSON, unicodeEscape);
}

/** `value` as JSON with a 2-space indent and a trailing newline, no control character unescaped. */
export function jsonForTerminal(value: unknown): string {
  return `${terminalSafeJson(JSON.stringify(value, null, 2))}\n`;
}
