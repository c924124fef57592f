/**
 * Small conv autoencoder for square grey images: two 3×3 stride-2 convs (side → side/4), a dense layer, and the
 * mirror image with transposed convs and a final 3×3 conv to one channel.
 */
import { LatentkitError, type Rng } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import { tf } from '@latentkit/core/layers';
import type { ExportPlan, PlanStep } from '../export-plan.js';
import { defineModel } from '../kind.js';
import { build, conv2d, conv2dTranspose, dense } from '../layers.js';
import { type Networks, buildNetwork } from '../network.js';
import type { ForwardContext, ImageBatch, ImageConvConfig } from '../types.js';
import { BaseModel, type Reconstruction } from './base.js';
import { imageArea, imageFromData, imageNll, imageSchemaFields, imageTensor, sizeAgrees, withImageDims } from './image.js';

const INFER: ForwardContext = { mode: 'infer' };

export class ImageConv extends BaseModel<ImageConvConfig> {
  private readonly encoder: tf.layers.Layer[] = [];
  private readonly proj?: tf.layers.Layer;
  private readonly decoderDense?: tf.layers.Layer;
  private readonly decoderConvs: tf.layers.Layer[] = [];
  private readonly out?: tf.layers.Layer;
  private readonly networks: Networks;

  constructor(config: ImageConvConfig, rng: Rng, networks: Networks = {}) {
    super(config, rng);
    this.networks = networks;
    const { height: h, width: w, channels: c } = config;
    const [f0, f1] = config.filters;
    const [qh, qw] = [h / 4, w / 4];
    let width = config.denseDim;
    if (networks.encoder) {
      // A custom encoder reads the images as the kind's own does: [batch, height, width, channels].
      buildNetwork(this.addNetwork(networks.encoder, 'enc.net'), [h, w, c], INFER);
      width = networks.encoder.outputWidth;
    } else {
      this.encoder = [
        this.add(build(conv2d('enc.conv0', f0, 2, 'relu', rng), [h, w, c])),
        this.add(build(conv2d('enc.conv1', f1, 2, 'relu', rng), [h / 2, w / 2, f0])),
        this.add(build(tf.layers.flatten({ name: 'enc.flatten' }), [qh, qw, f1])),
        this.add(build(dense('enc.dense', config.denseDim, 'relu', rng), [qh * qw * f1])),
      ];
    }
    this.proj = this.encoderProjection(width, rng);
    if (networks.decoder) {
      // A custom decoder body ends in features; a dense output layer gives the pixel logits.
      buildNetwork(this.addNetwork(networks.decoder, 'dec.net'), [this.decoderInputWidth], INFER);
      this.out = this.add(build(dense('dec.out', imageArea(config), 'linear', rng), [networks.decoder.outputWidth]));
    } else {
      this.decoderDense = this.add(build(dense('dec.dense', qh * qw * f1, 'relu', rng), [this.decoderInputWidth]));
      this.decoderConvs = [
        this.add(build(conv2dTranspose('dec.deconv0', f1, 'relu', rng), [qh, qw, f1])),
        this.add(build(conv2dTranspose('dec.deconv1', f0, 'relu', rng), [h / 2, w / 2, f1])),
        this.add(build(conv2d('dec.out', c, 1, 'linear', rng), [h, w, f0])),
      ];
    }
  }

  features(batch: ImageBatch, ctx: ForwardContext): tf.Tensor2D {
    const { height, width, channels } = this.config;
    const x = imageTensor(batch, this.config).reshape([batch.size, height, width, channels]);
    const h = this.networks.encoder
      ? (this.networks.encoder.apply(x, ctx) as tf.Tensor2D)
      : (this.encoder.reduce((t, layer) => layer.apply(t) as tf.Tensor, x as tf.Tensor) as tf.Tensor2D);
    return this.featuresFrom(h, batch, this.proj);
  }

