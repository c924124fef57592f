/** MLP autoencoder for grey or RGB images of any height × width; default 784-500-500-2000 (Wu & Flierl 2020), decoder mirrored. */
import type { Rng, tf } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import type { ExportPlan } from '../export-plan.js';
import { defineModel } from '../kind.js';
import type { Networks } from '../network.js';
import type { ForwardContext, ImageBatch, ImageMlpConfig } from '../types.js';
import { BaseModel, type MlpStacks, type Reconstruction } from './base.js';
import { imageArea, imageFromData, imageNll, imageSchemaFields, imageTensor, sizeAgrees, withImageDims } from './image.js';

const INFER: ForwardContext = { mode: 'infer' };

export class ImageMlp extends BaseModel<ImageMlpConfig> {
  private readonly stacks: MlpStacks;

  constructor(config: ImageMlpConfig, rng: Rng, networks: Networks = {}) {
    super(config, rng);
    const area = imageArea(config);
    this.stacks = this.mlpStacks(area, config.hiddenDims, area, rng, networks);
  }

  features(batch: ImageBatch, ctx: ForwardContext): tf.Tensor2D {
    const x = imageTensor(batch, this.config);
    return this.mlpFeatures(this.stacks, x, batch, ctx);
  }

  decode(code: tf.Tensor2D, _inputs?: tf.Tensor2D, ctx: ForwardContext = INFER): tf.Tensor2D {
    return this.throughStack(this.stacks, 'decoder', code, ctx);
  }

  reconstruction(batch: ImageBatch, code: tf.Tensor2D, ctx: ForwardContext = INFER): Reconstruction {
    const x = imageTensor(batch, this.config);
    return { nll: imageNll(this.config.likelihood, this.decode(this.withCondition(code, batch), undefined, ctx), x), units: this.units(batch) };
  }

  exportPlan(): ExportPlan {
    return {
      kind: 'feedForward',
      input: { field: 'pixels', width: imageArea(this.config) },
      ...this.mlpPlanSteps(this.stacks),
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
