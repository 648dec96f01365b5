// Python's shlex.split (POSIX mode), the one word splitter Ansible uses for the inventory: the INI
// plugin splits host lines with it (comments=True), the ssh connection plugin splits
// ansible_ssh_args / _common_args / _extra_args with it (comments=False). Pure, one pass.
//
//   whitespace (space, tab, CR, LF) separates words;
//   '…'  everything literal up to the next ';
//   "…"  a backslash escapes only `"` and `\` (before anything else it stays);
//   \x   outside quotes: x, literally (a backslash at the very end is an error);
//   #    with comments: begins a comment up to the end of the line, even in the middle of a word;
//   ''   an empty quoted word is a word.

export interface ShellWord {
  text: string;
  /** offset of the word's first character in the input */
  offset: number;
  /** written without quotes or escapes, so offsets into `text` are offsets into the input */
  plain: boolean;
}

export class ShlexProblem extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'ShlexProblem';
  }
}

const WHITESPACE = ' \t\r\n';

export function shlexSplit(input: string, options: { comments: boolean }): ShellWord[] {
  const words: ShellWord[] = [];
  let current: ShellWord | null = null;
  let i = 0;
  const start = (): ShellWord => (current ??= { text: '', offset: i, plain: true });
  while (i < input.length) {
    const c = input[i]!;
    if (WHITESPACE.includes(c)) {
      if (current) words.push(current);
      current = null;
      i++;
    } else if (c === '#' && options.comments) {
      if (current) words.push(current);
      current = null;
      const end = input.indexOf('\n', i);
      i = end < 0 ? input.length : end;
    } else if (c === "'" || c === '"') {
      const word = start();
      word.plain = false;
      const quoteAt = i;
      i++;
      for (;;) {
        if (i >= input.length) throw new ShlexProblem(`no closing quotation (${c})`, quoteAt);
        const q = input[i]!;
        if (q === c) {
          i++;
          break;
        }
        if (c === '"' && q === '\\' && (input[i + 1] === '"' || input[i + 1] === '\\')) {
          word.text += input[i + 1];
          i += 2;
          continue;
        }
        word.text += q;
        i++;
      }
    } else if (c === '\\') {
      const word = start();
      word.plain = false;
      if (i + 1 >= input.length) throw new ShlexProblem('nothing after the last backslash to escape', i);
      word.text += input[i + 1];
      i += 2;
    } else {
      start().text += c;
      i++;
    }
  }
  if (current) words.push(current);
  return words;
}

// str.isspace() in Python 3: what str.strip() removes (JavaScript's trim() differs on a few)
const PYTHON_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Python's str.strip() with no argument. */
export function pythonStrip(text: string): string {
  return text.replace(PYTHON_SPACE, '');
}
