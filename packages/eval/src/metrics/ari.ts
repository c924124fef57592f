import type { Labels } from '../validate.js';
import { contingency } from './contingency.js';

/**
 * Adjusted Rand index (Hubert & Arabie 1985), computed like scikit-learn's `adjusted_rand_score` from the pair
 * confusion matrix. The pair counts grow as n², so the products are taken in BigInt: exact for any n.
 */
export function adjustedRandIndex(labels: Labels, clusters: Labels): number {
  const { counts, rowSums, colSums, total } = contingency(labels, clusters);
  const n = BigInt(total);
  const sumSquares = counts.flat().reduce((s, v) => s + BigInt(v) * BigInt(v), 0n);
  const sumRowSquares = rowSums.reduce((s, v) => s + BigInt(v) * BigInt(v), 0n);
  const sumColSquares = colSums.reduce((s, v) => s + BigInt(v) * BigInt(v), 0n);
  // Ordered pairs: tp = same class and same cluster, fp = same cluster only, fn = same class only, tn = neither.
  const tp = sumSquares - n;
  const fp = sumColSquares - sumSquares;
  const fn = sumRowSquares - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0n && fp === 0n) return 1;
  const numerator = 2n * (tp * tn - fn * fp);
  const denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return Number(numerator) / Number(denominator);
}
