/**
 * Small conv autoencoder for square grey images: two 3×3 stride-2 convs (side → side/4), a dense layer, and the
 * mirror image with transposed convs and a final 3×3 conv to one channel.
 */
import { type Rng, tf } from '@latentkit/core';
import { build, conv2d, conv2dTranspose, dense } from '../layers.js';
import type { ForwardContext, ImageBatch, ImageConvConfig } from '../types.js';
import { BaseModel, type Reconstruction } from './base.js';
import { imageNll, imageTensor } from './image.js';

export class ImageConv extends BaseModel<ImageConvConfig> {
  private readonly encoder: tf.layers.Layer[];
  private readonly proj?: tf.layers.Layer;
  private readonly decoderDense: tf.layers.Layer;
  private readonly decoderConvs: tf.layers.Layer[];

  constructor(config: ImageConvConfig, rng: Rng) {
    super(config, rng);
    const s = config.size;
    const [f0, f1] = config.filters;
    const q = s / 4;
    this.encoder = [
      this.add(build(conv2d('enc.conv0', f0, 2, 'relu', rng), [s, s, 1])),
      this.add(build(conv2d('enc.conv1', f1, 2, 'relu', rng), [s / 2, s / 2, f0])),
      this.add(build(tf.layers.flatten({ name: 'enc.flatten' }), [q, q, f1])),
      this.add(build(dense('enc.dense', config.denseDim, 'relu', rng), [q * q * f1])),
    ];
    if (this.bottleneck.inputDim !== config.denseDim) {
      this.proj = this.add(build(dense('enc.proj', this.bottleneck.inputDim, 'linear', rng), [config.denseDim]));
    }
    this.decoderDense = this.add(build(dense('dec.dense', q * q * f1, 'relu', rng), [this.bottleneck.codeDim]));
    this.decoderConvs = [
      this.add(build(conv2dTranspose('dec.deconv0', f1, 'relu', rng), [q, q, f1])),
      this.add(build(conv2dTranspose('dec.deconv1', f0, 'relu', rng), [s / 2, s / 2, f1])),
      this.add(build(conv2d('dec.out', 1, 1, 'linear', rng), [s, s, f0])),
    ];
  }

  features(batch: ImageBatch, _ctx: ForwardContext): tf.Tensor2D {
    const s = this.config.size;
    const x = imageTensor(batch, s).reshape([batch.size, s, s, 1]);
    const h = this.encoder.reduce((t, layer) => layer.apply(t) as tf.Tensor, x as tf.Tensor) as tf.Tensor2D;
    return this.proj ? (this.proj.apply(h) as tf.Tensor2D) : h;
  }

  decode(code: tf.Tensor2D): tf.Tensor2D {
    const s = this.config.size;
    const q = s / 4;
    const grid = (this.decoderDense.apply(code) as tf.Tensor).reshape([code.shape[0], q, q, this.config.filters[1]]);
    const out = this.decoderConvs.reduce((t, layer) => layer.apply(t) as tf.Tensor, grid);
    return out.reshape([code.shape[0], s * s]);
  }

  protected reconstruction(batch: ImageBatch, code: tf.Tensor2D): Reconstruction {
    const x = imageTensor(batch, this.config.size);
    return { nll: imageNll(this.config.likelihood, this.decode(code), x), units: x.size };
  }

  protected batchSize(batch: ImageBatch): number {
    return batch.size;
  }
}
