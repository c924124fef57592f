/**
 * LSTM-VAE language model (Bowman et al. 2016), as Xu & Durrett (2018) set it up: the encoder LSTM reads the
 * sentence, its final state feeds the bottleneck; the code initialises the decoder LSTM's state and is concatenated
 * to every decoder input; dropout on embeddings and LSTM outputs, optional word dropout on decoder inputs.
 */
import { LatentkitError, type Rng } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import { tf } from '@latentkit/core/layers';
import { Vocabulary } from '@latentkit/data';
import type { ExportPlan } from '../export-plan.js';
import { defineModel } from '../kind.js';
import { build, dense, dropout, embedding, lstm, runLstm, wordDropout } from '../layers.js';
import { sequenceNll } from '../likelihoods.js';
import { type Networks, buildNetwork } from '../network.js';
import type { ForwardContext, SpecialTokens, TextBatch, TextVaeConfig } from '../types.js';
import { BaseModel, type Reconstruction, checkLength } from './base.js';

/** The ids @latentkit/data's `Vocabulary` gives its special tokens. */
export const DEFAULT_SPECIAL_TOKENS: SpecialTokens = {
  pad: Vocabulary.padId,
  unk: Vocabulary.unkId,
  bos: Vocabulary.bosId,
  eos: Vocabulary.eosId,
};

const INFER: ForwardContext = { mode: 'infer' };

/** The decoder LSTM's state between steps, for generation. */
export interface DecoderState {
  readonly h: tf.Tensor2D;
  readonly c: tf.Tensor2D;
}

export class TextVae extends BaseModel<TextVaeConfig> {
  private readonly emb: tf.layers.Layer;
  private readonly encLstm?: tf.layers.Layer;
  private readonly networks: Networks;
  private readonly proj?: tf.layers.Layer;
  private readonly initH: tf.layers.Layer;
  private readonly initC: tf.layers.Layer;
  private readonly decLstm: tf.layers.Layer;
  private readonly out: tf.layers.Layer;

  constructor(config: TextVaeConfig, rng: Rng, networks: Networks = {}) {
    super(config, rng);
    if (networks.decoder) {
      throw new LatentkitError('UNSUPPORTED', 'textVae takes a custom encoder only: generation runs its LSTM decoder one step at a time from a carried state');
    }
    this.networks = networks;
    const { vocabSize, embeddingDim: e, hiddenDim: h } = config;
    // The decoder reads the code with the condition (if any) appended.
    const z = this.decoderInputWidth;
    this.emb = this.add(build(embedding('emb', vocabSize, e, rng), [1], 'int32'));
    let width = h;
    if (networks.encoder) {
      // A custom encoder reads the embedded sentence [batch, time, e] and returns [batch, time, width]; the features
      // are its output at each sentence's last token, as for the LSTM.
      buildNetwork(this.addNetwork(networks.encoder, 'enc.net'), [1, e], { mode: 'infer' });
      width = networks.encoder.outputWidth;
    } else {
      this.encLstm = this.add(build(lstm('enc.lstm', h, rng), [1, e]));
    }
    this.proj = this.encoderProjection(width, rng);
    this.initH = this.add(build(dense('dec.initH', h, 'tanh', rng), [z]));
    this.initC = this.add(build(dense('dec.initC', h, 'linear', rng), [z]));
    const zeros = [tf.zeros([1, h]), tf.zeros([1, h])];
    this.decLstm = this.add(build(lstm('dec.lstm', h, rng), [1, e + z], 'float32', { initialState: zeros }));
    tf.dispose(zeros);
    this.out = this.add(build(dense('dec.out', vocabSize, 'linear', rng), [h]));
  }

  private ids(batch: TextBatch, field: 'inputs' | 'targets'): tf.Tensor2D {
    checkLength(batch[field], batch.size * batch.steps, field, 'size × steps');
    return tf.tensor2d(batch[field], [batch.size, batch.steps], 'int32');
  }

  private mask(batch: TextBatch): tf.Tensor2D {
    checkLength(batch.mask, batch.size * batch.steps, 'mask', 'size × steps');
    return tf.tensor2d(batch.mask, [batch.size, batch.steps]);
  }

  /** The encoder LSTM's output at each sentence's last real token (`<eos>`), found from the prefix mask. */
  features(batch: TextBatch, ctx: ForwardContext): tf.Tensor2D {
    const words = dropout(this.emb.apply(this.ids(batch, 'targets')) as tf.Tensor3D, this.config.dropout, ctx);
    const [seq] = this.networks.encoder ? [this.networks.encoder.apply(words, ctx)] : runLstm(this.encLstm!, words);
    const mask = this.mask(batch);
    // mask is 1…1 0…0 per row, so mask_t − mask_{t+1} is one-hot at the last real position.
    const next = tf.concat([mask.slice([0, 1], [-1, -1]), tf.zeros([batch.size, 1])], 1);
    const last = mask.sub(next).expandDims(2);
    const h = (seq as tf.Tensor3D).mul(last).sum(1) as tf.Tensor2D;
    return this.featuresFrom(h, batch, this.proj);
  }

  /** The decoder's state before its first input, from the code. */
  initialState(code: tf.Tensor2D): DecoderState {
    return { h: this.initH.apply(code) as tf.Tensor2D, c: this.initC.apply(code) as tf.Tensor2D };
  }

