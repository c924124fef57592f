/**
 * Adapts a latentkit model (the `Model` contract of @latentkit/models) to `EvaluableModel`: codes are the
 * bottleneck's deterministic `latent`; models whose bottleneck has a density (Gaussian, vMF, Power Spherical) also
 * give likelihood pieces, with log p(x|z) from the model's decoder and the models package's own likelihoods.
 */
import { hasDensity } from '@latentkit/bottlenecks';
import { tf } from '@latentkit/core';
import {
  type BatchOf,
  type BowBatch,
  type ImageBatch,
  type Model,
  type ModelConfig,
  type TextBatch,
  bernoulliNll,
  gaussianNll,
  multinomialNll,
  sequenceNll,
} from '@latentkit/models';
import type { EvaluableModel } from './report.js';

const INFER = { mode: 'infer' } as const;

/** −log p(x|z) per example for the model's kind of data. */
function negLogLikelihood(model: Model, batch: BatchOf[ModelConfig['kind']], z: tf.Tensor2D): tf.Tensor1D {
  const { config } = model;
  switch (config.kind) {
    case 'textVae': {
      const b = batch as TextBatch;
      const shape: [number, number] = [b.size, b.steps];
      const logits = model.decode(z, tf.tensor2d(b.inputs, shape, 'int32'), INFER) as tf.Tensor3D;
      return sequenceNll(logits, tf.tensor2d(b.targets, shape, 'int32'), tf.tensor2d(b.mask, shape));
    }
    case 'bowVae': {
      const b = batch as BowBatch;
      return multinomialNll(model.decode(z) as tf.Tensor2D, tf.tensor2d(b.counts, [b.size, config.vocabSize]));
    }
    case 'imageMlp':
    case 'imageConv': {
      const b = batch as ImageBatch;
      const x = tf.tensor2d(b.pixels, [b.size, config.size * config.size]);
      const output = model.decode(z) as tf.Tensor2D;
      return config.likelihood === 'bernoulli' ? bernoulliNll(output, x) : gaussianNll(output, x);
    }
  }
}

/** Predicted units, as the models count them: tokens incl. `<eos>` (mask), word occurrences, pixels. */
function unitsOf(config: ModelConfig, batch: BatchOf[ModelConfig['kind']]): number {
  switch (config.kind) {
    case 'textVae':
      return (batch as TextBatch).mask.reduce((s, m) => s + m, 0);
    case 'bowVae':
      return (batch as BowBatch).counts.reduce((s, c) => s + c, 0);
    case 'imageMlp':
    case 'imageConv':
      return (batch as ImageBatch).size * config.size * config.size;
  }
}

export function fromModel<C extends ModelConfig>(model: Model<C>): EvaluableModel<BatchOf[C['kind']]> {
  const { bottleneck } = model;
  const generic = model as unknown as Model;
  return {
    description: { kind: model.config.kind, bottleneck: bottleneck.config.kind, codeDim: bottleneck.codeDim },
    encode: (batch) => tf.tidy(() => model.encode(batch, INFER).latent),
    reconstruction: (batch) => {
      const out = model.loss(batch, INFER);
      return { nll: out.reconstruction, units: out.units };
    },
    likelihood: hasDensity(bottleneck)
      ? (batch) => {
          return {
            pieces: {
              posterior: bottleneck.posterior(model.features(batch, INFER)),
              prior: bottleneck.prior(),
              logLikelihood: (z) => tf.tidy(() => tf.neg(negLogLikelihood(generic, batch, z))),
            },
            units: unitsOf(generic.config, batch),
          };
        }
      : undefined,
  };
}
