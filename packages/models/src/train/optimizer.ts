/**
 * tfjs optimizers behind three calls the trainer needs: apply gradients in a fixed variable order, change the
 * learning rate, and save / restore the state (Adam's moments, the step count) under stable names.
 *
 * tfjs keys an optimizer's slots by the position of each gradient in the list it is given, so the trainer always
 * passes every trainable variable in the model's sorted-name order, with zeros for a variable without gradient.
 */
import { tf } from '@latentkit/core';
import type { OptimizerConfig } from './config.js';

export function createOptimizer(config: OptimizerConfig): tf.Optimizer {
  if (config.kind === 'sgd') {
    return config.momentum ? tf.train.momentum(config.learningRate, config.momentum) : tf.train.sgd(config.learningRate);
  }
  return tf.train.adam(config.learningRate, config.beta1 ?? 0.9, config.beta2 ?? 0.999, config.epsilon ?? 1e-8);
}

/** tfjs reads `learningRate` at every step but only SGD exposes a setter; Adam and momentum keep it in the same field. */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

/** The optimizer's slots as `optimizer/<i>` tensors (copies), in tfjs's own order: step count, then per-variable slots. */
export async function optimizerState(optimizer: tf.Optimizer): Promise<Record<string, tf.Tensor>> {
  const weights = await optimizer.getWeights();
  return Object.fromEntries(weights.map((w, i) => [`optimizer/${String(i).padStart(4, '0')}`, w.tensor]));
}

/** Restores what `optimizerState` saved; the tensors are copied into new optimizer variables. */
export async function restoreOptimizerState(optimizer: tf.Optimizer, weights: Readonly<Record<string, tf.Tensor>>): Promise<void> {
  const slots = Object.keys(weights)
    .filter((k) => k.startsWith('optimizer/'))
    .sort()
    .map((name) => ({ name, tensor: weights[name] as tf.Tensor }));
  if (slots.length > 0) await optimizer.setWeights(slots);
}
