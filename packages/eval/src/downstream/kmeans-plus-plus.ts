import type { Rng } from '@latentkit/core';
import type { DenseMatrix } from '../validate.js';
import { squaredDistance } from './squared-distance.js';

/**
 * Greedy k-means++ as scikit-learn's `_kmeans_plusplus` does it: the first centre uniformly at random, then for
 * each further centre 2 + ⌊ln k⌋ candidates drawn with probability ∝ squared distance to the nearest centre so far,
 * keeping the candidate that lowers the total squared distance most. Returns k × d centres, row-major.
 */
export function kMeansPlusPlus(x: DenseMatrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data } = x;
  const trials = 2 + Math.floor(Math.log(k));
  const centres = new Float64Array(k * d);
  const first = rng.int(n);
  centres.set(data.subarray(first * d, (first + 1) * d), 0);
  let closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = squaredDistance(data, i * d, data, first * d, d);
    potential += closest[i] as number;
  }
  const cumulative = new Float64Array(n);
  let candidate = new Float64Array(n);
  let bestCandidate = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += closest[i] as number;
      cumulative[i] = sum;
    }
    let bestPotential = Number.POSITIVE_INFINITY;
    let bestIndex = 0;
    for (let t = 0; t < trials; t++) {
      // The first index whose running sum reaches the draw (numpy's searchsorted), clipped to the last row.
      const target = rng.uniform() * potential;
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cumulative[mid] as number) < target) lo = mid + 1;
        else hi = mid;
      }
      const index = Math.min(lo, n - 1);
      let candidatePotential = 0;
      for (let i = 0; i < n; i++) {
        const dist = Math.min(closest[i] as number, squaredDistance(data, i * d, data, index * d, d));
        candidate[i] = dist;
        candidatePotential += dist;
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestIndex = index;
        [bestCandidate, candidate] = [candidate, bestCandidate];
      }
    }
    centres.set(data.subarray(bestIndex * d, (bestIndex + 1) * d), c * d);
    potential = bestPotential;
    [closest, bestCandidate] = [bestCandidate, closest];
  }
  return centres;
}
