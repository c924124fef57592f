/**
 * The product of Gaussian experts (Wu & Goodman 2018): the posterior given a set of modalities is the prior expert
 * N(0, I) times each observed modality's diagonal-Gaussian expert, so precisions add and the mean is the
 * precision-weighted mean of the experts' means. A row whose modality is missing (an attribute vector with every
 * value masked) gates its expert out with presence 0 rather than letting an uninformed expert pull the code.
 */
import { tf } from '@latentkit/core/layers';
import { precisionWeightedMerge } from '../models/image-ladder.js';

export interface Gauss {
  readonly mean: tf.Tensor2D;
  readonly logVar: tf.Tensor2D;
}

export interface Expert extends Gauss {
  /** [n, 1]: 1 where the row observes the modality, 0 where it does not. Absent: every row observes it. */
  readonly present?: tf.Tensor2D;
}

/** N(0, I) times each expert: precision 1 + Σ presentᵢ/σᵢ², mean Σ presentᵢ μᵢ/σᵢ² / precision. */
export function productOfExperts(experts: readonly Expert[], size: number, latentDim: number): Gauss {
  return tf.tidy(() => {
    let g: Gauss = { mean: tf.zeros([size, latentDim]), logVar: tf.zeros([size, latentDim]) };
    for (const e of experts) {
      if (!e.present) {
        g = precisionWeightedMerge(g, e);
        continue;
      }
      const pa = tf.exp(g.logVar.neg());
      const pb = tf.exp(e.logVar.neg()).mul(e.present);
      const precision = pa.add(pb);
      g = { mean: g.mean.mul(pa).add(e.mean.mul(pb)).div(precision) as tf.Tensor2D, logVar: tf.log(precision).neg() as tf.Tensor2D };
    }
    return g as unknown as tf.TensorContainer;
  }) as unknown as Gauss;
}
