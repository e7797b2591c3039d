/** The `p`-th percentile (0–100, nearest rank) of `values`; 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Median, p99 and max, rounded to 0.1 ms. */
export function summarize(values: readonly number[]) {
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    p50: r(percentile(values, 50)),
    p99: r(percentile(values, 99)),
    max: r(values.reduce((m, v) => Math.max(v, m), 0)),
  };
}
