// Host names folded as ClusterShell's `nodeset -f` folds them: hand cases, then generated sets
// compared with the real nodeset.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldNodeset } from '../../src/merge/nodeset.js';
import { fleetShapes, int, rng, type Rand } from '../helpers/host-names.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';

const zeros = (n: number) => '0'.repeat(n);

// Merges nodeset's every-pair pass makes and does not make: a vector the scan has passed is not
// looked at again in that pass, even once a later merge lets it join (found by search, then shrunk).
const NOT_LOOKED_BACK = [
  ...['2x3', '2x4', '2x5', '2x6', '3x3', '3x4', '3x5', '3x6', '4x3', '4x4', '4x6', '5x3', '5x4', '5x5', '5x6', '6x3', '6x4', '6x5', '6x6'].map((v) => `n5x${v}x4`),
  ...['2x3', '2x4', '2x5', '3x3', '3x4', '3x5', '4x3', '4x4', '4x5', '5x3', '5x4', '5x5', '6x3', '6x4', '6x5'].map((v) => `n6x${v}x4`),
  ...['2x5x6', '2x5x7', '2x5x8', '3x5x7', '3x5x8', '4x5x4', '4x5x7', '4x5x8', '5x5x5', '5x5x8', '6x5x6', '6x5x7'].map((v) => `n5x${v}`),
  ...['2x5x5', '2x5x6', '2x5x7', '2x5x8'].map((v) => `n6x${v}`),
];

/** What proves what, the names, and what nodeset -f prints for them (checked against it below). */
const HAND_CASES: [string, string[], string][] = [
  [
    'the brief: numbered, IPv4, two runs, no digits, FQDN, in nodeset order',
    ['web01', 'web02', 'web03', 'web05', '10.0.0.1', '10.0.0.2', '10.0.1.1', 'r1n01', 'r1n02', 'r2n01', 'r2n02', 'foo', 'bar', 'a.example.com'],
    '10.0.0.[1-2],10.0.1.1,a.example.com,bar,foo,r[1-2]n[01-02],web[01-03,05]',
  ],
  ['no names: nothing', [], ''],
  ['a name given twice counts once', ['web02', 'web01', 'web02'], 'web[01-02]'],
  ['one node: no brackets', ['web01'], 'web01'],
  ['web01 and web1 are different nodes', ['web1', 'web01'], 'web[1,01]'],
  ['mixed padding: shorter first, a run keeps its padding', ['web001', 'web02', 'web1', 'web01', 'web2'], 'web[1-2,01-02,001]'],
  ['a padded run goes on into the unpadded indexes of its length', ['n08', 'n09', 'n10', 'n11'], 'n[08-11]'],
  ['an unpadded run goes on into longer indexes', ['n9', 'n10', 'n11'], 'n[9-11]'],
  ['9 sorts before 09, which runs on into 10', ['10', '09', '9'], '[9,09-10]'],
  ['leading zeros as written', ['node007', 'node008', 'node010'], 'node[007-008,010]'],
  ['all-digit names fold; their pattern sorts before letters', ['a', '3', '1', '2', '10'], '[1-3,10],a'],
  ['names without digits: sorted as strings (upper case first)', ['foo', 'bar', 'Baz'], 'Baz,bar,foo'],
  ['no autostep: a stride is listed', ['n1', 'n3', 'n5'], 'n[1,3,5]'],
  ['a broken stride ends in a run', ['n1', 'n3', 'n4', 'n5', 'n7'], 'n[1,3-5,7]'],
  ['a digit run sorts as its placeholder: web1 before web-gw', ['web-gw', 'web1'], 'web1,web-gw'],
  ['a literal % sorts doubled, and prints once', ['a1', 'a%t', 'a%1'], 'a%1,a%t,a1'],
  ['one varying run of several: one part', ['r1n3', 'r1n1', 'r1n2'], 'r1n[1-3]'],
  ['a 2×2×2 block is one part', ['r1c1n1', 'r1c1n2', 'r1c2n1', 'r1c2n2', 'r2c1n1', 'r2c1n2', 'r2c2n1', 'r2c2n2'], 'r[1-2]c[1-2]n[1-2]'],
  [
    'not a rectangle: the merges nodeset makes, in its order',
    ['web01.dc1.example.com', 'web02.dc1.example.com', 'web01.dc2.example.com'],
    'web01.dc[1-2].example.com,web02.dc1.example.com',
  ],
  [
    'IPv4 addresses: four runs, merged along the last first',
    ['10.0.0.1', '10.0.0.2', '10.0.1.1', '10.0.1.2', '10.0.2.7'],
    '10.0.[0-1].[1-2],10.0.2.7',
  ],
  [
    'past 2^64: exact',
    ['n18446744073709551617', 'n18446744073709551615', 'n18446744073709551616'],
    'n[18446744073709551615-18446744073709551617]',
  ],
  ['past 2^53: exact (doubles would make these one number)', ['n9007199254740993', 'n9007199254740992'], 'n[9007199254740992-9007199254740993]'],
  ['an index of 1e100 (10^100) still folds', [`n1${zeros(100)}`, `n${zeros(101)}`], `n[${zeros(101)},1${zeros(100)}]`],
  [
    'the every-pair pass does not look back',
    NOT_LOOKED_BACK,
    'n[5-6]x[2-6]x[3-5]x4,n5x[2-6]x6x4,n5x[3-4]x5x[7-8],n6x2x5x[5-8],n5x2x5x[6-8],n5x5x5x[5,8],n5x6x5x[6-7]',
  ],
];

