/**
 * The `p` percentile (0..1) of ascending `sorted` values, interpolating linearly between the
 * two nearest ranks, as PostgreSQL's `percentile_cont` does: 1, 2, 3, 4, 100 has a median of 3
 * and a p90 of 61.6. Computed here rather than in SQL because MariaDB and SQLite have no such
 * aggregate, and so the three databases answer the same. Null for no values.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (rank - below);
}

/**
 * The same percentile, `tenths / 10`, from only the values at the two ranks around it: `valueAt`
 * answers for 0-based ranks `floor(p * (count - 1))` and the one above (what the report query
 * keeps). Integer arithmetic finds the ranks, so they are the very rows the query kept.
 */
export function percentileOfRanks(
  count: number,
  tenths: number,
  valueAt: (rank: number) => number | undefined,
): number | null {
  if (count === 0) return null;
  const scaled = tenths * (count - 1);
  const below = Math.floor(scaled / 10);
  const fraction = (scaled - below * 10) / 10;
  const low = valueAt(below);
  if (low === undefined) return null;
  if (fraction === 0) return low;
  const high = valueAt(below + 1);
  return high === undefined ? null : low + (high - low) * fraction;
}
