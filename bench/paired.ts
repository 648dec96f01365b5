// Medians and ratios of a paired run (A B C A B C …): a ratio is taken round by round, then its
// median, so that a drift of the machine's speed during the run (other work, thermal limits) cancels.

/** The median (the mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of `a[i] / b[i]` over the rounds both have (a round where b is 0 has no ratio). */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (b[i]! > 0) ratios.push(a[i]! / b[i]!);
  }
  return median(ratios);
}

/** `A B C A B C …`: `rounds` rounds of every label in the given order. */
export function pairedOrder<T>(labels: readonly T[], rounds: number): Array<{ round: number; label: T }> {
  const order: Array<{ round: number; label: T }> = [];
  for (let round = 0; round < rounds; round++) for (const label of labels) order.push({ round, label });
  return order;
}
