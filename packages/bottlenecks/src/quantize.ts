/**
 * The quantization math, written once: distances to a codebook, hard assignment, soft assignment.
 * Codebooks are [K, dim]: one codeword per row.
 */
import { tf } from '@latentkit/core';

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

/** Index of the nearest codeword per row (the first on ties) and that codeword: [batch] int32, [batch, dim]. */
export function nearestCodeword(x: tf.Tensor2D, codebook: tf.Tensor2D): { indices: tf.Tensor1D; codewords: tf.Tensor2D } {
  return tf.tidy(() => {
    const indices = tf.argMin(squaredDistances(x, codebook), 1) as tf.Tensor1D;
    return { indices, codewords: tf.gather(codebook, indices) as tf.Tensor2D };
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
