/**
 * Gamma(shape, 1) draws in float64 by Marsaglia & Tsang (2000), for a whole batch at once: each rejection round
 * redraws only the entries still pending (acceptance is above 95%, so a handful of rounds). Runs in plain JS because
 * tfjs has no gamma sampler with gradients and float32 would blur the Beta draws built from these near 0 and 1.
 *
 * Each draw also carries ∂G/∂shape: the reparameterised term of rejection sampling (Naesseth et al. 2017,
 * "Reparameterization Gradients through Acceptance-Rejection Sampling Algorithms"), with the accepted normal held
 * fixed. Their correction term, for the shape moving the acceptance region, is left out; its weight falls quickly
 * with the shape, so — again following Naesseth et al. — small shapes are boosted: G_a = G_{a+B} Π_{i<B} U_i^{1/(a+i)},
 * whose U-factors have exact gradients, with a + B ≥ 10. This brings the bias of E[∂G/∂a] from several percent at
 * a ≈ 1 to about 0.1%.
 */
import type { Rng } from '@latentkit/core';

/** Shapes below this are boosted to at least this when the gradient is wanted; Marsaglia–Tsang itself needs ≥ 1. */
const BOOST_FOR_GRADIENT = 10;

export interface GammaDraws {
  readonly value: Float64Array;
  /** ∂value/∂shape (reparameterised term). */
  readonly dShape: Float64Array;
}

/** `forGradient: false` skips the extra boosting when ∂G/∂shape will not be used (dShape then has the larger bias). */
export function sampleGamma(shapes: Float64Array, rng: Rng, forGradient = true): GammaDraws {
  const n = shapes.length;
  const value = new Float64Array(n);
  const dShape = new Float64Array(n);
  const boostTo = forGradient ? BOOST_FOR_GRADIENT : 1;
  const boosts = shapes.map((shape) => (shape < boostTo ? Math.ceil(boostTo - shape) : 0));
  let pending = Array.from({ length: n }, (_, i) => i);
  while (pending.length > 0) {
    const rejected: number[] = [];
    for (const i of pending) {
      const d = (shapes[i] as number) + (boosts[i] as number) - 1 / 3;
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
    let logScale = 0;
    let dLogScale = 0;
    for (let j = 0; j < (boosts[i] as number); j++) {
      const logU = Math.log(1 - rng.uniform());
      logScale += logU / (shape + j);
      dLogScale -= logU / ((shape + j) * (shape + j));
    }
    const scale = Math.exp(logScale);
    const scaled = (value[i] as number) * scale;
    dShape[i] = (dShape[i] as number) * scale + scaled * dLogScale;
    value[i] = scaled;
  }
  return { value, dShape };
}