  decode(code: tf.Tensor2D, _inputs?: tf.Tensor2D, ctx: ForwardContext = INFER): tf.Tensor2D {
    if (this.networks.decoder && this.out) return this.out.apply(this.networks.decoder.apply(code, ctx)) as tf.Tensor2D;
    const { height, width } = this.config;
    const grid = (this.decoderDense!.apply(code) as tf.Tensor).reshape([code.shape[0], height / 4, width / 4, this.config.filters[1]]);
    const out = this.decoderConvs.reduce((t, layer) => layer.apply(t) as tf.Tensor, grid);
    return out.reshape([code.shape[0], imageArea(this.config)]);
  }

  reconstruction(batch: ImageBatch, code: tf.Tensor2D, ctx: ForwardContext = INFER): Reconstruction {
    const x = imageTensor(batch, this.config);
    return { nll: imageNll(this.config.likelihood, this.decode(this.withCondition(code, batch), undefined, ctx), x), units: this.units(batch) };
  }

  exportPlan(): ExportPlan {
    const { height, width, channels } = this.config;
    const area = imageArea(this.config);
    const layer = (name: string): PlanStep => ({ op: 'layer', layer: name });
    const { encoder, decoder } = this.networks;
    const proj = this.proj ? [layer('enc.proj')] : [];
    return {
      kind: 'feedForward',
      input: { field: 'pixels', width: area },
      encoder: [
        { op: 'reshape', shape: [-1, height, width, channels] },
        ...(encoder ? this.networkSteps(encoder, 'enc.net') : this.encoder.map((l) => layer(l.name))),
        ...proj,
      ],
      decoder: decoder
        ? [...this.networkSteps(decoder, 'dec.net'), layer('dec.out')]
        : [
            layer('dec.dense'),
            { op: 'reshape', shape: [-1, height / 4, width / 4, this.config.filters[1]] },
            ...this.decoderConvs.map((l) => layer(l.name)),
            { op: 'reshape', shape: [-1, area] },
          ],
      outputWidth: area,
    };
  }

  units(batch: ImageBatch): number {
    return batch.size * imageArea(this.config);
  }

  protected batchSize(batch: ImageBatch): number {
    return batch.size;
  }
}

export const imageConv = defineModel<ImageConvConfig>({
  kind: 'imageConv',
  summary: 'small conv autoencoder for images: two stride-2 convs, a dense layer, mirrored',
  reads: 'image',
  schema: z
    .strictObject({
      kind: z.literal('imageConv'),
      ...imageSchemaFields(),
      filters: z.tuple([schemas.positiveInt(), schemas.positiveInt()]).default([32, 64]),
      denseDim: schemas.positiveInt().default(256),
    })
    .refine(sizeAgrees, { path: ['size'], error: 'equal to height and width when they are given (size is the side of a square image)' })
    .refine((c) => c.size === undefined || c.size % 4 === 0, { path: ['size'], error: 'a multiple of 4 (two stride-2 convolutions)' })
    .transform(withImageDims)
    .refine((c) => c.height % 4 === 0, { path: ['height'], error: 'a multiple of 4 (two stride-2 convolutions)' })
    .refine((c) => c.width % 4 === 0, { path: ['width'], error: 'a multiple of 4 (two stride-2 convolutions)' }),
  encoderWidth: (config, networks) => networks?.encoder?.outputWidth ?? config.denseDim,
  fromData: (shape) => {
    const fields = imageFromData(shape);
    if (fields.height % 4 !== 0 || fields.width % 4 !== 0) {
      throw new LatentkitError(
        'UNSUPPORTED',
        `image-conv needs a height and width that are multiples of 4; these images are ${fields.height}×${fields.width} (resize them with --image-size)`,
      );
    }
    return fields;
  },
  defaults: { latentDim: 10, batchSize: 128 },
  create: (config, rng, networks) => new ImageConv(config, rng, networks),
});