  /**
   * Runs the decoder over `inputs` [batch, time] (token ids, `<bos>` first) from `state`; returns logits
   * [batch, time, vocab] and the state after the last step, so generation can continue one step at a time.
   */
  decodeSteps(code: tf.Tensor2D, inputs: tf.Tensor2D, state: DecoderState, ctx: ForwardContext = INFER): { logits: tf.Tensor3D; state: DecoderState } {
    const [batch, time] = inputs.shape;
    const ids = wordDropout(inputs, this.config.wordDropout, this.config.specialTokens.unk, ctx);
    const words = dropout(this.emb.apply(ids) as tf.Tensor3D, this.config.dropout, ctx);
    const z = code.expandDims(1).tile([1, time, 1]);
    const [seq, h, c] = runLstm(this.decLstm, tf.concat([words, z], 2) as tf.Tensor3D, [state.h, state.c]);
    const hidden = dropout(seq as tf.Tensor3D, this.config.dropout, ctx).reshape([batch * time, this.config.hiddenDim]);
    const logits = (this.out.apply(hidden) as tf.Tensor).reshape([batch, time, this.config.vocabSize]) as tf.Tensor3D;
    return { logits, state: { h: h as tf.Tensor2D, c: c as tf.Tensor2D } };
  }

  /** Teacher-forced logits [batch, time, vocab] for decoder inputs [batch, time]. */
  decode(code: tf.Tensor2D, inputs?: tf.Tensor2D, ctx: ForwardContext = INFER): tf.Tensor3D {
    if (!inputs) {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        'argument "inputs" of TextVae.decode must be the decoder inputs [batch, time]; greedyDecode / sampleDecode generate without them',
        {
          argument: 'inputs',
        },
      );
    }
    return this.decodeSteps(code, inputs, this.initialState(code), ctx).logits;
  }

  reconstruction(batch: TextBatch, code: tf.Tensor2D, ctx: ForwardContext = INFER): Reconstruction {
    const logits = this.decode(this.withCondition(code, batch), this.ids(batch, 'inputs'), ctx);
    return {
      nll: sequenceNll(logits, this.ids(batch, 'targets'), this.mask(batch)),
      units: this.units(batch),
    };
  }

  exportPlan(): ExportPlan {
    if (!this.encLstm) throw new LatentkitError('UNSUPPORTED', "this textVae's custom encoder does not export to ONNX: the exporter reads an LSTM encoder");
    return {
      kind: 'recurrent',
      embedding: 'emb',
      encoder: { lstm: 'enc.lstm', after: this.proj ? [{ op: 'layer', layer: 'enc.proj' }] : [] },
      decoder: { initH: 'dec.initH', initC: 'dec.initC', lstm: 'dec.lstm', out: 'dec.out' },
      hiddenDim: this.config.hiddenDim,
      vocabSize: this.config.vocabSize,
    };
  }

  units(batch: TextBatch): number {
    return batch.mask.reduce((a, m) => a + m, 0);
  }

  protected batchSize(batch: TextBatch): number {
    return batch.size;
  }
}

const tokenId = z.number().int().min(0);

/** The special token ids of a token model's config, each defaulting to the data package's. */
export function specialTokensSchema() {
  return z
    .strictObject({
      pad: tokenId.default(DEFAULT_SPECIAL_TOKENS.pad),
      unk: tokenId.default(DEFAULT_SPECIAL_TOKENS.unk),
      bos: tokenId.default(DEFAULT_SPECIAL_TOKENS.bos),
      eos: tokenId.default(DEFAULT_SPECIAL_TOKENS.eos),
    })
    .default(DEFAULT_SPECIAL_TOKENS);
}

/** A refinement for token model configs: every special token id lies inside the vocabulary. */
export function checkSpecialTokens(c: { readonly vocabSize: number; readonly specialTokens: SpecialTokens }, ctx: z.core.$RefinementCtx): void {
  if (!(c.vocabSize > 0)) return;
  for (const key of ['pad', 'unk', 'bos', 'eos'] as const) {
    const id = c.specialTokens[key];
    if (id >= c.vocabSize) ctx.addIssue({ code: 'custom', path: ['specialTokens', key], message: `a token id in [0, ${c.vocabSize})`, input: id });
  }
}

export const textVae = defineModel<TextVaeConfig>({
  kind: 'textVae',
  summary: 'LSTM-VAE language model (Bowman et al. 2016; Xu & Durrett 2018 settings)',
  reads: 'tokens',
  schema: z
    .strictObject({
      kind: z.literal('textVae'),
      vocabSize: schemas.positiveInt(),
      specialTokens: specialTokensSchema(),
      embeddingDim: schemas.positiveInt().default(100),
      hiddenDim: schemas.positiveInt().default(400),
      dropout: schemas.rate().default(0.5),
      wordDropout: schemas.rate().default(0),
      bottleneck: z.looseObject({ kind: z.string() }),
    })
    .superRefine(checkSpecialTokens),
  encoderWidth: (config, networks) => networks?.encoder?.outputWidth ?? config.hiddenDim,
  fromData: (shape) => {
    if (shape.kind !== 'tokens') throw new LatentkitError('UNSUPPORTED', `text-vae reads token sequences; this data has ${shape.kind}`);
    return { vocabSize: shape.vocabulary.length, specialTokens: shape.specialTokens };
  },
  // Xu & Durrett divide the learning rate by 1.2 when validation does not improve.
  defaults: { latentDim: 50, batchSize: 32, trainer: { plateau: { factor: 1.2, minLearningRate: 1e-5 } } },
  create: (config, rng, networks) => new TextVae(config, rng, networks),
});
