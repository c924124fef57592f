/** Negative log-likelihoods per example, written once and shared by the models. All return [batch]. */
import { tf } from '@latentkit/core';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** −Σ_d log Bernoulli(x_d | sigmoid(l_d)), in the stable form max(l,0) − l·x + log(1 + e^−|l|). x in [0, 1]. */
export function bernoulliNll(logits: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(
    () =>
      tf
        .relu(logits)
        .sub(logits.mul(x))
        .add(tf.log1p(tf.exp(logits.abs().neg())))
        .sum(1) as tf.Tensor1D,
  );
}

/** −Σ_d log N(x_d | μ_d, 1). */
export function gaussianNll(mean: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  const dims = x.shape[1];
  return tf.tidy(
    () =>
      x
        .sub(mean)
        .square()
        .sum(1)
        .mul(0.5)
        .add(dims * HALF_LOG_2PI) as tf.Tensor1D,
  );
}

/** −Σ_w count_w · log softmax(logits)_w: a bag of words under one categorical (NVDM). */
export function multinomialNll(logits: tf.Tensor2D, counts: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.logSoftmax(logits).mul(counts).sum(1).neg() as tf.Tensor1D);
}

/**
 * Row r's entry at column targets[r] (in [0, width): the callers' token ids) of `rows` [n, width], as a gather from
 * the flat rows: its gradient is a segment sum of n values, where a one-hot product forms, multiplies and sums an
 * [n, width] mask forward and back (on PTB's decoder, 32 × 28 × 10 002 floats each way). Flat indices are int32, so
 * past 2³¹ entries (`flatLimit`) it falls back to the one-hot product.
 */
export function pickColumns(rows: tf.Tensor2D, targets: tf.Tensor1D, flatLimit = 2 ** 31): tf.Tensor1D {
  return tf.tidy(() => {
    const [n, width] = rows.shape;
    const ids = targets.toInt();
    if (n * width >= flatLimit) return rows.mul(tf.oneHot(ids, width)).sum(1) as tf.Tensor1D;
    const flat = tf.range(0, n * width, width, 'int32').add(ids);
    return tf.gather(rows.reshape([n * width]), flat) as tf.Tensor1D;
  });
}

/** −Σ_t mask_t · log softmax(logits_t)[target_t] for logits [batch, time, vocab], targets and mask [batch, time]. */
export function sequenceNll(logits: tf.Tensor3D, targets: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [batch, time, vocab] = logits.shape;
    const logp = tf.logSoftmax(logits.reshape([batch * time, vocab]) as tf.Tensor2D);
    const picked = pickColumns(logp, targets.reshape([batch * time])).reshape([batch, time]);
    return picked.mul(mask).sum(1).neg() as tf.Tensor1D;
  });
}
