/**
 * Bottleneck configs: plain typed objects that round-trip through JSON. A user writes a `BottleneckConfigInput`
 * (only `kind` and the sizes are required); `resolveBottleneckConfig` fills the defaults and validates, purely.
 */
import { LatentkitError } from '@latentkit/core';
import { type KlSchedule, type KlScheduleInput, resolveSchedule, validateSchedule } from './schedule.js';

/** Plain autoencoder: the code is the encoder's features. */
export interface IdentityConfig {
  readonly kind: 'identity';
  readonly inputDim: number;
}

/** Denoising autoencoder on the code: adds N(0, σ²) noise in training, nothing at inference. */
export interface DenoisingConfig {
  readonly kind: 'denoising';
  readonly inputDim: number;
  /** Noise standard deviation. Default 0.1. */
  readonly sigma: number;
}

/** Shared by the bottlenecks with a KL term. */
interface KlConfig {
  /** Weight of the KL term. Default 1. */
  readonly beta: number;
  /** Multiplies β as a function of the training step. Default constant. */
  readonly klSchedule: KlSchedule;
}

/** Gaussian VAE: linear heads for mean and log-variance, reparameterised sample, KL to N(0, I). */
export interface GaussianConfig extends KlConfig {
  readonly kind: 'gaussian';
  readonly inputDim: number;
  readonly latentDim: number;
  /**
   * Free bits (Kingma et al. 2016), in nats per latent dimension: the regularizer uses max(λ, batch-mean KL_j) per
   * dimension, so no dimension is pushed below λ. 0 (default) turns it off.
   */
  readonly freeBits: number;
}

/** Concentration of a spherical posterior: a fixed κ, or κ = softplus(linear(h)) + 1 learned per example. */
export type Concentration = number | 'learned';

/** Hyperspherical VAE with a von Mises-Fisher posterior and a uniform prior on the sphere S^{latentDim−1}. */
export interface VmfConfig extends KlConfig {
  readonly kind: 'vmf';
  readonly inputDim: number;
  /** Ambient dimension of the code (vectors in R^latentDim, on the unit sphere). */
  readonly latentDim: number;
  /** Default 'learned'. */
  readonly kappa: Concentration;
}

/** As `vmf`, with the Power Spherical posterior (De Cao & Aziz 2020): same heads, cheaper and stabler sampling. */
export interface PowerSphericalConfig extends KlConfig {
  readonly kind: 'powerSpherical';
  readonly inputDim: number;
  readonly latentDim: number;
  readonly kappa: Concentration;
}

export interface EmaConfig {
  /** Default 0.99. */
  readonly decay: number;
  /** Laplace smoothing of the cluster sizes, so an empty cluster never divides by zero. Default 1e-5. */
  readonly epsilon: number;
}

export interface RestartConfig {
  /**
   * A codeword is dead when its usage (a moving average, decay `decay`, of the fraction of the batch assigned to it)
   * falls below `threshold / codebookSize`: `threshold` is relative to uniform use. Default 0.03.
   */
  readonly threshold: number;
  /** Default 0.99. */
  readonly decay: number;
}

/** VQ-VAE (van den Oord et al. 2017). The encoder features are the pre-quantization code z_e. */
export interface VqConfig {
  readonly kind: 'vq';
  /** Codeword dimension; also the width of the code. */
  readonly inputDim: number;
  /** Number of codewords K. */
  readonly codebookSize: number;
  /** Weight of the commitment term. Default 0.25. */
  readonly beta: number;
  /** EMA codebook updates instead of the codebook loss; null (default) learns the codebook by gradient. */
  readonly ema: EmaConfig | null;
  /** Restart of dead codewords on a random encoder output of the batch; null (default) never restarts. */
  readonly restart: RestartConfig | null;
}

/**
 * Wu & Flierl's Bayesian soft quantization (AAAI 2020, "Vector Quantization-Based Regularization for Autoencoders").
 * - `noise` (the paper): z̃ = z + N(0, σ²I) in training (z̃ = z at inference); the decoder gets the posterior mean of
 *   the codewords, ẑ = Σ_k softmax_k(−‖z̃ − e_k‖²/2σ²)·e_k.
 * - `predictedVariance` (the authors' published code): no noise is sampled; a linear head on h predicts a log scale
 *   ℓ_k per example and codeword, and ẑ = Σ_k softmax_k(−‖z − e_k‖²·e^{−2ℓ_k}/2 + ℓ_k)·e_k. The README details
 *   every difference.
 */
