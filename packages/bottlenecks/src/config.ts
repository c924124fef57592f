/**
 * Bottleneck configs: plain typed objects that round-trip through JSON. A user writes a `BottleneckConfigInput`
 * (only `kind` and the sizes are required); the kind's schema fills the defaults and validates. Each kind's config
 * is declared in the kind's own module; this one gathers the built-in ones.
 */
import type { DenoisingConfig } from './denoising.js';
import type { GaussianConfig } from './gaussian.js';
import type { IdentityConfig } from './identity.js';
import type { KlSchedule, KlScheduleInput } from './schedule.js';
import type { SoftVqConfig } from './soft-vq.js';
import type { PowerSphericalConfig, VmfConfig } from './spherical.js';
import type { VqConfig } from './vq.js';

export type { Concentration, PowerSphericalConfig, VmfConfig } from './spherical.js';
export type { DenoisingConfig } from './denoising.js';
export type { EmaConfig, RestartConfig, VqConfig } from './vq.js';
export type { GaussianConfig } from './gaussian.js';
export type { IdentityConfig } from './identity.js';
export type { SoftVqConfig } from './soft-vq.js';

/** Shared by the bottlenecks with a KL term. */
export interface KlConfig {
  /** Weight of the KL term. Default 1. */
  readonly beta: number;
  /** Multiplies β as a function of the training step. Default constant. */
  readonly klSchedule: KlSchedule;
}

export type BottleneckConfig = IdentityConfig | DenoisingConfig | GaussianConfig | VmfConfig | PowerSphericalConfig | VqConfig | SoftVqConfig;

/** The built-in kinds' names. */
export type BottleneckKindName = BottleneckConfig['kind'];

type Input<C, Required extends keyof C> = Pick<C, Required> & {
  readonly [K in Exclude<keyof C, Required>]?: K extends 'klSchedule'
    ? KlScheduleInput
    : K extends 'ema' | 'restart'
      ? Partial<NonNullable<C[K]>> | null
      : C[K];
};
type SizesOf<C> = Exclude<Extract<keyof C, 'kind' | 'inputDim' | 'latentDim'>, C extends SoftVqConfig ? 'latentDim' : never>;

/** What a user writes: `kind` and the sizes; every other field has a default. */
export type BottleneckConfigInput = BottleneckConfig extends infer C ? (C extends BottleneckConfig ? Input<C, SizesOf<C>> : never) : never;
