// Host names folded into ClusterShell's nodeset notation, printing what `nodeset -f NAME…` prints
// (ClusterShell 1.9, default settings: no autostep, every axis folded).
//
// How nodeset folds, and so how this does:
//   - A name's maximal runs of ASCII digits are its indexes; the rest, with each run replaced by a
//     placeholder, is its pattern: `r1n01` is `r%sn%s` at (1, 01), `10.0.0.1` is `%s.%s.%s.%s`.
//     An index keeps its digits as written, so `web01` and `web1` are different nodes.
//   - The parts are printed in the order of their patterns as strings, `%` doubled and each run
//     written `%s` (so `10.0.0.1`'s pattern sorts before any name that starts with a letter).
//   - One index: the set is printed as ranges (`1-3,5`), bracketed when it holds more than one.
//     Indexes sort by length, then as strings; a range runs on while each next one is one more and
//     keeps the padding (a padded run takes only indexes of its length, an unpadded one only
//     unpadded ones): `[1-2,01-02,001]`, `[9,09-10]`.
//   - Several indexes: when the names vary in one index only, one part. Otherwise nodeset's
//     multivariate merge: one vector per name, sorted (most nodes first, then per axis: the longest
//     range set first, then its first index, then its last, compared as strings), merged in passes
//     where a vector joins the next ones while they differ from it in one axis only; once a pass
//     changes nothing, passes compare every pair, until one changes nothing. Vectors stay disjoint,
//     so two merge exactly when they are equal on all axes but one; the every-pair passes find
//     those through an index per axis instead of comparing every pair (the same merges, in the
//     same order). The vectors are printed in their final order, one part each.
//
// Names nodeset would misread are never folded. nodeset's own syntax gives meaning to `, ! & ^`
// (set operators), `[ ]` (ranges), `@` (groups), `* ?` (wildcards), whitespace (trimmed; stdin
// splits on it) and `#` (a comment on stdin); it reads non-ASCII digits as indexes and prints them
// back as ASCII ones, and refuses an index above 1e100. So a name folds only when it is made of
// printable ASCII other than those characters and `"` and `\`, and every index is at most 1e100.
// Any other name (or an empty one) is printed alone as a JSON string literal, every character
// outside printable ASCII written \uXXXX: a part that starts with `"` is always one such name, no
// folded part contains `"`, and JSON.parse gives the name back. These parts come after the folded
// ones, in the names' code-unit order.
//
// Cost: grouping, sorting and the one-index ranges are O(n log n). The merge passes are linear
// each (the every-pair passes too, thanks to the index), with a sort per pass.

/** `nodeset -f` of these names (duplicates count once); names it would misread print quoted. */
export function foldNodeset(names: readonly string[]): string {
  const patterns = new Map<string, Pattern>();
  const quoted = new Set<string>();
  for (const name of names) {
    const parsed = parseName(name);
    if (parsed === undefined) {
      quoted.add(name);
      continue;
    }
    let pattern = patterns.get(parsed.key);
    if (pattern === undefined) {
      pattern = { key: parsed.key, pieces: parsed.pieces, points: new Map() };
      patterns.set(parsed.key, pattern);
    }
    pattern.points.set(name, parsed.indexes);
  }
  const parts: string[] = [];
  for (const pattern of [...patterns.values()].sort((a, b) => compareStrings(a.key, b.key))) {
    foldPattern(pattern, parts);
  }
  for (const name of [...quoted].sort(compareStrings)) parts.push(quoteName(name));
  return parts.join(',');
}

interface Pattern {
  /** the pattern as nodeset sorts it: `%` doubled, each digit run `%s` */
  key: string;
  /** the literal text around the indexes: one more piece than indexes */
  pieces: readonly string[];
  /** each distinct name's indexes, by name (one pattern: the same name, the same indexes) */
  points: Map<string, readonly string[]>;
}

interface ParsedName {
  key: string;
  pieces: string[];
  indexes: string[];
}

