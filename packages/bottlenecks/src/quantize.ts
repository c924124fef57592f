/**
 * The quantization math, written once: distances to a codebook, hard assignment, soft assignment.
 * Codebooks are [K, dim]: one codeword per row.
 */
import { type Rng, tf } from '@latentkit/core';

/** ‖x_b − e_k‖² for every row b of x and codeword k: [batch, K]. Differentiable in both x and the codebook. */
export function squaredDistances(x: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true);
    const ee = tf.sum(tf.square(codebook), 1).expandDims(0);
    const xe = tf.matMul(x, codebook, false, true);
    // The expanded form can dip below zero by rounding; a distance never does.
    return tf.relu(tf.add<tf.Tensor2D>(tf.sub(xx, tf.mul(2, xe)), ee));
  });
}

const hardAssignmentOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, codebook] = args as [tf.Tensor2D, tf.Tensor2D];
  const indices = tf.argMin(squaredDistances(x, codebook), 1);
  return {
    value: tf.oneHot(indices, codebook.shape[0], 1, 0, 'float32'),
    gradFunc: (_dy: tf.Tensor) => [tf.zerosLike(x), tf.zerosLike(codebook)],
  };
});

/**
 * One-hot rows of the nearest codeword (the first on ties): [batch, K]. A hard choice has no gradient, so it is a
 * custom op that reports zeros without back-propagating through the distances (two matrix products saved per step).
 */
export function hardAssignments(x: tf.Tensor2D, codebook: tf.Tensor2D): tf.Tensor2D {
  return hardAssignmentOp(x, codebook) as tf.Tensor2D;
}

/**
 * Index of the nearest codeword per row (the first on ties) and that codeword: [batch] int32, [batch, dim].
 * The codeword is picked by a one-hot matrix product rather than a gather: tfjs's gather gradient fails when its
 * indices depend on differentiated tensors, and the product's gradient to the codebook is the same scatter-add.
 */
export function nearestCodeword(x: tf.Tensor2D, codebook: tf.Tensor2D): { indices: tf.Tensor1D; codewords: tf.Tensor2D } {
  return tf.tidy(() => {
    const onehot = hardAssignments(x, codebook);
    return { indices: tf.argMax(onehot, 1) as tf.Tensor1D, codewords: tf.matMul(onehot, codebook) };
  });
}

/** Posterior probabilities of the codewords given x under isotropic Gaussian noise of variance σ²: softmax_k(−‖x − e_k‖²/2σ²), [batch, K]. */
export function softAssignments(x: tf.Tensor2D, codebook: tf.Tensor2D, sigma: number): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(tf.mul(squaredDistances(x, codebook), -1 / (2 * sigma * sigma))) as tf.Tensor2D);
}

/** The posterior mean of the codewords, Σ_k softmax_k(−‖x − e_k‖²/2σ²)·e_k: [batch, dim]. */
export function softQuantize(x: tf.Tensor2D, codebook: tf.Tensor2D, sigma: number): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(softAssignments(x, codebook, sigma), codebook));
}

export const LOG_SCALE_LIMIT = 15;

/**
 * The authors'-code form of the assignments: a scale σ_k = e^{ℓ_k} per example and codeword, [batch, K], with weights
 * ∝ σ_k·exp(−‖x − e_k‖²/2σ_k²) (their `exp(−dist·smooth/2)/sqrt(smooth)`, smooth = 1/σ_k²), computed in the log domain.
 */
export function scaledSoftAssignments(x: tf.Tensor2D, codebook: tf.Tensor2D, logScale: tf.Tensor2D, limit = LOG_SCALE_LIMIT): tf.Tensor2D {
  return tf.tidy(() => {
    // |ℓ| ≤ 15 keeps e^{−2ℓ}·distance finite in float32; a scale outside e^{±15} is saturated, not a NaN.
    const ell = tf.clipByValue(logScale, -limit, limit);
    const precision = tf.exp(tf.mul(-2, ell));
    return tf.softmax(tf.add(tf.mul(-0.5, tf.mul(squaredDistances(x, codebook), precision)), ell)) as tf.Tensor2D;
  });
}

/** `n` codewords drawn uniformly from the codebook [K, dim]: the codes a quantizing bottleneck samples. */
export function sampleCodewords(codebook: tf.Tensor2D, n: number, rng: Rng): tf.Tensor2D {
  const picks = Array.from({ length: n }, () => rng.int(codebook.shape[0]));
  return tf.tidy(() => tf.gather(codebook, tf.tensor1d(picks, 'int32')));
}
