// Shell globs for the --process, --user and --netns filters: `*`, `?`, `[...]` (`[!...]`/`[^...]`,
// ranges, `]` first is literal) and `\` escapes, matched case-sensitively against the whole name, as
// fnmatch(3) without flags. Names come from remote hosts (an argv[0] can be 128 KiB), so the matcher
// never builds a RegExp and never backtracks past the last `*`: at most (name length + 1) × (pattern
// tokens + 1) steps, whatever the name.

type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; cp: number }
  | { kind: 'class'; negated: boolean; ranges: ReadonlyArray<readonly [number, number]> };

export interface Glob {
  /** the pattern as given */
  readonly source: string;
  readonly tokens: readonly Token[];
}

export class GlobError extends Error {
  constructor(readonly pattern: string, detail: string) {
    super(`${JSON.stringify(pattern)}: ${detail}`);
    this.name = 'GlobError';
  }
}

/** The code points of a string, as [code point, UTF-16 width] at each index. */
function codePointAt(text: string, i: number): [number, number] {
  const cp = text.codePointAt(i)!;
  return [cp, cp > 0xffff ? 2 : 1];
}

/** Reads a bracket expression that starts at `open` (the `[`); null when it never closes (then `[` is literal, as fnmatch). */
function readClass(pattern: string, open: number): { token: Token; end: number } | null {
  let i = open + 1;
  let negated = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: Array<readonly [number, number]> = [];
  let first = true;
  while (i < pattern.length) {
    if (pattern[i] === ']' && !first) return { token: { kind: 'class', negated, ranges }, end: i + 1 };
    first = false;
    if (pattern[i] === '[' && /^\[:[a-z]+:\]/.test(pattern.slice(i, i + 12))) {
      throw new GlobError(pattern, 'POSIX character classes ([:alpha:]) are not supported; list the characters ([a-zA-Z])');
    }
    const [lo, loWidth] = literalAt(pattern, i);
    i += loWidth;
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      const [hi, hiWidth] = literalAt(pattern, i + 1);
      if (hi < lo) throw new GlobError(pattern, `the range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)} is reversed`);
      ranges.push([lo, hi]);
      i += 1 + hiWidth;
    } else {
      ranges.push([lo, lo]);
    }
  }
  return null;
}

/** One literal character at `i`: a `\`-escaped one (two characters read) or itself. */
function literalAt(pattern: string, i: number): [number, number] {
  if (pattern[i] === '\\' && i + 1 < pattern.length) {
    const [cp, width] = codePointAt(pattern, i + 1);
    return [cp, width + 1];
  }
  return codePointAt(pattern, i);
}

/** A pattern, checked and tokenised once (a flag's value); throws GlobError on a pattern it cannot mean. */
export function compileGlob(pattern: string): Glob {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '*') {
      // `**` is `*`: consecutive stars would only add steps
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
      i++;
    } else if (c === '[') {
      const read = readClass(pattern, i);
      if (read === null) {
        tokens.push({ kind: 'char', cp: 0x5b });
        i++;
      } else {
        tokens.push(read.token);
        i = read.end;
      }
    } else {
      const [cp, width] = literalAt(pattern, i);
      tokens.push({ kind: 'char', cp });
      i += width;
    }
  }
  return { source: pattern, tokens };
}

function matchesOne(token: Token, cp: number): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.cp === cp;
    case 'class': {
      const inside = token.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
      return inside !== token.negated;
    }
    case 'star':
      return false;
  }
}

/**
 * Whether the whole of `text` matches, and how many steps it took. Greedy, with a restart only at
 * the last `*` seen: a later star can take whatever an earlier one would have, so earlier choices
 * never need revisiting (the classic wildcard matcher; no exponential case exists).
 */
export function matchGlobCounting(glob: Glob, text: string): { matched: boolean; steps: number } {
  const { tokens } = glob;
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  let steps = 0;
  while (t < text.length) {
    steps++;
    const token = tokens[p];
    if (token?.kind === 'star') {
      starP = p++;
      starT = t;
      continue;
    }
    const [cp, width] = codePointAt(text, t);
    if (token !== undefined && matchesOne(token, cp)) {
      p++;
      t += width;
      continue;
    }
    if (starP < 0) return { matched: false, steps };
    // the last star takes one more character; the tokens after it start again there
    p = starP + 1;
    starT += codePointAt(text, starT)[1];
    t = starT;
  }
  while (tokens[p]?.kind === 'star') p++;
  return { matched: p === tokens.length, steps };
}

export function globMatches(glob: Glob, text: string): boolean {
  return matchGlobCounting(glob, text).matched;
}

/** Whether any of the globs matches `text` (the values of one repeated flag are OR'ed). */
export function anyGlobMatches(globs: readonly Glob[], text: string): boolean {
  return globs.some((g) => globMatches(g, text));
}