export interface SoftVqConfig {
  readonly kind: 'softVq';
  readonly inputDim: number;
  readonly codebookSize: number;
  /**
   * Width of the pre-quantization code z (and of the codewords). null (default): z = h, so it is `inputDim`. A
   * number: z = linear(h), the layout of the authors' code (two dense heads on the encoder's features).
   */
  readonly latentDim: number | null;
  /** Default `noise`. */
  readonly variant: 'noise' | 'predictedVariance';
  /** Noise standard deviation σ of the `noise` variant (relative to the codebook's scale, which starts at ‖e_k‖ ≈ 1). Default 1. */
  readonly sigma: number;
  /** Weight of the commitment term. Default 0.25. */
  readonly beta: number;
  /**
   * The decoder sees z + sg(ẑ − z): ẑ forward, the identity to z backward, nothing to the codebook. Default false for
   * `noise` (the decoder's gradient flows through the soft quantizer), true for `predictedVariance` (as the authors' code).
   */
  readonly straightThrough: boolean;
}

export type BottleneckConfig =
  | IdentityConfig
  | DenoisingConfig
  | GaussianConfig
  | VmfConfig
  | PowerSphericalConfig
  | VqConfig
  | SoftVqConfig;

export type BottleneckKind = BottleneckConfig['kind'];

export const BOTTLENECK_KINDS: readonly BottleneckKind[] = ['identity', 'denoising', 'gaussian', 'vmf', 'powerSpherical', 'vq', 'softVq'];

type Input<C, Required extends keyof C> = Pick<C, Required> & {
  readonly [K in Exclude<keyof C, Required>]?: K extends 'klSchedule' ? KlScheduleInput : K extends 'ema' | 'restart' ? Partial<NonNullable<C[K]>> | null : C[K];
};
type SizesOf<C> = Exclude<Extract<keyof C, 'kind' | 'inputDim' | 'latentDim' | 'codebookSize'>, C extends SoftVqConfig ? 'latentDim' : never>;

/** What a user writes: `kind` and the sizes; every other field has a default. */
export type BottleneckConfigInput = BottleneckConfig extends infer C ? (C extends BottleneckConfig ? Input<C, SizesOf<C>> : never) : never;

const DEFAULT_EMA: EmaConfig = { decay: 0.99, epsilon: 1e-5 };
const DEFAULT_RESTART: RestartConfig = { threshold: 0.03, decay: 0.99 };
const REQUIRED = undefined;

/** Every field of each kind, with its default (REQUIRED for the sizes). */
const TEMPLATES: { readonly [K in BottleneckKind]: Readonly<Record<string, unknown>> } = {
  identity: { inputDim: REQUIRED },
  denoising: { inputDim: REQUIRED, sigma: 0.1 },
  gaussian: { inputDim: REQUIRED, latentDim: REQUIRED, beta: 1, klSchedule: { kind: 'constant' }, freeBits: 0 },
  vmf: { inputDim: REQUIRED, latentDim: REQUIRED, beta: 1, klSchedule: { kind: 'constant' }, kappa: 'learned' },
  powerSpherical: { inputDim: REQUIRED, latentDim: REQUIRED, beta: 1, klSchedule: { kind: 'constant' }, kappa: 'learned' },
  vq: { inputDim: REQUIRED, codebookSize: REQUIRED, beta: 0.25, ema: null, restart: null },
  softVq: { inputDim: REQUIRED, codebookSize: REQUIRED, latentDim: null, variant: 'noise', sigma: 1, beta: 0.25, straightThrough: REQUIRED },
};

function invalid(field: string, expected: string, got: unknown): LatentkitError {
  return new LatentkitError('INVALID_CONFIG', `bottleneck config "${field}" must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`, {
    field,
    expected,
    got,
  });
}

function positiveInt(value: unknown, field: string): void {
  if (!Number.isInteger(value) || (value as number) <= 0) throw invalid(field, 'a positive integer', value);
}

function nonNegative(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(field, 'a finite number ≥ 0', value);
}

function positive(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalid(field, 'a finite number > 0', value);
}

function inUnitInterval(value: unknown, field: string): void {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) throw invalid(field, 'a number in (0, 1)', value);
}

