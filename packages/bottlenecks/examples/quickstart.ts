import { Rng, initEngine, tf } from '@latentkit/core';
import { createBottleneck, runInference } from '@latentkit/bottlenecks';

await initEngine();
const rng = Rng.fromSeed(42);

// Toy data: 256 points around 4 centres in R^8.
const centres = tf.randomNormal([4, 8], 0, 2, 'float32', rng.tfSeed());
const labels = tf.tensor1d(
  Array.from({ length: 256 }, (_, i) => i % 4),
  'int32',
);
const x = tf.add(tf.gather(centres, labels), tf.randomNormal([256, 8], 0, 0.1, 'float32', rng.tfSeed())) as tf.Tensor2D;

// Encoder and decoder are single linear maps here; the bottleneck sits between them.
const bottleneck = createBottleneck({ kind: 'softVq', inputDim: 4, codebookSize: 8, sigma: 0.3 }, { rng: rng.fork('init') });
const encoder = tf.variable(tf.randomNormal<tf.Rank.R2>([8, 4], 0, 0.3, 'float32', rng.tfSeed()));
const decoder = tf.variable(tf.randomNormal<tf.Rank.R2>([4, 8], 0, 0.3, 'float32', rng.tfSeed()));
const encode = (): tf.Tensor2D => tf.matMul(x, encoder);
const optimizer = tf.train.adam(0.02);
const noise = rng.fork('train');

const losses: number[] = [];
for (let step = 0; step < 300; step++) {
  const ctx = { mode: 'train', rng: noise, step } as const;
  const loss = optimizer.minimize(
    () => {
      const out = bottleneck.apply(encode(), ctx);
      const reconstruction = tf.mean(tf.sum(tf.squaredDifference(tf.matMul(out.code, decoder), x), 1));
      return tf.add(reconstruction, out.regularizer) as tf.Scalar;
    },
    true,
    [encoder, decoder, ...Object.values(bottleneck.trainableVariables)],
  );
  losses.push(loss!.dataSync()[0]!);
  loss!.dispose();
  // EMA codebooks and dead-codeword restarts happen here (a no-op for this bottleneck).
  tf.tidy(() => bottleneck.afterStep?.(encode(), ctx));
}

// Inference: deterministic, no rng; the spec is what the ONNX exporter rebuilds.
const h = encode();
const { code, latent } = bottleneck.apply(h, { mode: 'infer' });
const replayed = runInference(bottleneck.inference(), h);
const replayError = tf.max(tf.abs(tf.sub(code, replayed))).dataSync()[0]!;
const stats = bottleneck.stats(h);

console.log(`loss ${losses[0]!.toFixed(2)} → ${losses.at(-1)!.toFixed(2)}; codewords in use ${stats.perplexity}; replay error ${replayError}`);
console.log(`latent for downstream tasks: ${latent.shape}, steps for ONNX: ${bottleneck.inference().steps.map((s) => s.op)}`);

export const result = { losses, replayError, stats };
