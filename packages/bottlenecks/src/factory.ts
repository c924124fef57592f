/** One entry point: a config (JSON or typed) in, a bottleneck out. */
import { Rng, check } from '@latentkit/core';
import { type BottleneckConfig, type BottleneckConfigInput, resolveBottleneckConfig } from './config.js';
import { DenoisingBottleneck } from './denoising.js';
import { GaussianBottleneck } from './gaussian.js';
import { IdentityBottleneck } from './identity.js';
import { SoftVqBottleneck } from './soft_vq.js';
import { SphericalBottleneck } from './spherical.js';
import type { Bottleneck } from './types.js';
import { VqBottleneck } from './vq.js';

export interface CreateOptions {
  /** Draws the initial weights. Default `Rng.fromSeed(0)`, so a config alone gives the same weights every time. */
  readonly rng?: Rng;
  /** Prefix of the variable keys (`<scope>/codebook`); change it when one model holds several bottlenecks. Default `bottleneck`. */
  readonly scope?: string;
}

/** Builds the bottleneck a config describes; defaults are filled and the config validated first. */
export function createBottleneck(config: BottleneckConfigInput, options: CreateOptions = {}): Bottleneck<BottleneckConfig> {
  const resolved = resolveBottleneckConfig(config);
  const rng = options.rng ?? Rng.fromSeed(0);
  const scope = options.scope ?? 'bottleneck';
  check(typeof scope === 'string' && scope.length > 0, 'options.scope', 'a non-empty string', scope);
  switch (resolved.kind) {
    case 'identity':
      return new IdentityBottleneck(resolved);
    case 'denoising':
      return new DenoisingBottleneck(resolved);
    case 'gaussian':
      return new GaussianBottleneck(resolved, rng, scope);
    case 'vmf':
    case 'powerSpherical':
      return new SphericalBottleneck(resolved, rng, scope);
    case 'vq':
      return new VqBottleneck(resolved, rng, scope);
    case 'softVq':
      return new SoftVqBottleneck(resolved, rng, scope);
  }
}
