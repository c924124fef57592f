/** One entry point: a config (JSON or typed) in, a bottleneck out. */
import { LatentkitError, type Rng } from '@latentkit/core';
import { type BottleneckConfig, type BottleneckConfigInput, resolveBottleneckConfig } from './config.js';
import { DenoisingBottleneck } from './denoising.js';
import { IdentityBottleneck } from './identity.js';
import type { Bottleneck } from './types.js';

export interface CreateOptions {
  /** Draws the initial weights. Default `Rng.fromSeed(0)`, so a config alone gives the same weights every time. */
  readonly rng?: Rng;
  /** Prefix of the variable keys (`<scope>/codebook`); change it when one model holds several bottlenecks. Default `bottleneck`. */
  readonly scope?: string;
}

/** Builds the bottleneck a config describes; defaults are filled and the config validated first. */
export function createBottleneck(config: BottleneckConfigInput, _options: CreateOptions = {}): Bottleneck<BottleneckConfig> {
  const resolved = resolveBottleneckConfig(config);
  switch (resolved.kind) {
    case 'identity':
      return new IdentityBottleneck(resolved);
    case 'denoising':
      return new DenoisingBottleneck(resolved);
    default:
      throw new LatentkitError('UNSUPPORTED', `the "${resolved.kind}" bottleneck is not implemented yet`, { kind: resolved.kind });
  }
}
