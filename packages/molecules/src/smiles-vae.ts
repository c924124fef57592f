/**
 * `smilesVae`: the text model's LSTM encoder/decoder (`TextVae`) over SMILES tokens, with its vocabulary in the
 * config so a saved model decodes to SMILES without the training file. Any bottleneck; generation and design live
 * in sample.ts and optimize.ts.
 */
import { LatentkitError, type Rng } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import type { BottleneckConfig } from '@latentkit/bottlenecks';
import { type Networks, TextVae, type TextVaeConfig, checkSpecialTokens, defineModel, specialTokensSchema } from '@latentkit/models';

export interface SmilesVaeConfig extends Omit<TextVaeConfig, 'kind'> {
  readonly kind: 'smilesVae';
  /** The SMILES token of each id (the vocabulary's `tokens`, specials first). */
  readonly tokens: readonly string[];
  /** Longest SMILES, in tokens, the decoder writes before it stops. Default 100 (MOSES molecules have ≤ 57 tokens). */
  readonly maxLength: number;
  readonly bottleneck: BottleneckConfig;
}

export class SmilesVae extends TextVae {
  readonly smiles: SmilesVaeConfig;

  constructor(config: SmilesVaeConfig, rng: Rng, networks?: Networks) {
    // TextVae reads only the shared fields; `kind`, `tokens` and `maxLength` are this model's own.
    super(config as unknown as TextVaeConfig, rng, networks);
    this.smiles = config;
  }

  /** The SMILES an id sequence spells: specials dropped, `<unk>` kept as "?" so the string stays invalid. */
  detokenize(ids: readonly number[]): string {
    const { pad, bos, eos, unk } = this.smiles.specialTokens;
    let out = '';
    for (const id of ids) {
      if (id === eos) break;
      if (id === pad || id === bos) continue;
      out += id === unk ? '?' : (this.smiles.tokens[id] ?? '?');
    }
    return out;
  }
}

export const smilesVae = defineModel<SmilesVaeConfig>({
  kind: 'smilesVae',
  summary: 'SMILES VAE: the LSTM text VAE over SMILES tokens (Gómez-Bombarelli et al. 2018; MOSES VAE)',
  reads: 'tokens',
  schema: z
    .strictObject({
      kind: z.literal('smilesVae'),
      vocabSize: schemas.positiveInt(),
      tokens: z.array(z.string()).min(5),
      specialTokens: specialTokensSchema(),
      embeddingDim: schemas.positiveInt().default(32),
      hiddenDim: schemas.positiveInt().default(256),
      // SMILES grammar punishes every wrong token, so less dropout than for sentences.
      dropout: schemas.rate().default(0.1),
      wordDropout: schemas.rate().default(0),
      maxLength: schemas.positiveInt().default(100),
      bottleneck: z.looseObject({ kind: z.string() }),
    })
    .superRefine((c, ctx) => {
      if (c.tokens.length !== c.vocabSize)
        ctx.addIssue({ code: 'custom', path: ['tokens'], message: `${c.vocabSize} tokens (vocabSize)`, input: c.tokens.length });
      checkSpecialTokens(c, ctx);
    }) as never,
  encoderWidth: (config, networks) => networks?.encoder?.outputWidth ?? config.hiddenDim,
  fromData: (shape) => {
    if (shape.kind !== 'tokens') throw new LatentkitError('UNSUPPORTED', `smiles-vae reads SMILES token sequences; this data has ${shape.kind}`);
    return { vocabSize: shape.vocabulary.length, tokens: shape.vocabulary, specialTokens: shape.specialTokens };
  },
  // A KL warm-up keeps the decoder from ignoring the code early on (Bowman et al.; the MOSES VAE anneals too).
  defaults: { latentDim: 64, batchSize: 64, bottleneck: { gaussian: { klSchedule: { kind: 'linear', warmupSteps: 2000 } } } },
  create: (config, rng, networks) => new SmilesVae(config, rng, networks) as never,
});
