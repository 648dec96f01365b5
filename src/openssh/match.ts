// OpenSSH's pattern matcher (match.c), shared by ssh_config (Host, Match) and known_hosts. Pure.


/** match.c match_pattern(): `*` and `?` wildcards, case-sensitive. */
export function matchPattern(s: string, pattern: string): boolean {
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const p = pattern[pi];
    if (p === '*') {
      starP = ++pi;
      starS = si;
    } else if (p !== undefined && (p === '?' || p === s[si])) {
      pi++;
      si++;
    } else if (starP >= 0) {
      pi = starP;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

/**
 * match.c match_pattern_list(): a comma list of patterns, each maybe `!`-negated.
 * 1 a positive match, -1 a negated pattern matched (which wins), 0 no match.
 */
export function matchPatternList(s: string, patterns: string, lowercasePatterns: boolean): -1 | 0 | 1 {
  let positive = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    let sub = negated ? raw.slice(1) : raw;
    if (sub.length >= 1023) return 0; // as OpenSSH: an over-long subpattern fails the whole list
    if (lowercasePatterns) sub = asciiLower(sub);
    if (matchPattern(s, sub)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** match.c match_hostname(): match_pattern_list on the lowercased host, patterns lowercased. */
export function matchHostname(host: string, patterns: string): -1 | 0 | 1 {
  return matchPatternList(asciiLower(host), patterns, true);
}

/** C tolower() in the C locale: ASCII letters only. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
