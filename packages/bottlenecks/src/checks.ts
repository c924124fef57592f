/** Argument checks shared by the bottlenecks: they name the argument and say what was expected. */
import { type Rng, check, tf } from '@latentkit/core';
import { type KlSchedule, klWeight } from './schedule.js';
import type { BottleneckContext } from './types.js';

export function checkFeatures(h: tf.Tensor, inputDim: number, kind: string): asserts h is tf.Tensor2D {
  check(
    h instanceof tf.Tensor && h.rank === 2 && h.shape[1] === inputDim,
    'h',
    `a [batch, ${inputDim}] tensor for the "${kind}" bottleneck`,
    h instanceof tf.Tensor ? h.shape : h,
  );
  check(h.shape[0] !== 0, 'h', 'a non-empty batch', h.shape);
  check(h.dtype === 'float32', 'h', 'a float32 tensor', h.dtype);
}

export function checkContext(ctx: BottleneckContext): void {
  check(ctx !== null && typeof ctx === 'object' && (ctx.mode === 'train' || ctx.mode === 'infer'), 'ctx.mode', '"train" or "infer"', ctx?.mode);
  check(ctx.step === undefined || (Number.isInteger(ctx.step) && ctx.step >= 0), 'ctx.step', 'a non-negative integer', ctx.step);
  check(ctx.klWeight === undefined || (Number.isFinite(ctx.klWeight) && ctx.klWeight >= 0), 'ctx.klWeight', 'a finite number ≥ 0', ctx.klWeight);
}

/** β times the KL weight of this call: the context's override, else the schedule at the step. */
export function klMultiplier(ctx: BottleneckContext, beta: number, schedule: KlSchedule): number {
  return beta * (ctx.klWeight ?? klWeight(schedule, ctx.step ?? 0));
}

/** The random stream of a training call; train mode of a stochastic bottleneck cannot run without one. */
export function trainRng(ctx: BottleneckContext, kind: string): Rng {
  check(ctx.rng !== undefined, 'ctx.rng', `an Rng: the "${kind}" bottleneck samples in train mode`, ctx.rng);
  return ctx.rng;
}
