/**
 * Model configs: `resolveModelConfig` fills the defaults of a `ModelConfigInput`, validates it, and resolves the
 * bottleneck's config with the encoder's output width as its `inputDim` unless one is given. Pure.
 */
import { type BottleneckConfigInput, resolveBottleneckConfig } from '@latentkit/bottlenecks';
import { LatentkitError } from '@latentkit/core';
import { Vocabulary } from '@latentkit/data';
import type {
  BottleneckInput,
  BowVaeConfig,
  ImageConvConfig,
  ImageMlpConfig,
  ModelConfig,
  ModelConfigInput,
  ModelKind,
  SpecialTokens,
  TextVaeConfig,
} from './types.js';

/** A config being resolved: any field may be missing, the bottleneck may lack `inputDim`. */
type Loose<C> = Partial<Omit<C, 'bottleneck'>> & { readonly bottleneck?: BottleneckInput };

export const MODEL_KINDS: readonly ModelKind[] = ['textVae', 'bowVae', 'imageMlp', 'imageConv'];

/** The ids @latentkit/data's `Vocabulary` gives its special tokens. */
export const DEFAULT_SPECIAL_TOKENS: SpecialTokens = {
  pad: Vocabulary.padId,
  unk: Vocabulary.unkId,
  bos: Vocabulary.bosId,
  eos: Vocabulary.eosId,
};

function invalid(field: string, expected: string, got: unknown): LatentkitError {
  return new LatentkitError('INVALID_CONFIG', `model config "${field}" must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`, {
    field,
    expected,
  });
}

function positiveInt(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) throw invalid(field, 'a positive integer', value);
  return value as number;
}

function positiveInts(value: unknown, field: string, minLength = 1): number[] {
  if (!Array.isArray(value) || value.length < minLength) throw invalid(field, `an array of at least ${minLength} positive integers`, value);
  return value.map((v, i) => positiveInt(v, `${field}[${i}]`));
}

function rate(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw invalid(field, 'a number in [0, 1)', value);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, options: readonly T[]): T {
  if (!options.includes(value as T)) throw invalid(field, `one of ${options.map((o) => `"${o}"`).join(', ')}`, value);
  return value as T;
}

function bottleneck(input: BottleneckInput | undefined, encoderWidth: number) {
  if (input === null || typeof input !== 'object') throw invalid('bottleneck', 'a bottleneck config object with a "kind"', input);
  return resolveBottleneckConfig({ ...input, inputDim: input.inputDim ?? encoderWidth } as BottleneckConfigInput);
}

function specialTokens(value: Partial<SpecialTokens> | undefined, vocabSize: number): SpecialTokens {
  const tokens = { ...DEFAULT_SPECIAL_TOKENS, ...value };
  for (const key of ['pad', 'unk', 'bos', 'eos'] as const) {
    const id = tokens[key];
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw invalid(`specialTokens.${key}`, `a token id in [0, ${vocabSize})`, id);
  }
  return tokens;
}

function resolveText(input: Loose<TextVaeConfig>): TextVaeConfig {
  const vocabSize = positiveInt(input.vocabSize, 'vocabSize');
  const hiddenDim = positiveInt(input.hiddenDim ?? 400, 'hiddenDim');
  return {
    kind: 'textVae',
    vocabSize,
    specialTokens: specialTokens(input.specialTokens, vocabSize),
    embeddingDim: positiveInt(input.embeddingDim ?? 100, 'embeddingDim'),
    hiddenDim,
    dropout: rate(input.dropout ?? 0.5, 'dropout'),
    wordDropout: rate(input.wordDropout ?? 0, 'wordDropout'),
    bottleneck: bottleneck(input.bottleneck, hiddenDim),
  };
}

function resolveBow(input: Loose<BowVaeConfig>): BowVaeConfig {
  const hiddenDims = positiveInts(input.hiddenDims ?? [400], 'hiddenDims');
  return {
    kind: 'bowVae',
    vocabSize: positiveInt(input.vocabSize, 'vocabSize'),
    hiddenDims,
    activation: oneOf(input.activation ?? 'tanh', 'activation', ['tanh', 'relu']),
    bottleneck: bottleneck(input.bottleneck, hiddenDims[hiddenDims.length - 1] as number),
  };
}

function imageBase(input: Loose<ImageMlpConfig> | Loose<ImageConvConfig>) {
  return {
    size: positiveInt(input.size ?? 28, 'size'),
    likelihood: oneOf(input.likelihood ?? 'bernoulli', 'likelihood', ['bernoulli', 'gaussian']),
  };
}

function resolveMlp(input: Loose<ImageMlpConfig>): ImageMlpConfig {
  const hiddenDims = positiveInts(input.hiddenDims ?? [500, 500, 2000], 'hiddenDims');
  return {
    kind: 'imageMlp',
    ...imageBase(input),
    hiddenDims,
    bottleneck: bottleneck(input.bottleneck, hiddenDims[hiddenDims.length - 1] as number),
  };
}

function resolveConv(input: Loose<ImageConvConfig>): ImageConvConfig {
  const base = imageBase(input);
  if (base.size % 4 !== 0) throw invalid('size', 'a multiple of 4 (two stride-2 convolutions)', base.size);
  const filters = positiveInts(input.filters ?? [32, 64], 'filters', 2);
  if (filters.length !== 2) throw invalid('filters', 'two positive integers', input.filters);
  const denseDim = positiveInt(input.denseDim ?? 256, 'denseDim');
  return {
    kind: 'imageConv',
    ...base,
    filters: [filters[0] as number, filters[1] as number],
    denseDim,
    bottleneck: bottleneck(input.bottleneck, denseDim),
  };
}

/** Fills defaults and validates; a resolved config resolves to itself, so saved configs load unchanged. */
export function resolveModelConfig(config: ModelConfigInput | ModelConfig): ModelConfig {
  if (config === null || typeof config !== 'object') throw invalid('(root)', 'a model config object', config);
  switch (config.kind) {
    case 'textVae':
      return resolveText(config as Loose<TextVaeConfig>);
    case 'bowVae':
      return resolveBow(config as Loose<BowVaeConfig>);
    case 'imageMlp':
      return resolveMlp(config as Loose<ImageMlpConfig>);
    case 'imageConv':
      return resolveConv(config as Loose<ImageConvConfig>);
    default:
      throw invalid('kind', `one of ${MODEL_KINDS.map((k) => `"${k}"`).join(', ')}`, (config as { kind?: unknown }).kind);
  }
}
