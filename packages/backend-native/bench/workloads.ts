/**
 * The three training workloads of issue 9, written with tf.layers and ops through core's `tf`, trained with Adam.
 * bench/torch_reference.py defines the same models in PyTorch. Inputs are synthetic and fixed: speed does not
 * depend on the data, and the benchmark must run without the shared datasets.
 */
import { Rng, lstmSequence } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';

export interface Workload {
  /** One Adam step on one batch; returns the loss. */
  step(): number;
  /** The deterministic forward pass (z = μ) on the same batch: what inference runs. */
  forward(): tf.Tensor;
  dispose(): void;
}

export const WORKLOAD_NAMES = ['lstm-vae', 'bow-vae', 'conv-ae'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export const WORKLOAD_LABELS: Record<WorkloadName, string> = {
  'lstm-vae': 'LSTM-VAE: vocab 10k, emb 256, hidden 512, latent 32, batch 32×35',
  'bow-vae': 'BoW VAE: vocab 2k, hidden 500, latent 50, batch 64',
  'conv-ae': 'conv AE on 28×28, batch 128',
};

function reparameterize(mu: tf.Tensor, logvar: tf.Tensor, seed: number): tf.Tensor {
  return mu.add(tf.exp(logvar.mul(0.5)).mul(tf.randomNormal(mu.shape, 0, 1, 'float32', seed)));
}

/** KL(N(mu, σ²) ‖ N(0, 1)) summed over latent units, averaged over the batch. */
function gaussianKl(mu: tf.Tensor, logvar: tf.Tensor): tf.Scalar {
  return tf.sum(tf.exp(logvar).add(mu.square()).sub(1).sub(logvar)).mul(0.5 / (mu.shape[0] as number)) as tf.Scalar;
}

/** An LSTM over time-major inputs with PyTorch's gate order (i, f, g, o) and sigmoid gates, as nn.LSTM. */
class Lstm {
  readonly wx: tf.Variable;
  readonly wh: tf.Variable;
  readonly b: tf.Variable;

  constructor(
    readonly inputSize: number,
    readonly units: number,
    rng: Rng,
  ) {
    const scale = 1 / Math.sqrt(units);
    this.wx = tf.variable(tf.randomUniform([inputSize, 4 * units], -scale, scale, 'float32', rng.tfSeed()));
    this.wh = tf.variable(tf.randomUniform([units, 4 * units], -scale, scale, 'float32', rng.tfSeed()));
    this.b = tf.variable(tf.zeros([4 * units]));
  }

  /**
   * `x`: [steps, batch, input]. Returns the hidden states [steps, batch, units] and the last one, through core's
   * `lstmSequence` (what the product's text models run), which is batch-major.
   */
  run(x: tf.Tensor3D, h0: tf.Tensor2D): { states: tf.Tensor3D; last: tf.Tensor2D } {
    const out = lstmSequence(
      x.transpose([1, 0, 2]),
      h0,
      tf.zerosLike(h0),
      { kernel: this.wx as tf.Tensor2D, recurrentKernel: this.wh as tf.Tensor2D, bias: this.b as tf.Tensor1D },
      'sigmoid',
    );
    return { states: out.sequence.transpose([1, 0, 2]), last: out.h };
  }
}

function lstmVae(): Workload {
  const vocab = 10_000;
  const emb = 256;
  const hidden = 512;
  const latent = 32;
  const batch = 32;
  const steps = 35;
  const rng = Rng.fromSeed(9);
  const embedding = tf.variable(tf.randomNormal([vocab, emb], 0, 0.1, 'float32', rng.tfSeed()));
  const encoder = new Lstm(emb, hidden, rng);
  const decoder = new Lstm(emb, hidden, rng);
  const toMu = tf.layers.dense({ units: latent });
  const toLogvar = tf.layers.dense({ units: latent });
  const toState = tf.layers.dense({ units: hidden, activation: 'tanh' });
  const toVocab = tf.layers.dense({ units: vocab });
  // Time-major token ids; the decoder reads the sequence shifted right behind a start token (id 0).
  const tokens = tf.tensor2d(
    Int32Array.from({ length: steps * batch }, () => 1 + rng.int(vocab - 1)),
    [steps, batch],
    'int32',
  );
  const decoderInput = tf.concat([tf.zeros([1, batch], 'int32'), tokens.slice([0, 0], [steps - 1, batch])]);
  // Cast rather than ask oneHot for float32: wasm's OneHot kernel writes int32 bits whatever dtype it is asked for.
  const targets = tf.oneHot(tokens.reshape([-1]) as tf.Tensor1D, vocab).toFloat();
  const optimizer = tf.train.adam(1e-3);
  const zeros = tf.zeros([batch, hidden]) as tf.Tensor2D;
  const run = (sample: boolean) => {
    const { last } = encoder.run(tf.gather(embedding, tokens) as tf.Tensor3D, zeros);
    const mu = toMu.apply(last) as tf.Tensor;
    const logvar = toLogvar.apply(last) as tf.Tensor;
    const z = sample ? reparameterize(mu, logvar, rng.tfSeed()) : mu;
    const { states } = decoder.run(tf.gather(embedding, decoderInput) as tf.Tensor3D, toState.apply(z) as tf.Tensor2D);
    return { mu, logvar, logits: toVocab.apply(states.reshape([steps * batch, hidden])) as tf.Tensor2D };
  };
  const loss = (): tf.Scalar => {
    const { mu, logvar, logits } = run(true);
    const nll = tf.losses.softmaxCrossEntropy(targets, logits, undefined, 0, tf.Reduction.SUM).div(batch);
    return nll.add(gaussianKl(mu, logvar)) as tf.Scalar;
  };
  return trainer(loss, () => run(false).logits, optimizer, [tokens, decoderInput, targets, zeros]);
}

function bowVae(): Workload {
  const vocab = 2000;
  const hidden = 500;
  const latent = 50;
  const batch = 64;
  const rng = Rng.fromSeed(9);
  // Word counts of 64 documents of ~100 tokens each.
  const counts = new Float32Array(batch * vocab);
  for (let d = 0; d < batch; d++) for (let t = 0; t < 100; t++) counts[d * vocab + rng.int(vocab)]! += 1;
  const x = tf.tensor2d(counts, [batch, vocab]);
  const encode = tf.layers.dense({ units: hidden, activation: 'relu' });
  const toMu = tf.layers.dense({ units: latent });
  const toLogvar = tf.layers.dense({ units: latent });
  const decode = tf.layers.dense({ units: vocab });
  const optimizer = tf.train.adam(1e-3);
  const run = (sample: boolean) => {
    const h = encode.apply(x) as tf.Tensor;
    const mu = toMu.apply(h) as tf.Tensor;
    const logvar = toLogvar.apply(h) as tf.Tensor;
    const z = sample ? reparameterize(mu, logvar, rng.tfSeed()) : mu;
    return { mu, logvar, logp: tf.logSoftmax(decode.apply(z) as tf.Tensor2D) };
  };
  const loss = (): tf.Scalar => {
    const { mu, logvar, logp } = run(true);
    const nll = tf.sum(x.mul(logp)).neg().div(batch);
    return nll.add(gaussianKl(mu, logvar)) as tf.Scalar;
  };
  return trainer(loss, () => run(false).logp, optimizer, [x]);
}

function convAe(): Workload {
  const batch = 128;
  const rng = Rng.fromSeed(9);
  const images = tf.tensor4d(
    Float32Array.from({ length: batch * 28 * 28 }, () => (rng.uniform() < 0.2 ? rng.uniform() : 0)),
    [batch, 28, 28, 1],
  );
  const conv = (filters: number) => tf.layers.conv2d({ filters, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' });
  const deconv = (filters: number, activation: 'relu' | 'linear') =>
    tf.layers.conv2dTranspose({ filters, kernelSize: 3, strides: 2, padding: 'same', activation });
  const layers = [
    conv(32),
    conv(64),
    tf.layers.flatten(),
    tf.layers.dense({ units: 32 }),
    tf.layers.dense({ units: 7 * 7 * 64, activation: 'relu' }),
    tf.layers.reshape({ targetShape: [7, 7, 64] }),
    deconv(32, 'relu'),
    deconv(1, 'linear'),
  ];
  const optimizer = tf.train.adam(1e-3);
  const forward = () => layers.reduce<tf.Tensor>((h, layer) => layer.apply(h) as tf.Tensor, images);
  const loss = (): tf.Scalar => tf.losses.sigmoidCrossEntropy(images, forward(), undefined, 0, tf.Reduction.SUM).div(batch) as tf.Scalar;
  return trainer(loss, forward, optimizer, [images]);
}

function trainer(loss: () => tf.Scalar, forward: () => tf.Tensor, optimizer: tf.Optimizer, inputs: tf.Tensor[]): Workload {
  // Layers create their weights on first use; outside minimize, so that the gradient tape sees them as variables.
  tf.tidy(() => {
    loss();
  });
  return {
    step() {
      const cost = optimizer.minimize(loss, true) as tf.Scalar;
      const value = cost.dataSync()[0] as number;
      cost.dispose();
      return value;
    },
    forward: () => tf.tidy(forward),
    dispose() {
      optimizer.dispose();
      tf.dispose(inputs);
      tf.disposeVariables();
    },
  };
}

export const WORKLOADS: Record<WorkloadName, () => Workload> = {
  'lstm-vae': lstmVae,
  'bow-vae': bowVae,
  'conv-ae': convAe,
};
