/**
 * One optimizer step: loss and gradients of every trainable variable, a check that both are finite, global-norm
 * clipping, the update, then the bottleneck's `afterStep` (EMA codebooks) with the same features.
 */
import { tf } from '@latentkit/core';
import type { Batch, ForwardContext, Model } from '../types.js';

export interface StepMetrics {
  /** The objective: mean reconstruction + regularizer. */
  readonly loss: number;
  /** Mean over examples of −log p(x | code). */
  readonly reconstruction: number;
  /** Mean over examples of each bottleneck term. */
  readonly terms: Readonly<Record<string, number>>;
  /** Global L2 norm of the gradients before clipping. */
  readonly gradNorm: number;
  readonly units: number;
  readonly examples: number;
  /** False when the loss or a gradient was NaN or infinite; nothing was updated then. */
  readonly finite: boolean;
}

export function trainStep(model: Model, optimizer: tf.Optimizer, batch: Batch, ctx: ForwardContext, clipNorm: number | null): StepMetrics {
  const named = model.trainableVariables;
  const names = Object.keys(named);
  const vars = names.map((n) => named[n] as tf.Variable);
  let kept: tf.Tensor[] = [];
  let info: { units: number; examples: number; reconstruction: tf.Tensor; terms: Record<string, tf.Tensor>; features: tf.Tensor2D } | undefined;
  try {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const out = (model as Model<never>).loss(batch as never, ctx);
        const reconstruction = out.reconstruction.mean();
        const terms = Object.fromEntries(Object.entries(out.terms).map(([k, t]) => [k, t.mean()]));
        kept = [out.features, reconstruction, ...Object.values(terms)].map((t) => tf.keep(t));
        info = { units: out.units, examples: out.examples, reconstruction, terms, features: out.features };
        return out.total;
      }, vars);
      const got = info as NonNullable<typeof info>;
      const loss = value.dataSync()[0] as number;
      const gradList = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
      const gradNorm = Math.sqrt(tf.addN(gradList.map((g) => g.square().sum())).dataSync()[0] as number);
      const metrics = {
        loss,
        reconstruction: got.reconstruction.dataSync()[0] as number,
        terms: Object.fromEntries(Object.entries(got.terms).map(([k, t]) => [k, t.dataSync()[0] as number])),
        gradNorm,
        units: got.units,
        examples: got.examples,
      };
      if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) return { ...metrics, finite: false };
      const scale = clipNorm !== null && gradNorm > clipNorm ? clipNorm / gradNorm : 1;
      optimizer.applyGradients(
        vars.map((v, i) => ({ name: v.name, tensor: scale === 1 ? (gradList[i] as tf.Tensor) : (gradList[i] as tf.Tensor).mul(scale) })),
      );
      model.bottleneck.afterStep?.(got.features, ctx);
      return { ...metrics, finite: true };
    });
  } finally {
    tf.dispose(kept);
  }
}
