/**
 * KL weight schedules: pure functions of the training step that multiply β. Plain JSON so they live in configs.
 */
import { parseConfig, schemas, z } from '@latentkit/core/schema';

export type KlSchedule =
  /** Weight 1 throughout. */
  | { readonly kind: 'constant' }
  /** From `start` up to 1 linearly over `warmupSteps`, then 1 (Bowman et al. 2016). */
  | { readonly kind: 'linear'; readonly warmupSteps: number; readonly start: number }
  /**
   * Repeats every `period` steps: up from 0 to 1 over the first `rampFraction` of a period, then 1 for the rest
   * (Fu et al. 2019, "Cyclical annealing schedule").
   */
  | { readonly kind: 'cyclical'; readonly period: number; readonly rampFraction: number };

/** A schedule as a user may write it: `start` defaults to 0 and `rampFraction` to 0.5. */
export type KlScheduleInput =
  | { readonly kind: 'constant' }
  | { readonly kind: 'linear'; readonly warmupSteps: number; readonly start?: number }
  | { readonly kind: 'cyclical'; readonly period: number; readonly rampFraction?: number };

/** The schema of a schedule: unknown fields are refused, `start` defaults to 0 and `rampFraction` to 0.5. */
export const klScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant') }),
  z.strictObject({ kind: z.literal('linear'), warmupSteps: schemas.positiveInt(), start: z.number().min(0).max(1).default(0) }),
  z.strictObject({ kind: z.literal('cyclical'), period: schemas.positiveInt(), rampFraction: z.number().gt(0).max(1).default(0.5) }),
]);

/** Fills a schedule's defaults and validates it; throws INVALID_CONFIG naming the field under `where`. */
export function resolveSchedule(input: KlScheduleInput, where = 'klSchedule'): KlSchedule {
  return parseConfig(klScheduleSchema, input, where);
}

/** The multiplier of β at `step` (steps count from 0). */
export function klWeight(schedule: KlSchedule, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'linear':
      if (step >= schedule.warmupSteps) return 1;
      return schedule.start + (1 - schedule.start) * (step / schedule.warmupSteps);
    case 'cyclical': {
      const phase = (step % schedule.period) / schedule.period;
      return Math.min(1, phase / schedule.rampFraction);
    }
  }
}

/** Throws INVALID_CONFIG naming the field of `schedule` that is wrong. */
export function validateSchedule(schedule: KlSchedule, where: string): void {
  resolveSchedule(schedule, where);
}