// Printable ASCII but nodeset's syntax characters, whitespace, and the quote and backslash of the
// quoted form.
const FOLDABLE = /^[^\s[\],!&^@*?#"\\]+$/;
const PRINTABLE_ASCII = /^[!-~]+$/;
const DIGIT_RUN = /[0-9]+/g;
// nodeset refuses an index above the double 1e100 (an exact integer comparison in Python).
const MAX_INDEX = BigInt(1e100);
const MAX_INDEX_DIGITS = MAX_INDEX.toString().length;

function parseName(name: string): ParsedName | undefined {
  if (!PRINTABLE_ASCII.test(name) || !FOLDABLE.test(name)) return undefined;
  const pieces: string[] = [];
  const indexes: string[] = [];
  let at = 0;
  for (const run of name.matchAll(DIGIT_RUN)) {
    const digits = run[0];
    if (!indexInRange(digits)) return undefined;
    pieces.push(name.slice(at, run.index));
    indexes.push(digits);
    at = run.index + digits.length;
  }
  pieces.push(name.slice(at));
  const key = (name.includes('%') ? pieces.map((piece) => piece.replaceAll('%', '%%')) : pieces).join('%s');
  return { key, pieces, indexes };
}

function indexInRange(digits: string): boolean {
  const significant = digits.replace(/^0+/, '');
  if (significant.length !== MAX_INDEX_DIGITS) return significant.length < MAX_INDEX_DIGITS;
  return BigInt(significant) <= MAX_INDEX;
}

/** JSON, ASCII only: control, non-ASCII and lone surrogate code units as \uXXXX. */
function quoteName(name: string): string {
  return JSON.stringify(name).replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Python's str ordering (code points); only ever given ASCII here, where code units agree. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A range set's order: shorter first, then as strings (so `9` < `01` < `10`). */
function compareIndexes(a: string, b: string): number {
  return a.length - b.length || compareStrings(a, b);
}

function foldPattern(pattern: Pattern, parts: string[]): void {
  const { pieces } = pattern;
  const points = [...pattern.points.values()];
  const dims = pieces.length - 1;
  if (dims === 0) {
    parts.push(pieces[0]!);
    return;
  }
  if (dims === 1) {
    const set = points.map((p) => p[0]!).sort(compareIndexes);
    parts.push(pieces[0]! + bracketed(set) + pieces[1]!);
    return;
  }
  for (const vector of foldVectors(points, dims)) {
    let text = pieces[0]!;
    for (let d = 0; d < dims; d++) text += bracketed(itemsOf(vector.axes[d]!)) + pieces[d + 1]!;
    parts.push(text);
  }
}

function bracketed(sorted: readonly string[]): string {
  return sorted.length > 1 ? `[${rangesOf(sorted)}]` : sorted[0]!;
}

// ---- one axis: ranges ------------------------------------------------------------------------

/**
 * RangeSet's `x-y` string of distinct indexes in their range-set order. A port of its slice walk
 * with autostep off: a run with a step other than 1 is printed one index at a time, a padding
 * change ends a run. Indexes are printed as written (a run's padding is its indexes' own).
 */
function rangesOf(sorted: readonly string[]): string {
  const out: string[] = [];
  const emitRange = (from: number, to: number) => {
    out.push(from === to ? sorted[from]! : `${sorted[from]!}-${sorted[to]!}`);
  };
  const emitEach = (from: number, to: number) => {
    for (let i = from; i <= to; i++) out.push(sorted[i]!);
  };
  const first = sorted[0]!;
  let start = 0;
  let last = 0;
  let step: Step | null = null;
  let runPadded = isPadded(first);
  let runLength = first.length;
  for (let k = 1; k < sorted.length; k++) {
    const index = sorted[k]!;
    const padded = isPadded(index);
    const paddingBreaks = runPadded ? index.length !== runLength : padded;
    const gap: Step | null = paddingBreaks ? null : stepBetween(sorted[last]!, index);
    const stepBreaks: boolean = !paddingBreaks && step !== null && step !== gap;
    if (!paddingBreaks && !stepBreaks) {
      step = gap;
      last = k;
      continue;
    }
    if (step === null || step === 1) {
      emitRange(start, last);
      start = k;
    } else if (paddingBreaks) {
      emitEach(start, last);
      start = k;
    } else {
      // the last index of a broken step starts the next run
      emitEach(start, last - 1);
      start = last;
    }
    if (start === k) {
      runPadded = padded;
      runLength = index.length;
    }
    step = stepBreaks ? gap : null;
    last = k;
  }
  if (step === null || step === 1) emitRange(start, last);
  else emitEach(start, last);
  return out.join(',');
}

/** A step between two indexes, exact: a number when safe, else a bigint (never equal to a number). */
type Step = number | bigint;

function isPadded(index: string): boolean {
  return index.length > 1 && index.charCodeAt(0) === 48;
}

function stepBetween(from: string, to: string): Step {
  if (from.length <= 15 && to.length <= 15) return Number(to) - Number(from);
  const gap = BigInt(to) - BigInt(from);
  return gap >= BigInt(Number.MIN_SAFE_INTEGER) && gap <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(gap) : gap;
}

// ---- several axes: vectors -------------------------------------------------------------------

/**
 * A set of indexes on one axis. A union is kept as its two halves until its indexes are wanted (a
 * vector that absorbs its neighbours one by one would otherwise copy its growing set each time).
 * Equal sets are told apart from unequal ones by size, hash, first and last index, and when all
 * four agree, by their indexes; once found equal, one stands for the other.
 */
interface Axis {
  size: number;
  /** the lowest and highest in range-set order (what nodeset sorts vectors by) */
  first: string;
  last: string;
  /** the sum of the indexes' own hashes: equal sets, equal hashes, however they were built */
  hash: number;
  /** the indexes in range-set order, once written out */
  items: readonly string[] | undefined;
  /** a union not yet written out: its two disjoint halves */
  halves: readonly [Axis, Axis] | undefined;
  /** an equal set met earlier, compared in its place */
  same: Axis | undefined;
}

interface Vector {
  axes: Axis[];
  size: number;
}

class Axes {
  private readonly singles = new Map<string, Axis>();

  one(index: string): Axis {
    let axis = this.singles.get(index);
    if (axis === undefined) {
      axis = { size: 1, first: index, last: index, hash: hashIndex(index), items: [index], halves: undefined, same: undefined };
      this.singles.set(index, axis);
    }
    return axis;
  }

  /** The axis of a set given in range-set order. */
  ofSorted(items: readonly string[]): Axis {
    if (items.length === 1) return this.one(items[0]!);
    let hash = 0;
    for (const index of items) hash = (hash + this.one(index).hash) | 0;
    return { size: items.length, first: items[0]!, last: items[items.length - 1]!, hash, items, halves: undefined, same: undefined };
  }
}

/** The union of two disjoint sets, written out only when needed. */
function union(a: Axis, b: Axis): Axis {
  return {
    size: a.size + b.size,
    first: compareIndexes(a.first, b.first) <= 0 ? a.first : b.first,
    last: compareIndexes(a.last, b.last) >= 0 ? a.last : b.last,
    hash: (a.hash + b.hash) | 0,
    items: undefined,
    halves: [a, b],
    same: undefined,
  };
}

function itemsOf(axis: Axis): readonly string[] {
  if (axis.items !== undefined) return axis.items;
  const out: string[] = [];
  const stack: Axis[] = [axis];
  while (stack.length > 0) {
    const part = stack.pop()!;
    if (part.items !== undefined) for (const index of part.items) out.push(index);
    else stack.push(...part.halves!);
  }
  out.sort(compareIndexes);
  axis.items = out;
  axis.halves = undefined;
  return out;
}

function standIn(axis: Axis): Axis {
  let root = axis;
  while (root.same !== undefined) root = root.same;
  if (axis.same !== undefined && axis.same !== root) axis.same = root;
  return root;
}

/** Set equality. */
function sameAxis(a: Axis, b: Axis): boolean {
  const x = standIn(a);
  const y = standIn(b);
  if (x === y) return true;
  if (x.size !== y.size || x.hash !== y.hash || x.first !== y.first || x.last !== y.last) return false;
  const xs = itemsOf(x);
  const ys = itemsOf(y);
  for (let i = 0; i < xs.length; i++) if (xs[i] !== ys[i]) return false;
  y.same = x;
  return true;
}

/** FNV-1a, then murmur3's finaliser: any well-spread hash will do, a collision costs a comparison. */
function hashIndex(index: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < index.length; i++) h = Math.imul(h ^ index.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function foldVectors(points: readonly (readonly string[])[], dims: number): Vector[] {
  const axes = new Axes();
  if (points.length === 1 || variesInOneAxisAtMost(points, dims)) {
    // nodeset's univariate fold: one vector, the union along the axis that varies
    const vector: Axis[] = [];
    for (let d = 0; d < dims; d++) {
      vector.push(axes.ofSorted([...new Set(points.map((p) => p[d]!))].sort(compareIndexes)));
    }
    return [{ axes: vector, size: vector.reduce((n, a) => n * a.size, 1) }];
  }
  let list: Vector[] = points.map((p) => ({ axes: p.map((index) => axes.one(index)), size: 1 }));
  let everyPair = false;
  for (;;) {
    list.sort(compareVectors);
    const merged = everyPair ? mergeEveryPair(list, dims) : mergeNeighbours(list);
    if (merged === undefined) {
      if (everyPair) return list;
      everyPair = true;
    } else {
      list = merged;
    }
  }
}

function variesInOneAxisAtMost(points: readonly (readonly string[])[], dims: number): boolean {
  const first = points[0]!;
  let varying = -1;
  for (let d = 0; d < dims; d++) {
    if (points.some((p) => p[d] !== first[d])) {
      if (varying >= 0) return false;
      varying = d;
    }
  }
  return true;
}

/** RangeSetND's order: more nodes first, then per axis more indexes, lower first, lower last. */
function compareVectors(a: Vector, b: Vector): number {
  if (a.size !== b.size) return b.size - a.size;
  for (let d = 0; d < a.axes.length; d++) {
    const x = a.axes[d]!;
    const y = b.axes[d]!;
    if (x === y) continue;
    const c = y.size - x.size || compareStrings(x.first, y.first) || compareStrings(x.last, y.last);
    if (c !== 0) return c;
  }
  return 0;
}

/** The axis two disjoint vectors differ on, when it is their only one; else -1. */
function onlyDifference(a: Vector, b: Vector): number {
  let axis = -1;
  for (let d = 0; d < a.axes.length; d++) {
    if (!sameAxis(a.axes[d]!, b.axes[d]!)) {
      if (axis >= 0) return -1;
      axis = d;
    }
  }
  return axis;
}

function joined(a: Vector, b: Vector, axis: number): Vector {
  const vector = a.axes.slice();
  vector[axis] = union(a.axes[axis]!, b.axes[axis]!);
  return { axes: vector, size: a.size + b.size };
}

/** The quick pass: each vector absorbs the ones after it while they merge; undefined: no change. */
function mergeNeighbours(list: readonly Vector[]): Vector[] | undefined {
  const out: Vector[] = [];
  let changed = false;
  let i = 0;
  while (i < list.length) {
    let current = list[i]!;
    let j = i + 1;
    for (; j < list.length; j++) {
      const axis = onlyDifference(current, list[j]!);
      if (axis < 0) break;
      current = joined(current, list[j]!, axis);
      changed = true;
    }
    out.push(current);
    i = j;
  }
  return changed ? out : undefined;
}

/**
 * The every-pair pass: each vector in turn absorbs, scanning forward from itself, every later one
 * it merges with when the scan reaches it (a vector the scan passed is not looked at again in this
 * pass, even if a later merge would now let it join). Later vectors are found through an index:
 * for each vector and axis, a hash of all its other axes, chaining the vectors that share it in
 * their order (a chain is walked from the first position past the scan; collisions are checked).
 */
function mergeEveryPair(list: readonly Vector[], dims: number): Vector[] | undefined {
  const seeds = axisSeeds(dims);
  const hashOf = (v: Vector) => {
    let h = 0;
    for (let d = 0; d < dims; d++) h = (h + Math.imul(v.axes[d]!.hash, seeds[d]!)) | 0;
    return h;
  };
  // the key of a vector's axis d: the hash of its other axes, salted by d
  const keyOf = (v: Vector, whole: number, d: number) =>
    ((whole - Math.imul(v.axes[d]!.hash, seeds[d]!)) ^ seeds[dims + d]!) | 0;
  // slot = position * dims + axis; head: key -> first slot; next: slot -> next slot, or -1
  const head = new Map<number, number>();
  const next = new Int32Array(list.length * dims);
  for (let position = list.length - 1; position >= 0; position--) {
    const v = list[position]!;
    const whole = hashOf(v);
    for (let d = 0; d < dims; d++) {
      const key = keyOf(v, whole, d);
      const slot = position * dims + d;
      next[slot] = head.get(key) ?? -1;
      head.set(key, slot);
    }
  }
  const gone = new Uint8Array(list.length);
  const out: Vector[] = [];
  let changed = false;
  for (let i = 0; i < list.length; i++) {
    if (gone[i]) continue;
    let current = list[i]!;
    let scanned = i;
    for (;;) {
      const whole = hashOf(current);
      let found = -1;
      let foundAxis = -1;
      for (let d = 0; d < dims; d++) {
        const key = keyOf(current, whole, d);
        const first = head.get(key) ?? -1;
        let slot = first;
        // positions up to i are behind every scan still to come in this pass: drop them for good
        while (slot >= 0 && Math.floor(slot / dims) <= i) slot = next[slot]!;
        if (slot !== first) head.set(key, slot);
        for (; slot >= 0; slot = next[slot]!) {
          const position = Math.floor(slot / dims);
          if (found >= 0 && position >= found) break;
          if (position <= scanned || gone[position]) continue;
          const axis = onlyDifference(current, list[position]!);
          if (axis < 0) continue; // a hash collision
          found = position;
          foundAxis = axis;
          break;
        }
      }
      if (found < 0) break;
      current = joined(current, list[found]!, foundAxis);
      gone[found] = 1;
      scanned = found;
      changed = true;
    }
    out.push(current);
  }
  return changed ? out : undefined;
}

/** Fixed odd multipliers and salts, two per axis (any will do: a collision costs a comparison). */
function axisSeeds(dims: number): number[] {
  const seeds: number[] = [];
  let x = 0x2545f491;
  for (let k = 0; k < 2 * dims; k++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    seeds.push(x | 1);
  }
  return seeds;
}
