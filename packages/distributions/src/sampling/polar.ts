/**
 * The "polar" part of a draw z on S^{d-1} around its mean direction μ: the cosine w = μ·z and the sine √(1 − w²),
 * drawn in float64 by a distribution-specific sampler, turned into [n, b, 1] tensors whose gradients reach κ.
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

/** One component as an [n, b, 1] tensor, with gradient Σ_draws dy · ∂component/∂κ to a learned κ. */
function component(values: Float64Array, derivative: () => Float64Array, kappa: Tensor1D | number, shape: [number, number, number]): Tensor3D {
  if (typeof kappa === 'number') return tf.tensor3d(Float32Array.from(values), shape);
  const f = tf.customGrad((_kappa) => ({
    value: tf.tensor3d(Float32Array.from(values), shape),
    gradFunc: (dy: Tensor) => tf.sum(dy.mul(tf.tensor3d(Float32Array.from(derivative()), shape)), [0, 2]),
  }));
  return f(kappa) as Tensor3D;
}

/**
 * (cos, sin) as [n, b, 1] tensors. With a learned κ ([b] tensor) the gradient flows to κ through ∂cos/∂κ and
 * ∂sin/∂κ = −(cos/sin) ∂cos/∂κ, summed over the n draws; a fixed κ (a number) has nothing to differentiate.
 */
export function polarTensors(draws: PolarDraws, kappa: Tensor1D | number, n: number, batchSize: number): { cos: Tensor3D; sin: Tensor3D } {
  const shape: [number, number, number] = [n, batchSize, 1];
  let dCos: Float64Array | undefined; // computed once, on the first backward pass that needs it
  const cosDerivative = () => {
    dCos ??= draws.cosDerivative();
    return dCos;
  };
  const sinDerivative = () =>
    cosDerivative().map((d, i) => {
      const s = draws.sin[i] as number;
      return s > 0 ? (-(draws.cos[i] as number) / s) * d : 0;
    });
  return { cos: component(draws.cos, cosDerivative, kappa, shape), sin: component(draws.sin, sinDerivative, kappa, shape) };
}