describe('foldNodeset: hand cases', () => {
  test.each(HAND_CASES)('%s', (_what, names, expected) => {
    expect(foldNodeset(names)).toBe(expected);
  });
});

describe('foldNodeset: names nodeset would misread', () => {
  // each would be parsed as nodeset syntax (operators, ranges, groups, wildcards, whitespace, a stdin
  // comment), printed back changed (non-ASCII digits), refused (an index above 1e100), or is empty
  const hostile = [
    'a,b',
    'web[1-2]',
    'web]1',
    'db!2',
    'db&2',
    'db^2',
    '@group',
    'db*',
    'db?',
    'x y',
    ' web1',
    'tab\there',
    'line\nbreak',
    'hash#1',
    'q"uote',
    'back\\slash',
    'wéb1',
    'web٣',
    'web\u202e1',
    '\ud800lone',
    '',
    `n2${zeros(100)}`,
  ];

  test('each is printed alone, after the folded parts, as a JSON string in code-unit order', () => {
    const out = foldNodeset(['web1', 'web2', ...hostile, 'web3']);
    const [folded, ...rest] = splitParts(out);
    expect(folded).toBe('web[1-3]');
    expect(rest.every((part) => part.startsWith('"'))).toBe(true);
    expect(rest.map((part) => JSON.parse(part) as string)).toEqual([...hostile].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  test('the quoted form is printable ASCII only', () => {
    for (const name of hostile) expect(foldNodeset([name])).toMatch(/^"[ -~]*"$/);
    expect(foldNodeset(['web\u202e1'])).toBe('"web\\u202e1"');
    expect(foldNodeset(['tab\there'])).toBe('"tab\\there"');
  });

  test('a hostile name never joins a range of plain ones', () => {
    expect(foldNodeset(['web1', 'web2', 'web 3'])).toBe('web[1-2],"web 3"');
    expect(foldNodeset(['a,b', 'a'])).toBe('a,"a,b"');
  });

  test('the printable ASCII nodeset takes literally folds', () => {
    // the digit run's placeholder `%s` sorts a[1-2] between -x and a'
    expect(foldNodeset(["a'", 'a1', 'a2', '-x1', '-x2', 'p(1)', 'p(2)', 'a/b:c;d<e>f=g+h~i$j`k{l}m|n'])).toBe(
      "-x[1-2],a[1-2],a',a/b:c;d<e>f=g+h~i$j`k{l}m|n,p([1-2])",
    );
  });
});

/** A folded string's top-level parts (commas inside brackets or a quoted name are not separators). */
function splitParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.length > 0) parts.push(text.slice(start));
  return parts;
}

// ---- generated sets against the real nodeset ------------------------------------------------

// The seed of the generated sets; FLEETSTAT_NODESET_SEED tries others (a failure prints its seed).
const SEED = Number(process.env.FLEETSTAT_NODESET_SEED ?? 20240808);
const SETS = 400;

const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
/** an index as an inventory might write it: unpadded, or zero-padded to 2-4 digits */
const padded = (n: number, width: number) => String(n).padStart(width, '0');

/** One family of names: a pool a set takes a random part of. */
type Family = (r: Rand) => string[];

const PREFIXES = ['web', 'db', 'node', 'n', 'cn', 'gpu', 'Web', 'x-', 'app_'];
const PLAIN = ['foo', 'bar', 'Baz', 'mail-gw', 'gw', 'x_y', 'a.example.com', 'db-master', 'web-gw', 'localhost', '-', 'a%b', "o'k", 'p(q)'];

const families: Family[] = [
  // one run, padded or not (a family may mix widths)
  (r) => {
    const prefix = pick(r, PREFIXES);
    const suffix = pick(r, ['', '', '-ipmi', '.example.com', 'a']);
    const widths = r() < 0.7 ? [pick(r, [0, 2, 3, 4])] : [0, pick(r, [2, 3])];
    const lo = int(r, 0, 20);
    const hi = lo + int(r, 0, 120);
    const out: string[] = [];
    for (let n = lo; n <= hi; n++) for (const w of widths) out.push(`${prefix}${padded(n, w)}${suffix}`);
    return out;
  },
  // FQDNs with two runs
  (r) => {
    const host = pick(r, ['web', 'db', 'lb']);
    const w = pick(r, [0, 2]);
    const out: string[] = [];
    for (let n = 1; n <= int(r, 1, 12); n++) for (let dc = 1; dc <= int(r, 1, 4); dc++) out.push(`${host}${padded(n, w)}.dc${dc}.example.com`);
    return out;
  },
  // IPv4 addresses
  (r) => {
    const out: string[] = [];
    const a = int(r, 0, 1);
    for (let b = 0; b <= int(r, 0, 3); b++) for (let c = int(r, 0, 5); c <= int(r, 5, 30); c++) out.push(`10.${a}.${b}.${c}`);
    if (r() < 0.3) out.push('192.168.0.1', '192.168.0.2', '172.16.10.9');
    return out;
  },
  // two runs: racks and nodes
  (r) => {
    const w = pick(r, [0, 2]);
    const out: string[] = [];
    for (let rack = 1; rack <= int(r, 1, 5); rack++) for (let n = 1; n <= int(r, 1, 10); n++) out.push(`r${rack}n${padded(n, w)}`);
    return out;
  },
  // three runs
  (r) => {
    const out: string[] = [];
    const [x, y, z] = [int(r, 1, 4), int(r, 1, 4), int(r, 1, 6)];
    for (let i = 1; i <= x; i++) for (let j = 0; j <= y; j++) for (let k = 1; k <= z; k++) out.push(`r${i}c${j}n${k}`);
    return out;
  },
  // two to four runs: a union of random boxes, a few points missing (vectors of many sizes)
  (r) => {
    const dims = int(r, 2, 4);
    const out = new Set<string>();
    for (let box = int(r, 2, 6); box > 0; box--) {
      const lo = Array.from({ length: dims }, () => int(r, 1, 6));
      const hi = lo.map((l) => l + int(r, 0, 4));
      const fill = (d: number, at: number[]) => {
        if (d === dims) {
          if (r() < 0.95) out.add(`n${at.join('x')}`);
          return;
        }
        for (let v = lo[d]!; v <= hi[d]!; v++) fill(d + 1, [...at, v]);
      };
      fill(0, []);
    }
    return [...out];
  },
  // names without digits, and odd printable ASCII nodeset takes literally
  () => [...PLAIN],
  // all-digit names
  (r) => {
    const w = pick(r, [0, 0, 2, 3]);
    const out: string[] = [];
    for (let n = 0; n <= int(r, 3, 40); n++) out.push(padded(n, w));
    return out;
  },
  // large numbers: past 2^53 and 2^64
  (r) => {
    const base = pick(r, [9007199254740990n, 18446744073709551610n, 10n ** 30n, 123456789012345678901234567890n]);
    const out: string[] = [];
    for (let k = 0n; k < BigInt(int(r, 2, 15)); k++) out.push(`big${base + k}`);
    return out;
  },
];

function generate(seed: number, count: number): string[][] {
  const r = rng(seed);
  const sets: string[][] = [];
  for (let s = 0; s < count; s++) {
    const pool: string[] = [];
    const mix = int(r, 1, 3);
    for (let f = 0; f < mix; f++) pool.push(...pick(r, families)(r));
    // dense or sparse subsets: rectangles, holes, and non-rectangular nD sets
    const keep = pick(r, [1, 0.9, 0.6, 0.3, 0.1]);
    let names = pool.filter(() => r() < keep);
    if (names.length === 0) names = [pool[0]!];
    if (names.length > 150) names = names.filter(() => r() < 150 / names.length);
    // the order given never matters, duplicates count once
    if (r() < 0.5) names.reverse();
    if (r() < 0.2) names.push(names[0]!);
    sets.push(names);
  }
  return sets;
}

/** A set's mark: Z, three lower-case letters, _ (fixed width, and no digit: it adds no index). */
const mark = (s: number) => `Z${[676, 26, 1].map((d) => String.fromCharCode(97 + (Math.floor(s / d) % 26))).join('')}_`;

// nodeset reads ClusterShell's defaults.conf from /etc and the user's directories; one in
// $CLUSTERSHELL_CFGDIR overrides them, so a machine's own fold_axis cannot change the truth.
let configDir: string | undefined;
function nodeset(input: string): string {
  if (configDir === undefined) {
    configDir = mkdtempSync(join(tmpdir(), 'fleetstat-nodeset-'));
    writeFileSync(join(configDir, 'defaults.conf'), '[nodeset]\nfold_axis:\n');
  }
  const env = { ...process.env, CLUSTERSHELL_CFGDIR: configDir };
  return execFileSync('nodeset', ['-f', '-'], { input, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 }).trim();
}
afterAll(() => {
  if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
});

/**
 * `nodeset -f` of many sets in one process: each set's names get a prefix of their own (letters,
 * so no index is added), which makes its patterns its own (nodeset folds each pattern alone) and
 * keeps their order (a common prefix changes no comparison). The output's parts are then dealt
 * back by prefix. One name per line on stdin, each line ended: nodeset drops a line's last
 * character when it holds no `#`.
 */
function nodesetBatch(sets: readonly string[][]): string[] {
  const input = sets.flatMap((names, s) => names.map((n) => `${mark(s)}${n}\n`)).join('');
  const out = nodeset(input);
  const bySet = sets.map((): string[] => []);
  const byMark = new Map(sets.map((_names, s) => [mark(s), bySet[s]!]));
  const width = mark(0).length;
  for (const part of splitParts(out)) {
    const parts = byMark.get(part.slice(0, width));
    if (parts === undefined) throw new Error(`nodeset printed a part of no set: ${part}`);
    parts.push(part.slice(width));
  }
  return bySet.map((parts) => parts.join(','));
}

function nodesetOne(names: readonly string[]): string {
  return nodeset(names.map((n) => `${n}\n`).join(''));
}

describeIf(hasCommand('nodeset') ? [] : ['nodeset (Debian clustershell)'], 'foldNodeset against nodeset -f', () => {
  const sets = generate(SEED, SETS);

  test('the generated sets hold what they are meant to', () => {
    const all = sets.flat();
    expect(sets).toHaveLength(SETS);
    expect(all.some((n) => /^10\.\d+\.\d+\.\d+$/.test(n))).toBe(true);
    expect(all.some((n) => /^r\d+c\d+n\d+$/.test(n))).toBe(true);
    expect(all.some((n) => /\.dc\d\.example\.com$/.test(n))).toBe(true);
    expect(all.some((n) => /\D0\d/.test(n))).toBe(true);
    expect(all.some((n) => /^\d+$/.test(n))).toBe(true);
    expect(all.some((n) => /\d{20}/.test(n))).toBe(true);
    expect(all.some((n) => !/\d/.test(n))).toBe(true);
    // non-rectangular nD sets: a pattern of several runs folded into several parts
    const shape = (part: string) => part.replace(/\[[^\]]*\]|\d+/g, '#');
    const severalParts = sets.filter((names) => {
      const shapes = splitParts(foldNodeset(names)).map(shape).filter((s) => s.split('#').length > 2);
      return new Set(shapes).size < shapes.length;
    });
    expect(severalParts.length).toBeGreaterThan(SETS / 10);
  });

  test('the hand cases print what nodeset prints', () => {
    const truth = nodesetBatch(HAND_CASES.map(([, names]) => names));
    HAND_CASES.forEach(([what, , expected], k) => {
      expect({ what, nodeset: truth[k] }).toEqual({ what, nodeset: expected });
    });
  });

  test(`${SETS} generated sets (seed ${SEED}) fold as nodeset -f folds them`, () => {
    const truth = nodesetBatch(sets);
    const wrong = sets
      .map((names, s) => ({ set: s, names, nodeset: truth[s], fold: foldNodeset(names) }))
      .filter((c) => c.fold !== c.nodeset);
    expect({ seed: SEED, wrong: wrong.slice(0, 5), count: wrong.length }).toEqual({ seed: SEED, wrong: [], count: 0 });
  });

  test('fleets of 5,000 names, one shape each, fold as nodeset -f folds them', () => {
    const shapes = Object.entries(fleetShapes(SEED, 5000));
    const truth = nodesetBatch(shapes.map(([, names]) => names));
    shapes.forEach(([shape, names], k) => {
      expect({ shape, fold: foldNodeset(names) }).toEqual({ shape, fold: truth[k] });
    });
  });

  test('the batch prefix changes nothing: a few sets on their own', () => {
    // the sets with the most parts: where dealing the parts back by prefix could go wrong
    const chosen = [...sets.keys()].sort((a, b) => splitParts(foldNodeset(sets[b]!)).length - splitParts(foldNodeset(sets[a]!)).length).slice(0, 3);
    const batch = nodesetBatch(chosen.map((s) => sets[s]!));
    chosen.forEach((s, k) => {
      const alone = nodesetOne(sets[s]!);
      expect({ set: s, alone }).toEqual({ set: s, alone: batch[k] });
      expect({ set: s, fold: foldNodeset(sets[s]!) }).toEqual({ set: s, fold: alone });
    });
  });
});
