/** NVDM (Miao et al. 2016): an MLP encoder on word counts, one softmax over the vocabulary as decoder. */
import { LatentkitError, type Rng } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import { tf } from '@latentkit/core/layers';
import type { ExportPlan } from '../export-plan.js';
import { defineModel } from '../kind.js';
import { build, dense, dropout } from '../layers.js';
import { multinomialNll } from '../likelihoods.js';
import { type Networks, buildNetwork } from '../network.js';
import type { BowBatch, BowVaeConfig, ForwardContext } from '../types.js';
import { BaseModel, type Reconstruction, checkLength } from './base.js';

const INFER: ForwardContext = { mode: 'infer' };

export class BowVae extends BaseModel<BowVaeConfig> {
  private readonly encoder: tf.layers.Layer[] = [];
  private readonly proj?: tf.layers.Layer;
  private readonly decoderHidden: tf.layers.Layer[] = [];
  private readonly out: tf.layers.Layer;
  private readonly networks: Networks;

  constructor(config: BowVaeConfig, rng: Rng, networks: Networks = {}) {
    super(config, rng);
    this.networks = networks;
    let width = config.vocabSize;
    if (networks.encoder) {
      buildNetwork(this.addNetwork(networks.encoder, 'enc.net'), [width], INFER);
      width = networks.encoder.outputWidth;
    } else {
      config.hiddenDims.forEach((units, i) => {
        this.encoder.push(this.add(build(dense(`enc.dense${i}`, units, config.activation, rng), [width])));
        width = units;
      });
    }
    this.proj = this.encoderProjection(width, rng);
    // NVDM's decoder is one softmax layer on the code; a custom decoder body comes before it.
    let decoderWidth = this.decoderInputWidth;
    if (networks.decoder) {
      buildNetwork(this.addNetwork(networks.decoder, 'dec.net'), [decoderWidth], INFER);
      decoderWidth = networks.decoder.outputWidth;
    }
    config.decoderHiddenDims.forEach((units, i) => {
      this.decoderHidden.push(this.add(build(dense(`dec.dense${i}`, units, config.activation, rng), [decoderWidth])));
      decoderWidth = units;
    });
    this.out = this.add(build(dense('dec.out', config.vocabSize, 'linear', rng), [decoderWidth]));
  }

  private counts(batch: BowBatch): tf.Tensor2D {
    checkLength(batch.counts, batch.size * this.config.vocabSize, 'counts', `size × vocabSize ${this.config.vocabSize}`);
    return tf.tensor2d(batch.counts, [batch.size, this.config.vocabSize]);
  }

  features(batch: BowBatch, ctx: ForwardContext): tf.Tensor2D {
    const x = this.counts(batch);
    const h = this.networks.encoder ? (this.networks.encoder.apply(x, ctx) as tf.Tensor2D) : x;
    return this.featuresFrom(
      this.encoder.reduce((t, layer, i) => {
        const out = layer.apply(t) as tf.Tensor2D;
        return i === 0 ? dropout(out, this.config.dropout, ctx) : out;
      }, h),
      batch,
      this.proj,
    );
  }

  /** Logits of the word distribution p(w | code): [batch, vocab]. */
  decode(code: tf.Tensor2D, _inputs?: tf.Tensor2D, ctx: ForwardContext = INFER): tf.Tensor2D {
    const body = this.networks.decoder ? (this.networks.decoder.apply(code, ctx) as tf.Tensor2D) : code;
    const h = this.decoderHidden.reduce((t, layer) => layer.apply(t) as tf.Tensor2D, body);
    return dropout(this.out.apply(h) as tf.Tensor2D, this.config.dropout, ctx);
  }

  reconstruction(batch: BowBatch, code: tf.Tensor2D, ctx: ForwardContext = INFER): Reconstruction {
    const counts = this.counts(batch);
    return { nll: multinomialNll(this.decode(this.withCondition(code, batch), undefined, ctx), counts), units: this.units(batch) };
  }

  exportPlan(): ExportPlan {
    const { encoder, decoder } = this.networks;
    return {
      kind: 'feedForward',
      input: { field: 'counts', width: this.config.vocabSize },
      encoder: [
        ...(encoder ? this.networkSteps(encoder, 'enc.net') : []),
        ...[...this.encoder, ...(this.proj ? [this.proj] : [])].map((l) => ({ op: 'layer', layer: l.name }) as const),
      ],
      decoder: [
        ...(decoder ? this.networkSteps(decoder, 'dec.net') : []),
        ...this.decoderHidden.map((l) => ({ op: 'layer', layer: l.name }) as const),
        { op: 'layer', layer: 'dec.out' },
      ],
      outputWidth: this.config.vocabSize,
    };
  }

  units(batch: BowBatch): number {
    return batch.counts.reduce((a, c) => a + c, 0);
  }

  protected batchSize(batch: BowBatch): number {
    return batch.size;
  }
}

export const bowVae = defineModel<BowVaeConfig>({
  kind: 'bowVae',
  summary: 'bag-of-words document VAE (NVDM, Miao et al. 2016)',
  reads: 'counts',
  schema: z.strictObject({
    kind: z.literal('bowVae'),
    vocabSize: schemas.positiveInt(),
    hiddenDims: z.array(schemas.positiveInt()).min(1).default([400]),
    activation: z.enum(['tanh', 'relu']).default('tanh'),
    decoderHiddenDims: z.array(schemas.positiveInt()).default([]),
    dropout: schemas.rate().default(0),
    bottleneck: z.looseObject({ kind: z.string() }),
  }),
  encoderWidth: (config, networks) => networks?.encoder?.outputWidth ?? (config.hiddenDims.at(-1) as number),
  fromData: (shape) => {
    if (shape.kind !== 'counts') throw new LatentkitError('UNSUPPORTED', `bow-vae reads word counts; this data has ${shape.kind}`);
    return { vocabSize: shape.vocabulary.length };
  },
  // Xu & Durrett's 20NG settings: latent 25, a fixed κ = 100 for the spherical posteriors.
  defaults: { latentDim: 25, batchSize: 64, bottleneck: { vmf: { kappa: 100 }, powerSpherical: { kappa: 100 } } },
  create: (config, rng, networks) => new BowVae(config, rng, networks),
});
