/**
 * Walks through a model's latent space, for every kind: the path between two held-out examples' codes (linear, or
 * along the great circle when the bottleneck puts its codes on the unit sphere), and traversals that sweep one code
 * dimension from −3σ to +3σ of the held-out codes. Both return decoder inputs (with a conditional model's condition
 * appended), ready for `decode`, the text decoders or `imagePixels`.
 */
import { LatentkitError, tf } from '@latentkit/core';
import { interpolateCodes } from './text/decoding.js';
import type { Batch, Model } from './types.js';

const INFER = { mode: 'infer' } as const;

export type LatentPath = 'linear' | 'slerp';

/** Whether the bottleneck's codes lie on the unit sphere (vMF, Power Spherical): its inference ends in an L2 normalisation. */
export function isSphericalLatent(model: Model): boolean {
  const steps = model.bottleneck.inference?.().steps ?? [];
  return steps.at(-1)?.op === 'l2Normalize';
}

/** The path a model's codes call for: slerp on a spherical latent, linear otherwise. */
export function latentPathFor(model: Model): LatentPath {
  return isSphericalLatent(model) ? 'slerp' : 'linear';
}

/** Deterministic codes [size, codeDim] of a batch (inference mode). */
export function encodeCodes(model: Model, batch: Batch): tf.Tensor2D {
  return tf.tidy(() => model.encode(batch as never, INFER).code);
}

/** The decoder inputs for codes and (for a conditional model) one label each. */
function conditioned(model: Model, codes: tf.Tensor2D, labels?: ArrayLike<number>): tf.Tensor2D {
  const withCondition = (model as { conditionedCode?: (c: tf.Tensor2D, l?: ArrayLike<number>) => tf.Tensor2D }).conditionedCode;
  if (!model.config.condition || !withCondition) return tf.clone(codes);
  return withCondition.call(model, codes, labels);
}

export interface InterpolationOptions {
  /** Points on the path, ends included. Default 8. */
  readonly steps?: number;
  /** Default: slerp on a spherical latent, linear otherwise. */
  readonly path?: LatentPath;
}

/**
 * Decoder inputs [steps, decoderWidth] along the latent path from example `i` to example `j` of `batch`. A
 * conditional model's condition moves linearly from the first example's class to the second's.
 */
export function interpolationCodes(
  model: Model,
  batch: Batch & { readonly labels?: ArrayLike<number> },
  i: number,
  j: number,
  options: InterpolationOptions = {},
): tf.Tensor2D {
  const size = batch.size;
  for (const [name, k] of [
    ['i', i],
    ['j', j],
  ] as const) {
    if (!(Number.isInteger(k) && k >= 0 && k < size)) {
      throw new LatentkitError('INVALID_ARGUMENT', `interpolate: example ${name} must be an index in [0, ${size}) of the held-out examples, got ${k}`, {
        argument: '--interpolate',
      });
    }
  }
  const steps = options.steps ?? 8;
  const path = options.path ?? latentPathFor(model);
  const codes = encodeCodes(model, batch);
  try {
    return tf.tidy(() => {
      const [a, b] = [codes.gather([i]).squeeze([0]) as tf.Tensor1D, codes.gather([j]).squeeze([0]) as tf.Tensor1D];
      const along = interpolateCodes(a, b, steps, path);
      const condition = model.config.condition;
      if (!condition) return along;
      const labels = batch.labels;
      if (!labels) throw new LatentkitError('INVALID_ARGUMENT', "interpolate: a conditional model needs the examples' labels", { argument: 'labels' });
      const ends = conditioned(model, tf.zeros([2, model.bottleneck.codeDim]), [labels[i] as number, labels[j] as number]).slice([0, model.bottleneck.codeDim]);
      const t = tf.linspace(0, 1, steps).expandDims(1);
      const c = ends
        .slice([0, 0], [1, -1])
        .mul(tf.sub(1, t))
        .add(ends.slice([1, 0], [1, -1]).mul(t));
      return tf.concat([along, c], 1) as tf.Tensor2D;
    });
  } finally {
    codes.dispose();
  }
}

export interface TraversalOptions {
  /** Values per row, from −`range`σ to +`range`σ around the held-out mean of the dimension. Default 9. */
  readonly steps?: number;
  /** Half-width of the sweep in held-out standard deviations. Default 3. */
  readonly range?: number;
}

/** The values a traversal sweeps dimension `dim` through: mean + t·σ of the held-out codes, t from −range to +range. */
export function traversalValues(heldOut: tf.Tensor2D, dim: number, options: TraversalOptions = {}): Float32Array {
  const codeDim = heldOut.shape[1];
  if (!(Number.isInteger(dim) && dim >= 0 && dim < codeDim)) {
    throw new LatentkitError('INVALID_ARGUMENT', `traverse: the dimension must be in [0, ${codeDim}) (the code has ${codeDim}), got ${dim}`, {
      argument: '--traverse',
    });
  }
  const steps = options.steps ?? 9;
  const range = options.range ?? 3;
  if (!(Number.isInteger(steps) && steps >= 2))
    throw new LatentkitError('INVALID_ARGUMENT', `traverse: steps must be an integer ≥ 2, got ${steps}`, { argument: '--steps' });
  return tf.tidy(() => {
    const column = heldOut.slice([0, dim], [-1, 1]);
    const { mean, variance } = tf.moments(column);
    return tf.linspace(-range, range, steps).mul(tf.sqrt(variance)).add(mean).dataSync() as Float32Array;
  });
}

/**
 * A traversal grid of decoder inputs [rows · steps, decoderWidth], row-major: row r is base example r's code with
 * dimension `dim` replaced by each of `traversalValues`; everything else (and its condition) stays. A spherical
 * code is put back on the sphere after the change.
 */
export function traversalCodes(
  model: Model,
  base: Batch & { readonly labels?: ArrayLike<number> },
  heldOut: tf.Tensor2D,
  dim: number,
  options: TraversalOptions = {},
): tf.Tensor2D {
  const values = traversalValues(heldOut, dim, options);
  const steps = values.length;
  const codes = encodeCodes(model, base);
  try {
    return tf.tidy(() => {
      const [rows, codeDim] = codes.shape;
      const tiled = codes
        .expandDims(1)
        .tile([1, steps, 1])
        .reshape([rows * steps, codeDim]) as tf.Tensor2D;
      const onDim = tf.oneHot(tf.fill([rows * steps], dim, 'int32'), codeDim).toFloat();
      const swept = tf
        .tensor1d(values)
        .expandDims(0)
        .tile([rows, 1])
        .reshape([rows * steps, 1]);
      let grid = tiled.mul(tf.sub(1, onDim)).add(onDim.mul(swept)) as tf.Tensor2D;
      if (isSphericalLatent(model)) grid = grid.div(tf.maximum(grid.norm(2, 1, true), 1e-12)) as tf.Tensor2D;
      const labels = base.labels;
      const rowLabels = model.config.condition && labels ? Array.from({ length: rows * steps }, (_, k) => labels[Math.floor(k / steps)] as number) : undefined;
      return conditioned(model, grid, rowLabels);
    });
  } finally {
    codes.dispose();
  }
}
