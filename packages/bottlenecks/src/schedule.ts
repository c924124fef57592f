/**
 * KL weight schedules: pure functions of the training step that multiply β. Plain JSON so they live in configs.
 */
import { LatentkitError } from '@latentkit/core';

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

export function resolveSchedule(input: KlScheduleInput): KlSchedule {
  switch (input?.kind) {
    case 'linear':
      return { start: 0, ...input };
    case 'cyclical':
      return { rampFraction: 0.5, ...input };
    default:
      return input as KlSchedule;
  }
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
  const bad = (field: string, expected: string, got: unknown) =>
    new LatentkitError('INVALID_CONFIG', `${where}.${field} must be ${expected}, got ${JSON.stringify(got)}`, { field: `${where}.${field}` });
  const fields = { constant: ['kind'], linear: ['kind', 'warmupSteps', 'start'], cyclical: ['kind', 'period', 'rampFraction'] }[schedule?.kind];
  const extra = fields && Object.keys(schedule).find((key) => !fields.includes(key));
  if (extra !== undefined) throw bad(extra, `absent: a "${schedule.kind}" schedule has fields ${fields.join(', ')}`, (schedule as unknown as Record<string, unknown>)[extra]);
  switch (schedule?.kind) {
    case 'constant':
      return;
    case 'linear':
      if (!Number.isInteger(schedule.warmupSteps) || schedule.warmupSteps <= 0) throw bad('warmupSteps', 'a positive integer', schedule.warmupSteps);
      if (!(schedule.start >= 0 && schedule.start <= 1)) throw bad('start', 'a number in [0, 1]', schedule.start);
      return;
    case 'cyclical':
      if (!Number.isInteger(schedule.period) || schedule.period <= 0) throw bad('period', 'a positive integer', schedule.period);
      if (!(schedule.rampFraction > 0 && schedule.rampFraction <= 1)) throw bad('rampFraction', 'a number in (0, 1]', schedule.rampFraction);
      return;
    default:
      throw bad('kind', 'one of "constant", "linear", "cyclical"', (schedule as { kind?: unknown })?.kind);
  }
}
