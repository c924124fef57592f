/** A bottleneck's weights as one named map, for checkpoints: every trainable and state variable under its stable key. */
import { LatentkitError, tf } from '@latentkit/core';
import type { Bottleneck } from './types.js';

/** Every variable of `b` by key (trainable and state); the tensors are the live variables, not copies. */
export function bottleneckWeights(b: Bottleneck): Readonly<Record<string, tf.Variable>> {
  return { ...b.trainableVariables, ...b.stateVariables };
}

/**
 * Assigns saved weights (e.g. from core's `loadCheckpoint`) to `b`'s variables by key. Every variable must be present
 * with its shape; keys that are not the bottleneck's are ignored, so a whole model's weights can be passed. The
 * caller keeps ownership of `weights`.
 */
export function loadBottleneckWeights(b: Bottleneck, weights: Readonly<Record<string, tf.Tensor>>): void {
  const targets = bottleneckWeights(b);
  for (const [key, variable] of Object.entries(targets)) {
    const value = weights[key];
    if (!value) {
      throw new LatentkitError('CHECKPOINT_ERROR', `weights for the "${b.config.kind}" bottleneck lack "${key}"`, { key });
    }
    if (!tf.util.arraysEqual(value.shape, variable.shape) || value.dtype !== variable.dtype) {
      throw new LatentkitError(
        'CHECKPOINT_ERROR',
        `weight "${key}" must be ${variable.dtype} ${JSON.stringify(variable.shape)} for this "${b.config.kind}" bottleneck, got ${value.dtype} ${JSON.stringify(value.shape)}`,
        { key },
      );
    }
  }
  for (const [key, variable] of Object.entries(targets)) variable.assign(weights[key]!);
}
