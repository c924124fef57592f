/**
 * Elementwise tfjs ops evaluated in float64 plain JS, with the derivative computed in the same pass and handed to
 * tf.customGrad.
 *
 * Why on the CPU in float64: tfjs has no Bessel or gamma-family kernels, and in float32 I_v(κ) overflows for κ above
 * ~90 while the vMF KL loses all its digits to cancellation. The inputs here are per-example scalars (one κ per
 * example), so reading them back and computing in float64 costs microseconds next to the encoder around them.
 */
import { type Tensor, invalidArgument, tf } from '@latentkit/core';

export interface Float64Elementwise {
  /** The input's name in error messages, and what each of its values must be. */
  readonly argument: string;
  readonly expected: string;
  valid(x: number): boolean;
  /** f(x) and f'(x). */
  evaluate(x: number): readonly [value: number, derivative: number];
}

/** Applies `op` to every value of `x`; the result is float32 with x's shape, and differentiable through f'. */
export function applyFloat64<T extends Tensor>(op: Float64Elementwise, x: T): T {
  const inputs = x.dataSync();
  const values = new Float32Array(inputs.length);
  const derivatives = new Float32Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const xi = inputs[i] as number;
    if (!op.valid(xi)) throw invalidArgument(`${op.argument}[${i}]`, op.expected, xi);
    [values[i], derivatives[i]] = op.evaluate(xi);
  }
  const f = tf.customGrad((input) => ({
    value: tf.tensor(values, (input as Tensor).shape, 'float32'),
    gradFunc: (dy: Tensor) => dy.mul(tf.tensor(derivatives, dy.shape, 'float32')),
  }));
  return f(x) as T;
}

export function isPositiveFinite(x: number): boolean {
  return x > 0 && Number.isFinite(x);
}
