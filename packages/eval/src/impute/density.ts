import { LatentkitError } from '@latentkit/core';
import type { ImputableModel } from './types.js';

/** The model's q(z|x) and p(z), or UNSUPPORTED naming the method that needs them. */
export function requireDensity(model: ImputableModel, what: string): NonNullable<ImputableModel['density']> {
  if (!model.density) {
    throw new LatentkitError(
      'UNSUPPORTED',
      `${what} needs a bottleneck with a density q(z|x) (gaussian, vmf, powerSpherical); this model's has none. Use the single method with one draw`,
    );
  }
  return model.density;
}
