/**
 * A model kind: everything latentkit knows about one model, in the model's own module (pythae's config + model
 * pair). The registry holds one per kind; the trainer, eval, the ONNX exporter and the CLI read it and never switch
 * over kinds.
 */
import type { BottleneckConfig } from '@latentkit/bottlenecks';
import type { Rng } from '@latentkit/core';
import type { z } from '@latentkit/core/schema';
import type { DataKind, DataShape } from '@latentkit/data';
import type { Networks } from './network.js';
import type { TrainerConfigInput } from './train/config.js';
import type { Model } from './types.js';

/** The defaults of a kind beyond its own config: what a run of it starts from when nothing else is said. */
export interface ModelDefaults {
  /** Width of the latent code. */
  readonly latentDim: number;
  readonly batchSize: number;
  /** Trainer settings that suit this kind (Xu & Durrett's learning-rate decay for text). */
  readonly trainer?: Partial<TrainerConfigInput>;
  /** Bottleneck fields per bottleneck kind (Xu & Durrett's fixed κ = 100 for documents). */
  readonly bottleneck?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface ModelKind<
  C extends { readonly kind: string; readonly bottleneck: BottleneckConfig } = { readonly kind: string; readonly bottleneck: BottleneckConfig },
> {
  /** The config's `kind`, camelCase (`imageMlp`). */
  readonly kind: C['kind'];
  /** The CLI's kebab-case name (`image-mlp`). */
  readonly cliName: string;
  readonly summary: string;
  /** The kind of data it reads. */
  readonly reads: DataKind;
  /**
   * Validates the model's own fields and fills their defaults; `bottleneck` is any object here, resolved afterwards
   * by the bottleneck registry with `encoderWidth` as its default `inputDim`. Strict: unknown fields are errors.
   */
  readonly schema: z.ZodType<Omit<C, 'bottleneck'> & { readonly bottleneck: { readonly kind: string } }>;
  /** Width of the encoder's output features. */
  encoderWidth(config: Omit<C, 'bottleneck'>, networks?: Networks): number;
  /** The config fields that the data decides (image size, vocabulary size, special tokens). */
  fromData(shape: DataShape): Readonly<Record<string, unknown>>;
  readonly defaults: ModelDefaults;
  /** Builds the model; `networks` replace its own encoder or decoder (see `Networks`). */
  create(config: C, rng: Rng, networks?: Networks): Model<C>;
}

/** Declares a kind; `cliName` defaults to the kebab-case of `kind`. */
export function defineModel<C extends { readonly kind: string; readonly bottleneck: BottleneckConfig }>(
  kind: Omit<ModelKind<C>, 'cliName'> & { readonly cliName?: string },
): ModelKind<C> {
  return { ...kind, cliName: kind.cliName ?? kind.kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) };
}
