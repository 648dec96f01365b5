// The glob matcher of --process/--user/--netns: fnmatch(3)'s meaning (checked against Python's
// fnmatch.fnmatchcase on the syntax both share), and a bounded number of steps on names a hostile
// host chose.
import { spawnSync } from 'node:child_process';
import { compileGlob, globMatches, GlobError, matchGlobCounting } from '../../src/result/glob.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';

const matches = (pattern: string, text: string) => globMatches(compileGlob(pattern), text);

describe('what a glob matches', () => {
  test.each<[string, string, boolean]>([
    ['sshd', 'sshd', true],
    ['sshd', 'sshd2', false],
    ['sshd', 'SSHD', false], // case-sensitive, as comm and user names are
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['ss*', 'sshd', true],
    ['*d', 'sshd', true],
    ['*h*', 'sshd', true],
    ['*x*', 'sshd', false],
    ['s?hd', 'sshd', true],
    ['s?hd', 'shd', false],
    ['???', 'abc', true],
    ['???', 'abcd', false],
    ['python3*', 'python3.11', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYYcZ', false],
    ['a*b*c', 'acb', false],
    ['**a', 'ba', true],
    // bracket expressions
    ['[ab]*', 'apache2', true],
    ['[ab]*', 'nginx', false],
    ['[!ab]*', 'nginx', true],
    ['[^ab]*', 'apache2', false],
    ['php-fpm[0-9]', 'php-fpm8', true],
    ['php-fpm[0-9]', 'php-fpmX', false],
    ['[]]', ']', true], // `]` first is literal
    ['[!]]', 'x', true],
    ['[!]]', ']', false],
    ['[a-]', '-', true], // `-` last is literal
    ['[\\]]', ']', true],
    ['x[', 'x[', true], // an unclosed `[` is itself, as fnmatch
    ['[abc', '[abc', true],
    ['[abc', 'a', false],
    ['net:\\[4026531840]', 'net:[4026531840]', true],
    ['net:[[]4026*', 'net:[4026532522]', true],
    ['net:[4026*', 'net:[4026532522]', true], // `[` never closed: literal
    ['net:[4026]*', 'net:[4026532522]', false], // `[4026]` is one of 4, 0, 2, 6
    // escapes
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['a\\?', 'a?', true],
    ['a\\', 'a\\', true], // a trailing backslash is itself
    // code points, not UTF-16 units
    ['?', '😀', true],
    ['[😀]', '😀', true],
    ['a?c', 'a😀c', true],
    ['nginx: *', 'nginx: worker process', true],
  ])('%j against %j: %s', (pattern, text, expected) => {
    expect(matches(pattern, text)).toBe(expected);
  });

  test.each([
    ['[[:alpha:]]*', /POSIX character classes/],
    ['[z-a]', /the range z-a is reversed/],
  ])('%j is refused, saying why', (pattern, why) => {
    expect(() => compileGlob(pattern)).toThrow(GlobError);
    expect(() => compileGlob(pattern)).toThrow(why);
  });
});

describe('hostile names stay bounded', () => {
  // the patterns whose backtracking explodes in a naive matcher (and in RegExps built from them)
  test.each<[string, string, boolean]>([
    ['*a*a*a*a*a*a*a*b', '', false],
    ['*a*a*a*a*a*a*a*a', '', true],
    ['a*a*a*a*a*a*?b', 'c', false],
    ['*[ab]*[ab]*[ab]*c', '', false],
    ['*?*?*?*?*?*?x', '', false],
    ['*aaaaaaaaaab', '', false], // each restart of the last star re-reads ten characters
  ])('%j over 100k × "a" then %j: %s, in at most (name + 1) × (tokens + 1) steps', (pattern, tail, expected) => {
    const text = 'a'.repeat(100_000) + tail;
    const glob = compileGlob(pattern);
    const { matched, steps } = matchGlobCounting(glob, text);
    expect(matched).toBe(expected);
    expect(steps).toBeLessThanOrEqual((text.length + 1) * (glob.tokens.length + 1));
  });

  test('the steps grow linearly with the name (twice the name: at most twice the steps, plus one pass)', () => {
    const glob = compileGlob('*a*a*a*b');
    const steps = (n: number) => matchGlobCounting(glob, 'a'.repeat(n)).steps;
    expect(steps(200_000)).toBeLessThanOrEqual(2 * steps(100_000) + glob.tokens.length + 1);
  });

  test('a name longer than any argv[0] (1 MiB) is matched', () => {
    expect(matches('*/python3', `${'/x'.repeat(512 * 1024)}/python3`)).toBe(true);
  });
});

// Python's fnmatch is the reference for the syntax both know (no POSIX classes, no escapes: Python
// treats `\` as a literal, fnmatch(3) as an escape — left out here).
describeIf(hasCommand('python3') ? [] : ['python3'], 'the same answers as Python\'s fnmatch.fnmatchcase', () => {
  const patterns = ['*', '?', 'a*', '*a', 'a?c', '[ab]*', '[!ab]*', '[a-c]?', '[]a]', '[!]a]', 'x[', '[a-]*', '*[0-9]', 'a*b*c', '**'];
  const names = ['', 'a', 'b', 'c', ']', '-', 'x[', 'abc', 'acb', 'ba', 'a1', 'zz9', 'aXbYc', 'python3', '[a'];
  test('every pattern against every name', () => {
    const script = `import fnmatch, json, sys\nd = json.load(sys.stdin)\nprint(json.dumps([[fnmatch.fnmatchcase(n, p) for n in d["names"]] for p in d["patterns"]]))`;
    const run = spawnSync('python3', ['-c', script], { input: JSON.stringify({ patterns, names }), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const expected = JSON.parse(run.stdout) as boolean[][];
    expect(patterns.map((p) => names.map((n) => matches(p, n)))).toEqual(expected);
  });
});
