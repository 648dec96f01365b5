// Medians for the benches: of one figure, and of a ratio taken pair by pair (A B A B …), so that a
// drift of the machine's speed between pairs cancels out.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of a[i] / b[i]: each ratio from one pair of runs taken one after the other. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const ratios = a.map((value, i) => value / b[i]!).filter((ratio) => Number.isFinite(ratio));
  return median(ratios);
}
