/** MLP autoencoder for square grey images; default 784-500-500-2000 (Wu & Flierl 2020), decoder mirrored. */
import type { Rng, tf } from '@latentkit/core';
import { build, dense } from '../layers.js';
import type { ForwardContext, ImageBatch, ImageMlpConfig } from '../types.js';
import { BaseModel, type Reconstruction } from './base.js';
import { imageNll, imageTensor } from './image.js';

export class ImageMlp extends BaseModel<ImageMlpConfig> {
  private readonly encoder: tf.layers.Layer[] = [];
  private readonly decoder: tf.layers.Layer[] = [];

  constructor(config: ImageMlpConfig, rng: Rng) {
    super(config, rng);
    const area = config.size * config.size;
    let width = area;
    config.hiddenDims.forEach((units, i) => {
      this.encoder.push(this.add(build(dense(`enc.dense${i}`, units, 'relu', rng), [width])));
      width = units;
    });
    if (this.bottleneck.inputDim !== width) this.encoder.push(this.add(build(dense('enc.proj', this.bottleneck.inputDim, 'linear', rng), [width])));
    width = this.bottleneck.codeDim;
    [...config.hiddenDims].reverse().forEach((units, i) => {
      this.decoder.push(this.add(build(dense(`dec.dense${i}`, units, 'relu', rng), [width])));
      width = units;
    });
    this.decoder.push(this.add(build(dense('dec.out', area, 'linear', rng), [width])));
  }

  features(batch: ImageBatch, _ctx: ForwardContext): tf.Tensor2D {
    return this.encoder.reduce((x, layer) => layer.apply(x) as tf.Tensor2D, imageTensor(batch, this.config.size));
  }

  decode(code: tf.Tensor2D): tf.Tensor2D {
    return this.decoder.reduce((x, layer) => layer.apply(x) as tf.Tensor2D, code);
  }

  protected reconstruction(batch: ImageBatch, code: tf.Tensor2D): Reconstruction {
    const x = imageTensor(batch, this.config.size);
    return { nll: imageNll(this.config.likelihood, this.decode(code), x), units: x.size };
  }

  protected batchSize(batch: ImageBatch): number {
    return batch.size;
  }
}
