/** NVDM (Miao et al. 2016): an MLP encoder on word counts, one softmax over the vocabulary as decoder. */
import { type Rng, tf } from '@latentkit/core';
import { build, dense } from '../layers.js';
import { multinomialNll } from '../likelihoods.js';
import type { BowBatch, BowVaeConfig, ForwardContext } from '../types.js';
import { BaseModel, type Reconstruction, checkLength } from './base.js';

export class BowVae extends BaseModel<BowVaeConfig> {
  private readonly encoder: tf.layers.Layer[] = [];
  private readonly out: tf.layers.Layer;

  constructor(config: BowVaeConfig, rng: Rng) {
    super(config, rng);
    let width = config.vocabSize;
    config.hiddenDims.forEach((units, i) => {
      this.encoder.push(this.add(build(dense(`enc.dense${i}`, units, config.activation, rng), [width])));
      width = units;
    });
    if (this.bottleneck.inputDim !== width) this.encoder.push(this.add(build(dense('enc.proj', this.bottleneck.inputDim, 'linear', rng), [width])));
    this.out = this.add(build(dense('dec.out', config.vocabSize, 'linear', rng), [this.bottleneck.codeDim]));
  }

  private counts(batch: BowBatch): tf.Tensor2D {
    checkLength(batch.counts, batch.size * this.config.vocabSize, 'counts', `size × vocabSize ${this.config.vocabSize}`);
    return tf.tensor2d(batch.counts, [batch.size, this.config.vocabSize]);
  }

  features(batch: BowBatch, _ctx: ForwardContext): tf.Tensor2D {
    return this.encoder.reduce((x, layer) => layer.apply(x) as tf.Tensor2D, this.counts(batch));
  }

  /** Logits of the word distribution p(w | code): [batch, vocab]. */
  decode(code: tf.Tensor2D): tf.Tensor2D {
    return this.out.apply(code) as tf.Tensor2D;
  }

  protected reconstruction(batch: BowBatch, code: tf.Tensor2D): Reconstruction {
    const counts = this.counts(batch);
    return { nll: multinomialNll(this.decode(code), counts), units: batch.counts.reduce((a, c) => a + c, 0) };
  }

  protected batchSize(batch: BowBatch): number {
    return batch.size;
  }
}