function validate(c: BottleneckConfig): BottleneckConfig {
  positiveInt(c.inputDim, 'inputDim');
  switch (c.kind) {
    case 'identity':
      break;
    case 'denoising':
      nonNegative(c.sigma, 'sigma');
      break;
    case 'gaussian':
      positiveInt(c.latentDim, 'latentDim');
      nonNegative(c.beta, 'beta');
      validateSchedule(c.klSchedule, 'bottleneck config "klSchedule"');
      nonNegative(c.freeBits, 'freeBits');
      break;
    case 'vmf':
    case 'powerSpherical':
      positiveInt(c.latentDim, 'latentDim');
      if (c.latentDim < 2) throw invalid('latentDim', 'at least 2 (a sphere in R^latentDim)', c.latentDim);
      nonNegative(c.beta, 'beta');
      validateSchedule(c.klSchedule, 'bottleneck config "klSchedule"');
      if (c.kappa !== 'learned' && !(typeof c.kappa === 'number' && Number.isFinite(c.kappa) && c.kappa > 0)) {
        throw invalid('kappa', 'a finite number > 0 or "learned"', c.kappa);
      }
      break;
    case 'vq':
      positiveInt(c.codebookSize, 'codebookSize');
      nonNegative(c.beta, 'beta');
      if (c.ema !== null) {
        inUnitInterval(c.ema.decay, 'ema.decay');
        positive(c.ema.epsilon, 'ema.epsilon');
      }
      if (c.restart !== null) {
        positive(c.restart.threshold, 'restart.threshold');
        inUnitInterval(c.restart.decay, 'restart.decay');
      }
      break;
    case 'softVq':
      positiveInt(c.codebookSize, 'codebookSize');
      if (c.latentDim !== null) positiveInt(c.latentDim, 'latentDim');
      if (c.variant !== 'noise' && c.variant !== 'predictedVariance') throw invalid('variant', '"noise" or "predictedVariance"', c.variant);
      // 1/2σ² must stay a finite float32 with room for the distances it multiplies.
      if (typeof c.sigma !== 'number' || !(c.sigma >= 1e-6 && c.sigma <= 1e6)) throw invalid('sigma', 'a number in [1e-6, 1e6]', c.sigma);
      nonNegative(c.beta, 'beta');
      if (typeof c.straightThrough !== 'boolean') throw invalid('straightThrough', 'a boolean', c.straightThrough);
      break;
  }
  return c;
}

/** Rejects keys of `given` that `allowed` lacks, naming the field they sit in. */
function checkKnownFields(given: object, allowed: object, where: string): void {
  for (const key of Object.keys(given)) {
    if (!(key in allowed)) throw invalid(where ? `${where}.${key}` : key, `absent: the fields are ${Object.keys(allowed).join(', ')}`, (given as Record<string, unknown>)[key]);
  }
}

/** An optional nested object (`ema`, `restart`): null when absent, else its defaults overlaid with what was given. */
function withDefaults(value: unknown, defaults: object, field: string): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'an object (fields may be omitted) or null', value);
  checkKnownFields(value, defaults, field);
  return { ...defaults, ...value };
}

/**
 * Fills the defaults of `input` and validates the result; throws INVALID_CONFIG naming the bad field (unknown fields
 * too, so a typo never passes silently). Pure: `input` is not changed.
 */
export function resolveBottleneckConfig(input: BottleneckConfigInput): BottleneckConfig {
  if (input === null || typeof input !== 'object') throw invalid('(config)', 'an object with a "kind"', input);
  const kind = (input as { kind?: unknown }).kind;
  if (!(BOTTLENECK_KINDS as readonly unknown[]).includes(kind)) {
    throw invalid('kind', `one of ${BOTTLENECK_KINDS.map((k) => `"${k}"`).join(', ')}`, kind);
  }
  const template = TEMPLATES[kind as BottleneckKind];
  const given = input as unknown as Record<string, unknown>;
  checkKnownFields(given, { kind, ...template }, '');
  const resolved: Record<string, unknown> = { kind };
  for (const [key, fallback] of Object.entries(template)) resolved[key] = given[key] ?? fallback;
  if (kind === 'vq') {
    resolved.ema = withDefaults(given.ema, DEFAULT_EMA, 'ema');
    resolved.restart = withDefaults(given.restart, DEFAULT_RESTART, 'restart');
  }
  if (kind === 'softVq' && resolved.straightThrough === undefined) resolved.straightThrough = resolved.variant === 'predictedVariance';
  if (resolved.klSchedule !== undefined) resolved.klSchedule = resolveSchedule(resolved.klSchedule as KlScheduleInput);
  return validate(resolved as unknown as BottleneckConfig);
}
