/**
 * Gamma(shape, 1) draws in float64 by Marsaglia & Tsang (2000), for a whole batch at once: each rejection round
 * redraws only the entries still pending (acceptance is above 95% for shape ≥ 1, so a handful of rounds). Runs in
 * plain JS because tfjs has no gamma sampler with gradients and float32 would blur the Beta draws near 0 and 1.
 *
 * Each draw also carries ∂G/∂shape with the accepted normal held fixed: the reparameterised term of rejection
 * sampling (Naesseth et al. 2017, "Reparameterization Gradients through Acceptance-Rejection Sampling
 * Algorithms"). Their correction term, which accounts for the shape moving the acceptance region, is left out;
 * it is small because almost every proposal is accepted.
 */
import type { Rng } from '@latentkit/core';

export interface GammaDraws {
  readonly value: Float64Array;
  /** ∂value/∂shape (reparameterised term). */
  readonly dShape: Float64Array;
}

export function sampleGamma(shapes: Float64Array, rng: Rng): GammaDraws {
  const n = shapes.length;
  const value = new Float64Array(n);
  const dShape = new Float64Array(n);
  let pending = Array.from({ length: n }, (_, i) => i);
  while (pending.length > 0) {
    const rejected: number[] = [];
    for (const i of pending) {
      const shape = shapes[i] as number;
      // Below 1 the method draws Gamma(shape + 1) and scales it by U^{1/shape} below.
      const d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      const x = rng.normal();
      const v = 1 + c * x;
      if (v <= 0) {
        rejected.push(i);
        continue;
      }
      const v3 = v * v * v;
      if (Math.log(1 - rng.uniform()) < 0.5 * x * x + d - d * v3 + d * Math.log(v3)) {
        value[i] = d * v3;
        dShape[i] = v3 - 1.5 * c * x * v * v; // ∂(d (1 + c x)³)/∂d with c = (9d)^{-1/2}
      } else {
        rejected.push(i);
      }
    }
    pending = rejected;
  }
  for (let i = 0; i < n; i++) {
    const shape = shapes[i] as number;
    if (shape >= 1) continue;
    const logU = Math.log(1 - rng.uniform());
    const scale = Math.exp(logU / shape);
    dShape[i] = (dShape[i] as number) * scale - ((value[i] as number) * scale * logU) / (shape * shape);
    value[i] = (value[i] as number) * scale;
  }
  return { value, dShape };
}
