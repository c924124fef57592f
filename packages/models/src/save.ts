/**
 * The model folder: core's checkpoint format with `{format: 'latentkit-model@1', model: <config>}` as its config and
 * every trainable and state variable under its stable name. `loadModel` in another process rebuilds the model from
 * the config and assigns the weights, checking that each name and shape matches.
 */
import { LatentkitError, loadCheckpoint, saveCheckpoint, type tf } from '@latentkit/core';
import type { Model, ModelConfig } from './types.js';

export const MODEL_FORMAT = 'latentkit-model@1';
/** A training checkpoint holds a whole model too (and the optimizer, which `loadModel` ignores). */
export const TRAIN_CHECKPOINT_FORMAT = 'latentkit-train@1';

export interface ModelFolderConfig {
  readonly format: typeof MODEL_FORMAT;
  readonly model: ModelConfig;
}

/** Every variable of the model by stable name: trainable, then state. */
export function modelWeights(model: Model): Record<string, tf.Variable> {
  return { ...model.trainableVariables, ...model.stateVariables };
}

/** Assigns `weights` (by stable name) to the model's variables; every variable must be there with its shape. */
export function assignModelWeights(model: Model, weights: Readonly<Record<string, tf.Tensor>>, source: string): void {
  const targets = modelWeights(model);
  for (const [name, variable] of Object.entries(targets)) {
    const value = weights[name];
    if (!value) throw new LatentkitError('CHECKPOINT_ERROR', `${source}: no weight "${name}", which this ${model.config.kind} model needs`, { name });
    if (value.shape.join() !== variable.shape.join()) {
      throw new LatentkitError(
        'CHECKPOINT_ERROR',
        `${source}: weight "${name}" has shape [${value.shape}], this ${model.config.kind} model needs [${variable.shape}]`,
        { name },
      );
    }
  }
  for (const [name, variable] of Object.entries(targets)) variable.assign(weights[name] as tf.Tensor);
}

export async function saveModel(model: Model, dir: string): Promise<void> {
  const config: ModelFolderConfig = { format: MODEL_FORMAT, model: model.config };
  await saveCheckpoint(dir, { config, weights: modelWeights(model) });
}

/** Reads the config of a model folder without loading its weights. */
export function readModelConfig(config: unknown, dir: string): ModelConfig {
  const doc = config as { format?: string; model?: ModelConfig } | undefined;
  if ((doc?.format !== MODEL_FORMAT && doc?.format !== TRAIN_CHECKPOINT_FORMAT) || typeof doc.model !== 'object') {
    throw new LatentkitError('CHECKPOINT_ERROR', `${dir}/config.json: expected a model folder (format ${MODEL_FORMAT}) or a training checkpoint, got format ${JSON.stringify(doc?.format)}`, {
      file: dir,
    });
  }
  return doc.model;
}

/** Loads the weights of a model folder into tensors the caller disposes. */
export function readModelFolder(dir: string): { config: ModelConfig; weights: Record<string, tf.Tensor> } {
  const { config, weights } = loadCheckpoint(dir);
  return { config: readModelConfig(config, dir), weights: { ...weights } };
}
