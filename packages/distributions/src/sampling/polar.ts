/**
 * The "polar" part of a draw z on S^{d-1} around its mean direction μ: the cosine w = μ·z and the sine √(1 − w²),
 * drawn in float64 by a distribution-specific sampler, turned into a [n, b, 2] tensor whose gradient reaches κ.
 */
import { type Tensor, type Tensor1D, type Tensor3D, tf } from '@latentkit/core';

/** n·b draws, draw i of example j at index i·b + j. */
export interface PolarDraws {
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  /** ∂cos/∂κ of each draw; a function because some samplers only compute it when a backward pass needs it. */
  readonly cosDerivative: () => Float64Array;
}

/** Repeats the b per-example values n times, in the i·b + j layout of PolarDraws. */
export function tile(values: Float64Array, n: number): Float64Array {
  const out = new Float64Array(values.length * n);
  for (let i = 0; i < n; i++) out.set(values, i * values.length);
  return out;
}

function interleave(a: Float64Array, b: Float64Array): Float32Array {
  const out = new Float32Array(2 * a.length);
  for (let i = 0; i < a.length; i++) {
    out[2 * i] = a[i] as number;
    out[2 * i + 1] = b[i] as number;
  }
  return out;
}

function jacobian(draws: PolarDraws): Float32Array {
  const dCos = draws.cosDerivative();
  const dSin = dCos.map((d, i) => {
    const s = draws.sin[i] as number;
    return s > 0 ? (-(draws.cos[i] as number) / s) * d : 0;
  });
  return interleave(dCos, dSin);
}

/**
 * [n, b, 2] tensor of (cos, sin). With a learned κ ([b] tensor) the gradient flows to κ through ∂cos/∂κ and
 * ∂sin/∂κ = −(cos/sin) ∂cos/∂κ, summed over the n draws; a fixed κ (a number) has nothing to differentiate.
 */
export function polarTensor(draws: PolarDraws, kappa: Tensor1D | number, n: number, batchSize: number): Tensor3D {
  const shape: [number, number, number] = [n, batchSize, 2];
  const values = interleave(draws.cos, draws.sin);
  if (typeof kappa === 'number') return tf.tensor3d(values, shape);
  const f = tf.customGrad((_kappa) => ({
    value: tf.tensor3d(values, shape),
    gradFunc: (dy: Tensor) => tf.sum(dy.mul(tf.tensor3d(jacobian(draws), shape)), [0, 2]),
  }));
  return f(kappa) as Tensor3D;
}
