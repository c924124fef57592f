/** The trainer's settings: a plain JSON object, stored in every checkpoint so `resume` continues under the same ones. */
import { parseConfig, schemas, z } from '@latentkit/core/schema';

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
  /**
   * At the end, give the model back the weights of its best validation instead of the last ones (the CLI's run model
   * is then the best one). The checkpoint keeps the last weights, and the best beside them, so a resumed run goes on
   * from where it stopped and still knows its best. Default false.
   */
  readonly restoreBest: boolean;
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

const positiveIntOrNull = schemas.positiveInt().nullable();

const optimizer = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('adam'),
    learningRate: schemas.positive().default(1e-3),
    beta1: schemas.unitInterval().optional(),
    beta2: schemas.unitInterval().optional(),
    epsilon: schemas.positive().optional(),
  }),
  z.strictObject({ kind: z.literal('sgd'), learningRate: schemas.positive().default(1e-3), momentum: z.number().min(0).lt(1).optional() }),
]);

/**
 * The trainer's settings and their defaults, the one place they are set: Adam 1e-3, 5 epochs, gradients clipped to
 * norm 5, validation at each epoch end. A model kind may suggest its own (`ModelKind.defaults.trainer`).
 */
export const trainerConfigSchema = z.strictObject({
  seed: z.union([z.number(), z.string()], { error: 'a number or a string' }),
  optimizer: optimizer.default({ kind: 'adam', learningRate: 1e-3 }),
  epochs: schemas.positiveInt().default(5),
  maxSteps: positiveIntOrNull.default(null),
  clipNorm: schemas.positive().nullable().default(5),
  validateEvery: positiveIntOrNull.default(null),
  plateau: z
    .strictObject({ factor: z.number().gt(1), minLearningRate: schemas.nonNegative() })
    .nullable()
    .default(null),
  earlyStopping: z.strictObject({ patience: schemas.positiveInt() }).nullable().default(null),
  restoreBest: z.boolean().default(false),
  checkpointEvery: positiveIntOrNull.default(null),
  checkpointSeconds: schemas.positive().nullable().default(DEFAULT_CHECKPOINT_SECONDS),
});

/** Fills the defaults and validates, naming a bad field under `where` (`trainer`). */
export function resolveTrainerConfig(input: TrainerConfigInput, where = ''): TrainerConfig {
  return parseConfig(trainerConfigSchema, input, where) as TrainerConfig;
}
