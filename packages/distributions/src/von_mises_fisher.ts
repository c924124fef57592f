/** Stub: the interface is final, the implementation lands in the next commits. */
import { LatentkitError, type Rng, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D } from '@latentkit/core';
import { checkBatchMatrix } from './checks.js';
import type { LatentDistribution } from './types.js';

function notYet(): never {
  throw new LatentkitError('UNSUPPORTED', 'VonMisesFisher is not implemented yet');
}

export class VonMisesFisher implements LatentDistribution {
  readonly dim: number;
  readonly batchSize: number;
  readonly support = 'sphere' as const;
  readonly mu: Tensor2D;
  readonly kappa: Tensor1D | number;

  /** mu: [b, d] unit vectors; kappa: [b] concentrations > 0, or one number for a fixed κ. */
  constructor(mu: Tensor2D, kappa: Tensor1D | number) {
    checkBatchMatrix(mu, 'mu', 2);
    this.mu = mu;
    this.kappa = kappa;
    [this.batchSize, this.dim] = mu.shape;
  }
  sample(_rng: Rng): Tensor2D {
    return notYet();
  }
  sampleN(_n: number, _rng: Rng): Tensor3D {
    return notYet();
  }
  logProb(_z: Tensor2D | Tensor3D): Tensor {
    return notYet();
  }
  entropy(): Tensor1D {
    return notYet();
  }
  klToPrior(): Tensor1D {
    return notYet();
  }
  mean(): Tensor2D {
    return notYet();
  }
  mode(): Tensor2D {
    return notYet();
  }
}
