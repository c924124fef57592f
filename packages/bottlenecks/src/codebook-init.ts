/**
 * Codebook initialisation from data: k-means++ seeding (Arthur & Vassilvitskii 2007) on a batch of encoder outputs.
 * A codebook drawn near the origin while the encoder's outputs lie elsewhere sends every example to one codeword,
 * and the codebook never catches up; codewords placed on the encoder's outputs are all in use from the first step.
 */
import type { Rng } from '@latentkit/core';

/**
 * K rows of `points` ([n, dim], row-major) by k-means++: the first uniformly, each next with probability ∝ its squared
 * distance to the nearest row already picked. Once every point coincides with a pick (n < K, or duplicates), the
 * remaining rows are uniform picks; a restart of dead codewords separates them later.
 */
export function kMeansPlusPlus(points: Float32Array, n: number, dim: number, k: number, rng: Rng): Float32Array {
  const out = new Float32Array(k * dim);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = rng.int(n);
  for (let c = 0; c < k; c++) {
    out.set(points.subarray(pick * dim, (pick + 1) * dim), c * dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < dim; j++) {
        const diff = (points[i * dim + j] as number) - (out[c * dim + j] as number);
        d += diff * diff;
      }
      if (d < (nearest[i] as number)) nearest[i] = d;
      total += nearest[i] as number;
    }
    if (c === k - 1) break;
    if (!(total > 0)) {
      pick = rng.int(n);
      continue;
    }
    let target = rng.uniform() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i] as number;
      if (target < 0) {
        pick = i;
        break;
      }
    }
  }
  return out;
}
