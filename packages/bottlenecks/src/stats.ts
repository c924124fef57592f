/** Plain-number statistics shared by the bottlenecks. */
import { LatentkitError } from '@latentkit/core';
import type { BottleneckStats } from './types.js';

/** exp(entropy) of a distribution given by non-negative weights (normalised here): 1 … number of weights. */
export function perplexity(weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] as number;
  if (!(total > 0)) return 0;
  let entropy = 0;
  for (let i = 0; i < weights.length; i++) {
    const p = (weights[i] as number) / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/** How many codewords each of `indices` picks: [K]. */
export function codewordCounts(indices: ArrayLike<number>, codebookSize: number): number[] {
  const counts = new Array<number>(codebookSize).fill(0);
  for (let i = 0; i < indices.length; i++) counts[indices[i] as number]! += 1;
  return counts;
}

/**
 * Active units (Burda et al. 2016): dimensions j whose posterior mean varies across the data, Var_x(E_q[z_j]) > threshold.
 * `means` is row-major [batch, dim]. Returns the per-dimension variances and the count above threshold.
 */
export function activeUnits(means: ArrayLike<number>, batch: number, dim: number, threshold = 0.01): { variances: number[]; active: number } {
  const variances: number[] = [];
  for (let j = 0; j < dim; j++) {
    let mean = 0;
    for (let b = 0; b < batch; b++) mean += means[b * dim + j] as number;
    mean /= batch;
    let v = 0;
    for (let b = 0; b < batch; b++) v += ((means[b * dim + j] as number) - mean) ** 2;
    variances.push(batch > 1 ? v / (batch - 1) : 0);
  }
  return { variances, active: variances.filter((v) => v > threshold).length };
}

/** Returns `stats` if every number is finite; else throws NUMERIC_ERROR naming the statistic, so a NaN never reaches a log silently. */
export function finiteStats(kind: string, stats: Record<string, number | readonly number[]>): BottleneckStats {
  for (const [name, value] of Object.entries(stats)) {
    const values = typeof value === 'number' ? [value] : value;
    const bad = values.find((v) => !Number.isFinite(v));
    if (bad !== undefined) {
      throw new LatentkitError(
        'NUMERIC_ERROR',
        `the "${kind}" bottleneck's ${name} is ${bad}: its features or weights are no longer finite (training diverged?)`,
        { kind, stat: name },
      );
    }
  }
  return stats;
}
