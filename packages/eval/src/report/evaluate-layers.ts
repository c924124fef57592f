/**
 * Per-layer latent usage of a hierarchical model (the Ladder VAE): each stochastic layer's mean KL and its active
 * units over the test set, so a collapsed lower or upper layer shows up, which the top-layer statistics alone hide.
 */
import { type Tensor1D, type Tensor2D, tf } from '@latentkit/core';
import { ACTIVE_UNIT_THRESHOLD, RunningVariance } from '../likelihood/latent-statistics.js';

/** One layer of one batch, as `EvaluableModel.stochasticLayers` gives it. */
export interface LayerBatch {
  readonly name: string;
  /** KL per example: [b]. */
  readonly kl: Tensor1D;
  /** Posterior means: [b, d]. */
  readonly means: Tensor2D;
}

export interface LayerReport {
  readonly name: string;
  readonly dim: number;
  /** Mean KL per example, in nats. */
  readonly kl: number;
  readonly activeUnits: number;
  readonly activeUnitThreshold: number;
}

/** Calls `layersOf` once per batch (inside `tf.tidy`) and accumulates each layer by its name. */
export function evaluateLayers<B>(layersOf: (batch: B) => LayerBatch[], batches: Iterable<B>, threshold = ACTIVE_UNIT_THRESHOLD): LayerReport[] {
  const acc = new Map<string, { dim: number; klSum: number; means: RunningVariance }>();
  for (const batch of batches) {
    tf.tidy(() => {
      for (const layer of layersOf(batch)) {
        const [b, d] = layer.means.shape;
        let entry = acc.get(layer.name);
        if (!entry) {
          entry = { dim: d, klSum: 0, means: new RunningVariance() };
          acc.set(layer.name, entry);
        }
        for (const v of layer.kl.dataSync()) entry.klSum += v;
        entry.means.add(layer.means.dataSync(), b, d);
      }
    });
  }
  return [...acc].map(([name, { dim, klSum, means }]) => ({
    name,
    dim,
    kl: klSum / Math.max(1, means.examples),
    activeUnits: means.variances().filter((v) => v > threshold).length,
    activeUnitThreshold: threshold,
  }));
}
