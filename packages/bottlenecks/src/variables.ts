/**
 * Weights as tf.Variables, initialised from latentkit's seeded Rng (in JavaScript, so the values do not depend on the
 * backend), under stable keys. tfjs keeps one global registry of variable names, so the tf.Variable itself gets a
 * process-unique name derived from the key.
 */
import { type Rng, reserveWeights, tf } from '@latentkit/core';

let created = 0;

export function makeVariable(key: string, value: tf.Tensor, trainable: boolean): tf.Variable {
  created += 1;
  return tf.variable(value, trainable, `${key}#${created}`);
}

/** Uniform on [−limit, limit), drawn from `rng`. */
export function uniformValues(rng: Rng, shape: readonly number[], limit: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  reserveWeights(`bottleneck [${shape.join(', ')}]`, size);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (2 * rng.uniform() - 1) * limit;
  return tf.tensor(values, [...shape], 'float32');
}

export interface LinearWeights {
  /** [inDim, outDim]. */
  readonly kernel: tf.Variable;
  /** [outDim]. */
  readonly bias: tf.Variable;
}

/** A linear layer's weights, keyed `<scope>/kernel` and `<scope>/bias`: kernel Glorot-uniform, bias zeros (Keras's Dense defaults). */
export function linearWeights(rng: Rng, scope: string, inDim: number, outDim: number): LinearWeights {
  return tf.tidy(() => ({
    kernel: makeVariable(`${scope}/kernel`, uniformValues(rng, [inDim, outDim], Math.sqrt(6 / (inDim + outDim))), true),
    bias: makeVariable(`${scope}/bias`, tf.zeros([outDim]), true),
  }));
}

/** A linear layer's weights by their keys, `<scope>/kernel` and `<scope>/bias`. */
export function linearVariables(scope: string, w: LinearWeights): Record<string, tf.Variable> {
  return { [`${scope}/kernel`]: w.kernel, [`${scope}/bias`]: w.bias };
}

export function linear(x: tf.Tensor2D, w: LinearWeights): tf.Tensor2D {
  return tf.add(tf.matMul(x, w.kernel as tf.Tensor2D), w.bias);
}
