/** MLP autoencoder for grey or RGB images of any height × width; default 784-500-500-2000 (Wu & Flierl 2020), decoder mirrored. */
import { type Rng, schemas, type tf, z } from '@latentkit/core';
import type { ExportPlan } from '../export-plan.js';
import { defineModel } from '../kind.js';
import { build, dense } from '../layers.js';
import { type Networks, buildNetwork } from '../network.js';
import type { ForwardContext, ImageBatch, ImageMlpConfig } from '../types.js';
import { BaseModel, type Reconstruction } from './base.js';
import { imageArea, imageFromData, imageNll, imageSchemaFields, imageTensor, sizeAgrees, withImageDims } from './image.js';

const INFER: ForwardContext = { mode: 'infer' };

export class ImageMlp extends BaseModel<ImageMlpConfig> {
  private readonly encoder: tf.layers.Layer[] = [];
  private readonly decoder: tf.layers.Layer[] = [];
  private readonly networks: Networks;

  constructor(config: ImageMlpConfig, rng: Rng, networks: Networks = {}) {
    super(config, rng);
    this.networks = networks;
    const area = imageArea(config);
    let width = area;
    if (networks.encoder) {
      buildNetwork(this.addNetwork(networks.encoder, 'enc.net'), [area], INFER);
      width = networks.encoder.outputWidth;
    } else {
      config.hiddenDims.forEach((units, i) => {
        this.encoder.push(this.add(build(dense(`enc.dense${i}`, units, 'relu', rng), [width])));
        width = units;
      });
    }
    if (this.bottleneck.inputDim !== width) this.encoder.push(this.add(build(dense('enc.proj', this.bottleneck.inputDim, 'linear', rng), [width])));
    width = this.bottleneck.codeDim;
    if (networks.decoder) {
      buildNetwork(this.addNetwork(networks.decoder, 'dec.net'), [width], INFER);
      width = networks.decoder.outputWidth;
    } else {
      [...config.hiddenDims].reverse().forEach((units, i) => {
        this.decoder.push(this.add(build(dense(`dec.dense${i}`, units, 'relu', rng), [width])));
        width = units;
      });
    }
    this.decoder.push(this.add(build(dense('dec.out', area, 'linear', rng), [width])));
  }

  features(batch: ImageBatch, ctx: ForwardContext): tf.Tensor2D {
    const x = imageTensor(batch, this.config);
    const h = this.networks.encoder ? (this.networks.encoder.apply(x, ctx) as tf.Tensor2D) : x;
    return this.encoder.reduce((t, layer) => layer.apply(t) as tf.Tensor2D, h);
  }

  decode(code: tf.Tensor2D, _inputs?: tf.Tensor2D, ctx: ForwardContext = INFER): tf.Tensor2D {
    const h = this.networks.decoder ? (this.networks.decoder.apply(code, ctx) as tf.Tensor2D) : code;
    return this.decoder.reduce((t, layer) => layer.apply(t) as tf.Tensor2D, h);
  }

  reconstruction(batch: ImageBatch, code: tf.Tensor2D, ctx: ForwardContext = INFER): Reconstruction {
    const x = imageTensor(batch, this.config);
    return { nll: imageNll(this.config.likelihood, this.decode(code, undefined, ctx), x), units: this.units(batch) };
  }

  exportPlan(): ExportPlan {
    const { encoder, decoder } = this.networks;
    const named = (layers: tf.layers.Layer[]) => layers.map((l) => ({ op: 'layer', layer: l.name }) as const);
    return {
      kind: 'feedForward',
      input: { field: 'pixels', width: imageArea(this.config) },
      encoder: [...(encoder ? this.networkSteps(encoder, 'enc.net') : []), ...named(this.encoder)],
      decoder: [...(decoder ? this.networkSteps(decoder, 'dec.net') : []), ...named(this.decoder)],
      outputWidth: imageArea(this.config),
    };
  }

  units(batch: ImageBatch): number {
    return batch.size * imageArea(this.config);
  }

  protected batchSize(batch: ImageBatch): number {
    return batch.size;
  }
}

export const imageMlp = defineModel<ImageMlpConfig>({
  kind: 'imageMlp',
  summary: 'MLP autoencoder for images (Wu & Flierl: 784-500-500-2000, mirrored)',
  reads: 'image',
  schema: z
    .strictObject({
      kind: z.literal('imageMlp'),
      ...imageSchemaFields(),
      hiddenDims: z.array(schemas.positiveInt()).min(1).default([500, 500, 2000]),
    })
    .refine(sizeAgrees, { path: ['size'], error: 'equal to height and width when they are given (size is the side of a square image)' })
    .transform(withImageDims),
  encoderWidth: (config, networks) => networks?.encoder?.outputWidth ?? (config.hiddenDims.at(-1) as number),
  fromData: imageFromData,
  defaults: { latentDim: 10, batchSize: 128 },
  create: (config, rng, networks) => new ImageMlp(config, rng, networks),
});
