/** The fixed priors: N(0, I) on R^d, and the uniform distribution on S^{d-1} (density w.r.t. surface measure). */
import { type Rng, type Tensor2D, type Tensor3D, checkPositiveInt, tf } from '@latentkit/core';
import { checkPoints, checkSampleCount } from './checks.js';
import { logSphereArea } from './special/sphere.js';
import type { LatentPrior } from './types.js';

const LOG_2PI = Math.log(2 * Math.PI);

export function standardNormal(dim: number): LatentPrior {
  checkPositiveInt(dim, 'dim');
  return {
    dim,
    support: 'euclidean',
    logProb: (z: Tensor2D | Tensor3D) => {
      checkPoints(z, dim);
      return tf.tidy(() => tf.sum(tf.square(z).add(LOG_2PI), -1).mul(-0.5));
    },
    sample: (n: number, rng: Rng) => {
      checkSampleCount(n);
      return tf.randomNormal([n, dim], 0, 1, 'float32', rng.tfSeed());
    },
  };
}

export function uniformSphere(dim: number): LatentPrior {
  checkPositiveInt(dim, 'dim');
  const logDensity = -logSphereArea(dim);
  return {
    dim,
    support: 'sphere',
    logProb: (z: Tensor2D | Tensor3D) => {
      checkPoints(z, dim);
      return tf.fill(z.shape.slice(0, -1), logDensity);
    },
    sample: (n: number, rng: Rng) => {
      checkSampleCount(n);
      return tf.tidy(() => {
        const g = tf.randomNormal([n, dim], 0, 1, 'float32', rng.tfSeed());
        return g.div(tf.norm(g, 'euclidean', -1, true));
      });
    },
  };
}
