/** From a config to a model, and from a model folder back to the model. */
import { Rng, tf } from '@latentkit/core';
import { resolveModelConfig } from './config.js';
import { BowVae } from './models/bow-vae.js';
import { ImageConv } from './models/image-conv.js';
import { ImageMlp } from './models/image-mlp.js';
import { TextVae } from './models/text-vae.js';
import { assignModelWeights, readModelFolder } from './save.js';
import type { CreateModelOptions, Model, ModelConfig, ModelConfigInput } from './types.js';

export type AnyModel = TextVae | BowVae | ImageMlp | ImageConv;

/** The model class each config kind builds. */
export type ModelOf<C> = C extends { kind: 'textVae' }
  ? TextVae
  : C extends { kind: 'bowVae' }
    ? BowVae
    : C extends { kind: 'imageMlp' }
      ? ImageMlp
      : C extends { kind: 'imageConv' }
        ? ImageConv
        : AnyModel;

/** Builds a model with fresh weights drawn from `options.seed`: the same config and seed give the same weights. */
export function createModel<C extends ModelConfigInput | ModelConfig>(input: C, options: CreateModelOptions = {}): ModelOf<C> {
  const config = resolveModelConfig(input);
  const rng = Rng.fromSeed(`latentkit-model:${options.seed ?? 0}`);
  switch (config.kind) {
    case 'textVae':
      return new TextVae(config, rng) as ModelOf<C>;
    case 'bowVae':
      return new BowVae(config, rng) as ModelOf<C>;
    case 'imageMlp':
      return new ImageMlp(config, rng) as ModelOf<C>;
    case 'imageConv':
      return new ImageConv(config, rng) as ModelOf<C>;
  }
}

/**
 * Loads a model folder written by `model.save(dir)`, or a training checkpoint, in this process or another. Name the
 * class when you know it (`loadModel<TextVae>(dir)`) to get its own methods.
 */
export function loadModel<M extends Model = Model>(dir: string): M {
  const { config, weights } = readModelFolder(dir);
  const model = createModel(config);
  try {
    assignModelWeights(model, weights, dir);
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(weights);
  }
  return model as unknown as M;
}
