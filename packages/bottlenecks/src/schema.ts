/** Schema pieces the bottleneck kinds share, so each field is validated (and worded) the same way everywhere. */
import { schemas, z } from '@latentkit/core/schema';
import { klScheduleSchema } from './schedule.js';

export const sizes = {
  inputDim: schemas.positiveInt,
  latentDim: schemas.positiveInt,
  /** Number of codewords K. Default 64. */
  codebookSize: () => schemas.positiveInt().default(64),
};

/** β and its schedule, for the kinds with a KL term. */
export const klFields = {
  beta: schemas.nonNegative().default(1),
  klSchedule: klScheduleSchema.default({ kind: 'constant' }),
};

/** A fixed κ > 0, or "learned". */
export const concentration = z.union([z.number().positive(), z.literal('learned')], { error: 'a finite number > 0 or "learned"' });

export { schemas, z };
