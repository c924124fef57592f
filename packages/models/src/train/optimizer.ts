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

/**
 * tfjs's Adam keeps β₁ᵗ and β₂ᵗ as running products but `setWeights` recomputes them with pow(), which differs in the
 * last bit; saving the products themselves makes a resumed run bit-identical to an uninterrupted one.
 */
interface AdamPowers {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}
const POWERS = ['accBeta1', 'accBeta2'] as const;

/**
 * The optimizer's slots as `optimizer/<i>` tensors in tfjs's own order (step count, then per-variable slots; the
 * slots are the live variables, the step count a new tensor), plus Adam's `optimizer.adam/accBeta{1,2}`.
 */
export async function optimizerState(optimizer: tf.Optimizer): Promise<Record<string, tf.Tensor>> {
  const weights = await optimizer.getWeights();
  const slots: Record<string, tf.Tensor> = Object.fromEntries(weights.map((w, i) => [`optimizer/${String(i).padStart(4, '0')}`, w.tensor]));
  const powers = optimizer as unknown as AdamPowers;
  for (const name of POWERS) {
    const value = powers[name];
    if (value) slots[`optimizer.adam/${name}`] = value;
  }
  return slots;
}

/** Restores what `optimizerState` saved; the tensors are copied into new optimizer variables. */
export async function restoreOptimizerState(optimizer: tf.Optimizer, weights: Readonly<Record<string, tf.Tensor>>): Promise<void> {
  const slots = Object.keys(weights)
    .filter((k) => k.startsWith('optimizer/'))
    .sort()
    .map((name) => ({ name, tensor: weights[name] as tf.Tensor }));
  if (slots.length > 0) await optimizer.setWeights(slots);
  const powers = optimizer as unknown as AdamPowers;
  for (const name of POWERS) {
    const saved = weights[`optimizer.adam/${name}`];
    if (saved && powers[name]) powers[name].assign(saved);
  }
}
