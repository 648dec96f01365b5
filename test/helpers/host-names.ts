// Host names in the shapes fleets have, built from a seed: for the nodeset comparison and its bench.

/** mulberry32: small, seeded, reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** `count` distinct names from `make` (which must be able to make that many). */
function distinct(count: number, make: () => string): string[] {
  const names = new Set<string>();
  while (names.size < count) names.add(make());
  return [...names];
}

/**
 * Big fleets of one shape each, `count` names (count/2 at least 500): a random slice of a numbered
 * range, FQDNs over data centres, random IPv4 addresses in a /16 and in part of one, a random part
 * of a 3D and of a 2D grid, two long columns with a hole (long merge chains).
 */
export function fleetShapes(seed: number, count: number): Record<string, string[]> {
  const r = rng(seed);
  const half = Math.floor(count / 2);
  return {
    'numbered, random slice': distinct(count, () => `node${String(int(r, 1, 4 * count)).padStart(5, '0')}`),
    'FQDN, 2 runs': distinct(count, () => `web${int(r, 1, 100)}.dc${int(r, 1, Math.ceil((count * 1.4) / 100))}.example.com`),
    'IPv4 in a /16': distinct(count, () => `10.0.${int(r, 0, 255)}.${int(r, 0, 255)}`),
    'IPv4, most of a block': distinct(count, () => `10.1.${int(r, 0, Math.ceil(count / 200))}.${int(r, 0, 255)}`),
    '3 runs, random part of a grid': distinct(count, () => `r${int(r, 1, 30)}c${int(r, 1, 30)}n${int(r, 1, 30)}`),
    '2 runs, random part of a grid': distinct(count, () => `r${int(r, 1, 100)}n${int(r, 1, 100)}`),
    'two columns, one hole': [
      ...Array.from({ length: half }, (_, i) => `rack${i + 1}n1`),
      ...Array.from({ length: count - half }, (_, i) => `rack${i + 1}n2`).filter((_, i) => i !== 250),
    ],
  };
}
