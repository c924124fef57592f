import munkres from 'munkres-js';
import type { Labels } from '../validate.js';
import { contingency } from './contingency.js';

/**
 * Clustering accuracy: the fraction of examples whose cluster maps to their class under the best one-to-one
 * matching of clusters to classes (Hungarian algorithm on the contingency table). With more clusters than classes
 * the unmatched clusters count as wrong, as in scipy's `linear_sum_assignment` on a rectangular table.
 */
export function clusteringAccuracy(labels: Labels, clusters: Labels): number {
  const table = contingency(labels, clusters);
  const largest = table.counts.reduce((m, row) => row.reduce((a, v) => Math.max(a, v), m), 0);
  // munkres-js minimises cost; pads a rectangular table with constant rows or columns, which cannot change the optimum.
  const cost = table.counts.map((row) => row.map((count) => largest - count));
  let matched = 0;
  for (const [r, c] of munkres(cost)) matched += (table.counts[r] as number[])[c] as number;
  return matched / table.total;
}
