import { type Rng, type Tensor, type Tensor2D, tf } from '@latentkit/core';
import { expect } from 'vitest';

/** b random unit vectors in R^d. */
export function randomUnitRows(b: number, d: number, rng: Rng): Tensor2D {
  return tf.tidy(() => {
    const g = tf.randomNormal([b, d], 0, 1, 'float32', rng.tfSeed());
    return g.div(tf.norm(g, 'euclidean', -1, true)) as Tensor2D;
  });
}

export interface Moments {
  readonly mean: number;
  readonly standardError: number;
  readonly meanSquare: number;
  readonly count: number;
}

export function moments(values: ArrayLike<number>): Moments {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    sum += x;
    sumSq += x * x;
  }
  const n = values.length;
  const mean = sum / n;
  const variance = Math.max(sumSq / n - mean * mean, 0) * (n / (n - 1));
  return { mean, standardError: Math.sqrt(variance / n), meanSquare: sumSq / n, count: n };
}

/** Asserts |sample mean − expected| ≤ k standard errors (with a float32 floor for near-deterministic samples). */
export function expectWithinStandardErrors(m: Moments, expected: number, k = 4, floor = 1e-6): void {
  const bound = k * m.standardError + floor;
  expect(Math.abs(m.mean - expected), `mean ${m.mean} vs ${expected}, bound ${bound}`).toBeLessThanOrEqual(bound);
}

/** Kolmogorov–Smirnov statistic of samples against a CDF. */
export function ksStatistic(samples: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  });
  return d;
}

export function allFinite(t: Tensor): boolean {
  return t.dataSync().every((x) => Number.isFinite(x));
}
