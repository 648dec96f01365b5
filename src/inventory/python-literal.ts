// INI inventory values as Ansible types them: lib/ansible/plugins/inventory/ini.py _parse_value runs
// Python's ast.literal_eval on the text and keeps the text itself when that fails. So `2222` is a
// number, `"deploy"` is deploy (quotes gone), `True` is a boolean, `yes` stays the string "yes",
// `[1, 2]` is a list and `10.0.0.1` (not a Python literal) stays a string.
// This reads the literals literal_eval accepts: str/bytes (prefixes, escapes, adjacent
// concatenation), int (0x/0o/0b, underscores), float, True/False/None, unary +/-, list, tuple,
// dict, set, and a trailing `# comment`. Complex numbers are not read (they stay text). Pure.

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/** literal_eval(text), or the text itself where Python would raise ValueError/SyntaxError. */
export function pythonLiteralOrText(text: string): PyValue {
  try {
    return new LiteralParser(text).parseAll();
  } catch (err) {
    if (err instanceof NotALiteral) return text;
    throw err;
  }
}

class NotALiteral extends Error {}

type Token =
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'punct'; value: string };

const NUMBER = new RegExp(
  '^(?:' +
    [
      '0[xX](?:_?[0-9a-fA-F])+',
      '0[oO](?:_?[0-7])+',
      '0[bB](?:_?[01])+',
      // floats before ints, so `1.5` is not `1` then `.5`
      '(?:[0-9](?:_?[0-9])*)?\\.[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?',
      '[0-9](?:_?[0-9])*\\.(?:[eE][+-]?[0-9](?:_?[0-9])*)?',
      '[0-9](?:_?[0-9])*[eE][+-]?[0-9](?:_?[0-9])*',
      '0(?:_?0)*',
      '[1-9](?:_?[0-9])*',
    ].join('|') +
    ')',
);
const NAME = /^[\p{L}_][\p{L}\p{N}_]*/u;
const STRING_START = /^([rRuUbB]|[bB][rR]|[rR][bB])?('''|"""|'|")/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '#') break; // a comment runs to the end of the line
    const rest = text.slice(i);
    const str = STRING_START.exec(rest);
    if (str) {
      const prefix = (str[1] ?? '').toLowerCase();
      const quote = str[2]!;
      const [value, length] = readString(rest.slice(str[0].length), quote, prefix.includes('r'));
      tokens.push({ kind: 'str', value });
      i += str[0].length + length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      const after = rest[num[0].length];
      if (after !== undefined && /[\p{L}\p{N}_.]/u.test(after)) throw new NotALiteral(); // `1abc`, `1j`, `10.0.0.1`
      tokens.push({ kind: 'num', value: pythonNumber(num[0]) });
      i += num[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if ('[](){},:+-'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
      continue;
    }
    throw new NotALiteral();
  }
  return tokens;
}

function pythonNumber(text: string): number {
  const t = text.replace(/_/g, '');
  if (/^0[xX]/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[oO]/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[bB]/.test(t)) return parseInt(t.slice(2), 2);
  return Number(t);
}

/** Reads a string body after its opening quote; returns the value and the characters consumed. */
function readString(body: string, quote: string, raw: boolean): [string, number] {
  let out = '';
  let i = 0;
  while (i < body.length) {
    if (body.startsWith(quote, i)) return [out, i + quote.length];
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined) break;
      if (raw) {
        out += c + next; // in a raw string the backslash stays, but still keeps the quote from ending it
        i += 2;
        continue;
      }
      const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
      if (next in simple) {
        out += simple[next];
        i += 2;
        continue;
      }
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1));
      if (octal) {
        out += String.fromCodePoint(parseInt(octal[0], 8));
        i += 1 + octal[0].length;
        continue;
      }
      const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      if (hexLength) {
        const hex = body.slice(i + 2, i + 2 + hexLength);
        if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) throw new NotALiteral();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw new NotALiteral();
        out += String.fromCodePoint(code);
        i += 2 + hexLength;
        continue;
      }
      if (next === 'N') throw new NotALiteral(); // \N{NAME}: not worth a Unicode name table
      out += c + next; // an unknown escape keeps its backslash, as in Python
      i += 2;
      continue;
    }
    if (quote.length === 1 && (c === '\n' || c === '\r')) break;
    out += c;
    i++;
  }
  throw new NotALiteral(); // unterminated
}

class LiteralParser {
  private readonly tokens: Token[];
  private at = 0;

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  parseAll(): PyValue {
    if (this.tokens.length === 0) throw new NotALiteral();
    const first = this.value();
    // `1, 2` at the top is a tuple, as in Python's eval mode
    if (this.peekPunct(',')) {
      const items = [first];
      while (this.takePunct(',')) {
        if (this.at >= this.tokens.length) break;
        items.push(this.value());
      }
      if (this.at < this.tokens.length) throw new NotALiteral();
      return items;
    }
    if (this.at < this.tokens.length) throw new NotALiteral();
    return first;
  }

  private value(): PyValue {
    const token = this.tokens[this.at++];
    if (!token) throw new NotALiteral();
    switch (token.kind) {
      case 'str': {
        let s = token.value;
        while (this.tokens[this.at]?.kind === 'str') s += (this.tokens[this.at++] as { value: string }).value;
        return s;
      }
      case 'num':
        return token.value;
      case 'name':
        if (token.value === 'True') return true;
        if (token.value === 'False') return false;
        if (token.value === 'None') return null;
        throw new NotALiteral();
      case 'punct':
        return this.compound(token.value);
    }
  }

  private compound(open: string): PyValue {
    if (open === '+' || open === '-') {
      const operand = this.tokens[this.at];
      // literal_eval takes one sign, right on a number (`--5` is not a literal)
      if (operand?.kind !== 'num') throw new NotALiteral();
      this.at++;
      return open === '-' ? -operand.value : operand.value;
    }
    if (open === '[') return this.sequence(']');
    if (open === '(') {
      // `(x)` is x; `(x,)` and `()` are tuples
      if (this.takePunct(')')) return [];
      const first = this.value();
      if (this.takePunct(')')) return first;
      if (!this.takePunct(',')) throw new NotALiteral();
      return [first, ...this.sequence(')')];
    }
    if (open === '{') return this.mapping();
    throw new NotALiteral();
  }

  private sequence(close: string): PyValue[] {
    const items: PyValue[] = [];
    while (!this.takePunct(close)) {
      items.push(this.value());
      if (!this.takePunct(',')) {
        if (!this.takePunct(close)) throw new NotALiteral();
        break;
      }
    }
    return items;
  }

  private mapping(): PyValue {
    if (this.takePunct('}')) return {};
    const first = this.value();
    if (!this.takePunct(':')) {
      // a set: kept as a list
      const items = [first];
      while (this.takePunct(',')) {
        if (this.takePunct('}')) return items;
        items.push(this.value());
      }
      if (!this.takePunct('}')) throw new NotALiteral();
      return items;
    }
    const out: { [key: string]: PyValue } = {};
    let key = first;
    for (;;) {
      if (key !== null && typeof key === 'object') throw new NotALiteral(); // unhashable key
      out[String(key)] = this.value();
      if (this.takePunct('}')) return out;
      if (!this.takePunct(',')) throw new NotALiteral();
      if (this.takePunct('}')) return out;
      key = this.value();
      if (!this.takePunct(':')) throw new NotALiteral();
    }
  }

  private peekPunct(p: string): boolean {
    const t = this.tokens[this.at];
    return t?.kind === 'punct' && t.value === p;
  }

  private takePunct(p: string): boolean {
    if (!this.peekPunct(p)) return false;
    this.at++;
    return true;
  }
}
