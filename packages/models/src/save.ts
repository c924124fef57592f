/**
 * The model folder: core's checkpoint format with `{format: 'latentkit-model@1', model: <config>}` as its config and
 * every trainable and state variable under its stable name. `loadModel` in another process rebuilds the model from
 * the config and assigns the weights, checking that each name, dtype and shape is one of the model's own: a folder
 * is untrusted input, and a weight the model does not have is refused rather than ignored.
 */
import { LatentkitError, type LoadCheckpointOptions, type WeightSpec, loadCheckpoint, readCheckpointConfig, saveCheckpoint, tf } from '@latentkit/core';
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

/** The trainer's optimizer slots in a training checkpoint: `optimizer/0000`, …, and Adam's `optimizer.adam/accBeta{1,2}`. */
const OPTIMIZER_SLOT = /^optimizer\/\d{4,}$|^optimizer\.adam\/accBeta[12]$/;

export function isOptimizerSlotName(name: string): boolean {
  return OPTIMIZER_SLOT.test(name);
}

/** The trainer's copy of the best-validation weights in a training checkpoint (`restoreBest`): `best/<weight name>`. */
export const BEST_WEIGHT_PREFIX = 'best/';

/** A checkpoint entry the trainer keeps beside the model's weights: an optimizer slot or a best-validation weight. */
function isTrainerEntry(name: string): boolean {
  return isOptimizerSlotName(name) || name.startsWith(BEST_WEIGHT_PREFIX);
}

/**
 * What is wrong with a checkpoint entry for `model` (for core's `loadCheckpoint` `checkEntry`, so the check happens
 * before any weight is read): a name that is not one of the model's variables (or, with `optimizerSlots`, one of the
 * trainer's slots or best-validation copies), or a dtype or shape other than the variable's.
 */
export function modelEntryCheck(model: Model, options: { readonly optimizerSlots?: boolean } = {}): (spec: WeightSpec) => string | undefined {
  const targets = modelWeights(model);
  return (spec) => {
    // A best-validation copy must match the weight it copies, like the weight itself.
    const name = options.optimizerSlots && spec.name.startsWith(BEST_WEIGHT_PREFIX) ? spec.name.slice(BEST_WEIGHT_PREFIX.length) : spec.name;
    const variable = Object.hasOwn(targets, name) ? targets[name] : undefined;
    if (!variable) {
      if (options.optimizerSlots && isOptimizerSlotName(spec.name)) return undefined;
      return `"${spec.name}" is not a weight of this ${model.config.kind} model`;
    }
    if (spec.dtype !== variable.dtype) return `dtype ${spec.dtype}, this ${model.config.kind} model's "${spec.name}" is ${variable.dtype}`;
    if (spec.shape.join() !== variable.shape.join()) return `shape [${spec.shape}], this ${model.config.kind} model's "${spec.name}" is [${variable.shape}]`;
    return undefined;
  };
}

/**
 * Assigns `weights` (by stable name) to the model's variables; every variable must be there with its dtype and
 * shape, and every weight must be one of the model's variables or a trainer optimizer slot.
 */
export function assignModelWeights(model: Model, weights: Readonly<Record<string, tf.Tensor>>, source: string): void {
  const targets = modelWeights(model);
  for (const name of Object.keys(weights)) {
    if (!Object.hasOwn(targets, name) && !isTrainerEntry(name)) {
      throw new LatentkitError('CHECKPOINT_ERROR', `${source}: weight "${name}" is not a weight of this ${model.config.kind} model`, { name });
    }
  }
  for (const [name, variable] of Object.entries(targets)) {
    const value = weights[name];
    if (!value) throw new LatentkitError('CHECKPOINT_ERROR', `${source}: no weight "${name}", which this ${model.config.kind} model needs`, { name });
    if (value.dtype !== variable.dtype) {
      throw new LatentkitError(
        'CHECKPOINT_ERROR',
        `${source}: weight "${name}" has dtype ${value.dtype}, this ${model.config.kind} model needs ${variable.dtype}`,
        { name },
      );
    }
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
    throw new LatentkitError(
      'CHECKPOINT_ERROR',
      `${dir}: expected a model folder (format ${MODEL_FORMAT}) or a training checkpoint, got format ${JSON.stringify(doc?.format)}`,
      {
        file: dir,
      },
    );
  }
  return doc.model;
}

/** Loads the weights of a model folder into tensors the caller disposes (structure checked; names by `assignModelWeights`). */
export function readModelFolder(dir: string, options: Pick<LoadCheckpointOptions, 'within'> = {}): { config: ModelConfig; weights: Record<string, tf.Tensor> } {
  const { config, weights } = loadCheckpoint(dir, options);
  return { config: readModelConfig(config, dir), weights: { ...weights } };
}

/** The model config of a model folder or training checkpoint, without reading its weights (`.old` fallback included). */
export function readModelFolderConfig(dir: string, options: Pick<LoadCheckpointOptions, 'within'> = {}): ModelConfig {
  return readModelConfig(readCheckpointConfig(dir, options), dir);
}

/**
 * Reads the weights of a model folder (or training checkpoint) into `model`, refusing any entry that is not one of
 * its variables with its dtype and shape before a byte of weights is read. Build `model` from
 * `readModelFolderConfig(dir)`.
 */
export function loadModelWeights(model: Model, dir: string, options: Pick<LoadCheckpointOptions, 'within'> = {}): void {
  const { weights } = loadCheckpoint(dir, { ...options, checkEntry: modelEntryCheck(model, { optimizerSlots: true }) });
  try {
    assignModelWeights(model, weights, dir);
  } finally {
    tf.dispose(Object.values(weights));
  }
}
