// The q-quantile of the observations that fell between two cumulative histogram samples, the
// way Prometheus's histogram_quantile estimates it: find the bucket holding the rank and
// interpolate linearly inside it. Counter resets (a restarted service) count from zero.

export type Buckets = ReadonlyArray<readonly [upperBound: number, cumulativeCount: number]>;

/** Per-bucket increase between two samples (same bounds expected; missing bounds count as 0). */
export function bucketIncrease(before: Buckets | undefined, after: Buckets): Array<[number, number]> {
  const previous = new Map(before ?? []);
  const reset = after.some(([bound, count]) => count < (previous.get(bound) ?? 0));
  return after.map(([bound, count]) => [bound, reset ? count : count - (previous.get(bound) ?? 0)]);
}

/** null when nothing was observed; the highest finite bound when the rank is in the +Inf bucket. */
export function histogramQuantile(q: number, cumulative: Buckets): number | null {
  const total = cumulative.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of cumulative) {
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket > 0 ? lowerBound + (bound - lowerBound) * ((rank - lowerCount) / inBucket) : bound;
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}
