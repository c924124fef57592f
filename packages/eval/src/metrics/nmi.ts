import type { Labels } from '../validate.js';
import { contingency } from './contingency.js';

/** Shannon entropy (nats) of a labelling given its class counts. */
function entropy(counts: readonly number[], total: number): number {
  let h = 0;
  for (const n of counts) if (n > 0) h -= (n / total) * (Math.log(n) - Math.log(total));
  return h;
}

/**
 * Normalised mutual information with arithmetic normalisation, I(U;V) / ((H(U) + H(V)) / 2), as scikit-learn's
 * `normalized_mutual_info_score` (default `average_method='arithmetic'`), including its conventions: two
 * single-cluster labellings score 1, and zero mutual information scores 0.
 */
export function normalizedMutualInfo(labels: Labels, clusters: Labels): number {
  const { counts, rowSums, colSums, total } = contingency(labels, clusters);
  if (rowSums.length === 1 && colSums.length === 1) return 1;
  let mi = 0;
  for (let r = 0; r < counts.length; r++) {
    const row = counts[r] as number[];
    for (let c = 0; c < row.length; c++) {
      const n = row[c] as number;
      if (n === 0) continue;
      // n/N · log(n·N / (a·b)), split into logs of integers as sklearn does so rounding matches it closely.
      const term =
        (n / total) * (Math.log(n) - Math.log(total)) + (n / total) * (-Math.log((rowSums[r] as number) * (colSums[c] as number)) + 2 * Math.log(total));
      mi += Math.abs(term) < Number.EPSILON ? 0 : term;
    }
  }
  mi = Math.max(mi, 0);
  if (mi === 0) return 0;
  return mi / ((entropy(rowSums, total) + entropy(colSums, total)) / 2);
}
