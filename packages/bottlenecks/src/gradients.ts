/**
 * Gradient surgery. tfjs has no stop-gradient op, so it is a custom gradient that passes the value and returns zeros.
 */
import { tf } from '@latentkit/core';

const stop = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: (args[0] as tf.Tensor).clone(),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/** sg(x): the value of x, with no gradient flowing back into x. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}

/** x + sg(y − x): y's value forward, the identity to x backward and nothing to y (Bengio et al. 2013). */
export function straightThrough<T extends tf.Tensor>(x: T, y: T): T {
  return tf.add(x, stopGradient(tf.sub(y, x))) as T;
}

/** Σ over the last axis of (a − b)²: per-example squared distance, [batch]. */
export function squaredError(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.squaredDifference(a, b), 1) as tf.Tensor1D;
}
