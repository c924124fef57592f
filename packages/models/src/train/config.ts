/** The trainer's settings: a plain JSON object, stored in every checkpoint so `resume` continues under the same ones. */
import { LatentkitError } from '@latentkit/core';

export type OptimizerConfig =
  | { readonly kind: 'adam'; readonly learningRate: number; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number }
  | { readonly kind: 'sgd'; readonly learningRate: number; readonly momentum?: number };

export interface TrainerConfig {
  /** Seed of everything random in the run: data order, dropout, bottleneck sampling. */
  readonly seed: number | string;
  readonly optimizer: OptimizerConfig;
  /** Epochs to run. */
  readonly epochs: number;
  /** Stop after this many optimizer steps in total (a bounded run); null: no limit. */
  readonly maxSteps: number | null;
  /** Scale the gradients down to this global L2 norm when above it; null: no clipping. */
  readonly clipNorm: number | null;
  /** Validate every this many steps; null: at the end of each epoch only. */
  readonly validateEvery: number | null;
  /** Divide the learning rate by `factor` whenever validation does not improve (Xu & Durrett: 1.2); null: never. */
  readonly plateau: { readonly factor: number; readonly minLearningRate: number } | null;
  /** Stop after `patience` validations in a row without improvement; null: never. */
  readonly earlyStopping: { readonly patience: number } | null;
  /** Write a checkpoint every this many steps (and always at the end of an epoch and of the run); null: only those. */
  readonly checkpointEvery: number | null;
  /**
   * Also write a checkpoint once this many seconds have passed since the last one (or the start), so a long epoch
   * never leaves a run without one; null: by steps and epochs only. Default 300.
   */
  readonly checkpointSeconds: number | null;
}

export const DEFAULT_CHECKPOINT_SECONDS = 300;

export type TrainerConfigInput = Pick<TrainerConfig, 'seed'> & Partial<Omit<TrainerConfig, 'seed'>>;

function invalid(field: string, expected: string, got: unknown): LatentkitError {
  return new LatentkitError('INVALID_CONFIG', `trainer config "${field}" must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`, { field });
}

function positiveIntOrNull(value: unknown, field: string): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || (value as number) <= 0) throw invalid(field, 'a positive integer or null', value);
  return value as number;
}

function positive(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw invalid(field, 'a positive number', value);
  return value;
}

/** Fills defaults (Adam 1e-3, 1 epoch, no clipping, validation each epoch) and validates. */
export function resolveTrainerConfig(input: TrainerConfigInput): TrainerConfig {
  if (input === null || typeof input !== 'object') throw invalid('(root)', 'an object', input);
  if (typeof input.seed !== 'number' && typeof input.seed !== 'string') throw invalid('seed', 'a number or a string', input.seed);
  const optimizer = input.optimizer ?? { kind: 'adam', learningRate: 1e-3 };
  if (optimizer.kind !== 'adam' && optimizer.kind !== 'sgd') throw invalid('optimizer.kind', '"adam" or "sgd"', (optimizer as { kind?: unknown }).kind);
  positive(optimizer.learningRate, 'optimizer.learningRate');
  const plateau = input.plateau === undefined ? null : input.plateau;
  if (plateau) {
    if (!(plateau.factor > 1)) throw invalid('plateau.factor', 'a number above 1', plateau.factor);
    if (!(plateau.minLearningRate >= 0)) throw invalid('plateau.minLearningRate', 'a non-negative number', plateau.minLearningRate);
  }
  const earlyStopping = input.earlyStopping ?? null;
  if (earlyStopping) positiveIntOrNull(earlyStopping.patience, 'earlyStopping.patience');
  const clipNorm = input.clipNorm ?? null;
  if (clipNorm !== null) positive(clipNorm, 'clipNorm');
  return {
    seed: input.seed,
    optimizer,
    epochs: positiveIntOrNull(input.epochs ?? 1, 'epochs') as number,
    maxSteps: positiveIntOrNull(input.maxSteps ?? null, 'maxSteps'),
    clipNorm,
    validateEvery: positiveIntOrNull(input.validateEvery ?? null, 'validateEvery'),
    plateau,
    earlyStopping,
    checkpointEvery: positiveIntOrNull(input.checkpointEvery ?? null, 'checkpointEvery'),
    checkpointSeconds: input.checkpointSeconds === null ? null : positive(input.checkpointSeconds ?? DEFAULT_CHECKPOINT_SECONDS, 'checkpointSeconds'),
  };
}
