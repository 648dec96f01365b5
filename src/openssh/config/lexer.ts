// Splitting ssh_config lines into words as OpenSSH does (misc.c strdelim, argv_split). Pure.

export const WHITESPACE = ' \t\r\n';


const isWs = (c: string | undefined): boolean => c !== undefined && WHITESPACE.includes(c);

export function skipWs(s: string, chars = WHITESPACE): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i]!)) i++;
  return s.slice(i);
}

/**
 * misc.c strdelim(): the next token, split at whitespace or one `=`; a `"` starts a quoted part.
 * token null: an unterminated quote. rest null: the line is used up.
 */
export function strdelim(s: string | null): { token: string | null; rest: string | null } {
  if (s === null) return { token: null, rest: null };
  let at = -1;
  for (let i = 0; i < s.length; i++) {
    if (isWs(s[i]) || s[i] === '"' || s[i] === '=') {
      at = i;
      break;
    }
  }
  if (at < 0) return { token: s, rest: null };
  if (s[at] === '"') {
    const after = s.slice(at + 1);
    const close = after.indexOf('"');
    if (close < 0) return { token: null, rest: null };
    return { token: s.slice(0, at) + after.slice(0, close), rest: skipWs(after.slice(close + 1)) };
  }
  const sawEquals = s[at] === '=';
  let rest = skipWs(s.slice(at + 1));
  if (!sawEquals && rest.startsWith('=')) rest = skipWs(rest.slice(1));
  return { token: s.slice(0, at), rest };
}

/**
 * misc.c argv_split(s, terminate_on_comment): words split at blanks, `'` and `"` quotes, backslash
 * escapes of quotes, backslash and (unquoted) space; a `#` starting a word ends the line.
 * null: an unterminated quote.
 */
export function splitArguments(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') break;
    let arg = '';
    let quote = '';
    for (; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === '\\') {
        const next = s[i + 1];
        if (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' ')) {
          arg += next;
          i++;
        } else {
          arg += ch;
        }
      } else if (quote === '' && (ch === ' ' || ch === '\t')) {
        break;
      } else if (quote === '' && (ch === '"' || ch === "'")) {
        quote = ch;
      } else if (quote !== '' && ch === quote) {
        quote = '';
      } else {
        arg += ch;
      }
    }
    if (quote !== '') return null;
    out.push(arg);
  }
  return out;
}
