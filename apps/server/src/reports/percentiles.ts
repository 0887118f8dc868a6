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
