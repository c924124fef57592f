/**
 * A multimodal VAE over an image and its class label with a product of experts (Wu & Goodman 2018, MVAE): each
 * modality has a Gaussian expert q(z|x), q(z|y); the posterior given any subset of modalities is the product of its
 * experts and the prior expert N(0, I) (a precision-weighted merge), so the model encodes from either modality
 * alone. Training sums the ELBOs of the three subsets {x, y}, {x}, {y} (the paper's subsampling for two
 * modalities), each reconstructing both modalities. Generation: the image from a label (z from q(z|y)), the label
 * from an image (argmax p(y|z) at the mean of q(z|x)).
 *
 * It is a class of its own, not a registered model kind: a kind has one encoder input and one bottleneck, and the
 * MVAE's posterior is a product over a varying set of encoders. It trains with its own small loop (`trainPoe`).
 */
import { LatentkitError, type Rng } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { build, dense, namedWeights } from '../layers.js';
import { bernoulliNll } from '../likelihoods.js';
import { gaussianKl, precisionWeightedMerge } from '../models/image-ladder.js';

export interface PoeConfig {
  /** Pixels per image (values in [0, 1], Bernoulli). */
  readonly imageSize: number;
  readonly classes: number;
  readonly latentDim: number;
  /** Hidden width of the image encoder and decoder. Default 512. */
  readonly hiddenDim?: number;
  /** Weight of the label's log-likelihood (the paper up-weights the small modality). Default 50. */
  readonly labelWeight?: number;
}

interface Gauss {
  readonly mean: tf.Tensor2D;
  readonly logVar: tf.Tensor2D;
}

export interface PoeBatch {
  readonly size: number;
  readonly pixels: Float32Array;
  readonly labels: ArrayLike<number>;
}

export class ProductOfExpertsVae {
  readonly config: Required<PoeConfig>;
  private readonly layers: Record<string, tf.layers.Layer> = {};

  constructor(config: PoeConfig, rng: Rng) {
    this.config = { hiddenDim: 512, labelWeight: 50, ...config };
    const { imageSize: d, classes: k, latentDim: z, hiddenDim: h } = this.config;
    if (!(k >= 2)) throw new LatentkitError('INVALID_CONFIG', `classes: expected at least 2, got ${k}`);
    const add = (name: string, units: number, act: 'relu' | 'linear', input: number) => {
      this.layers[name] = build(dense(name, units, act, rng), [input]);
    };
    add('x.enc', h, 'relu', d);
    add('x.mean', z, 'linear', h);
    add('x.logVar', z, 'linear', h);
    add('y.enc', 64, 'relu', k);
    add('y.mean', z, 'linear', 64);
    add('y.logVar', z, 'linear', 64);
    add('x.dec', h, 'relu', z);
    add('x.out', d, 'linear', h);
    add('y.dec', 64, 'relu', z);
    add('y.out', k, 'linear', 64);
  }

  get trainableVariables(): tf.Variable[] {
    return Object.values(namedWeights(this.layers));
  }

  private apply(name: string, x: tf.Tensor): tf.Tensor2D {
    return (this.layers[name] as tf.layers.Layer).apply(x) as tf.Tensor2D;
  }

  private expert(which: 'x' | 'y', input: tf.Tensor2D): Gauss {
    const h = this.apply(`${which}.enc`, input);
    return { mean: this.apply(`${which}.mean`, h), logVar: this.apply(`${which}.logVar`, h).clipByValue(-10, 10) as tf.Tensor2D };
  }

  /** The product of the given modalities' experts and the prior expert N(0, I). */
  posterior(inputs: { readonly pixels?: tf.Tensor2D; readonly labels?: ArrayLike<number> }, size: number): Gauss {
    return tf.tidy(() => {
      let g: Gauss = { mean: tf.zeros([size, this.config.latentDim]), logVar: tf.zeros([size, this.config.latentDim]) };
      if (inputs.pixels) g = precisionWeightedMerge(g, this.expert('x', inputs.pixels));
      if (inputs.labels) g = precisionWeightedMerge(g, this.expert('y', this.oneHot(inputs.labels)));
      if (!inputs.pixels && !inputs.labels) throw new LatentkitError('INVALID_ARGUMENT', 'posterior: give pixels, labels or both');
      return g as unknown as tf.TensorContainer;
    }) as unknown as Gauss;
  }

  private oneHot(labels: ArrayLike<number>): tf.Tensor2D {
    return tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), this.config.classes).toFloat() as tf.Tensor2D;
  }

  /** Pixel logits [n, imageSize] for codes. */
  decodeImage(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.apply('x.out', this.apply('x.dec', z)));
  }

  /** Label logits [n, classes] for codes. */
  decodeLabel(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.apply('y.out', this.apply('y.dec', z)));
  }

  /** The summed negative ELBOs of the subsets {x, y}, {x}, {y}, batch mean. */
  loss(batch: PoeBatch, rng: Rng): tf.Scalar {
    return tf.tidy(() => {
      const x = tf.tensor2d(batch.pixels, [batch.size, this.config.imageSize]);
      const y = this.oneHot(batch.labels);
      const subsets = [{ pixels: x, labels: batch.labels }, { pixels: x }, { labels: batch.labels }];
      let total = tf.scalar(0);
      for (const subset of subsets) {
        const q = this.posterior(subset, batch.size);
        const eps = tf.randomNormal(q.mean.shape, 0, 1, 'float32', rng.tfSeed());
        const z = q.mean.add(tf.exp(q.logVar.mul(0.5)).mul(eps)) as tf.Tensor2D;
        const imageNll = bernoulliNll(this.decodeImage(z), x);
        const labelNll = tf.losses.softmaxCrossEntropy(y, this.decodeLabel(z), undefined, undefined, tf.Reduction.NONE) as tf.Tensor1D;
        const prior = { mean: tf.zeros(q.mean.shape), logVar: tf.zeros(q.mean.shape) } as Gauss;
        total = total.add(imageNll.add(labelNll.mul(this.config.labelWeight)).add(gaussianKl(q, prior)).mean());
      }
      return total as tf.Scalar;
    });
  }

  /** The class predicted from images alone: argmax p(y | mean of q(z|x)). */
  labelFromImage(pixels: Float32Array, size: number): number[] {
    return tf.tidy(() => {
      const q = this.posterior({ pixels: tf.tensor2d(pixels, [size, this.config.imageSize]) }, size);
      return Array.from(this.decodeLabel(q.mean).argMax(1).dataSync());
    });
  }

  /** Pixel means of images drawn from q(z | y) for each label. */
  imageFromLabel(labels: ArrayLike<number>, rng: Rng): tf.Tensor2D {
    return tf.tidy(() => {
      const q = this.posterior({ labels }, labels.length);
      const z = q.mean.add(tf.exp(q.logVar.mul(0.5)).mul(tf.randomNormal(q.mean.shape, 0, 1, 'float32', rng.tfSeed()))) as tf.Tensor2D;
      return tf.sigmoid(this.decodeImage(z)) as tf.Tensor2D;
    });
  }

  dispose(): void {
    for (const l of Object.values(this.layers)) l.dispose();
  }
}

/** Adam on the summed subset ELBOs over `batches` for `epochs`; returns the last epoch's mean loss. */
export function trainPoe(model: ProductOfExpertsVae, batches: () => Iterable<PoeBatch>, options: { epochs: number; rng: Rng; learningRate?: number }): number {
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  let last = Number.NaN;
  for (let e = 0; e < options.epochs; e++) {
    let sum = 0;
    let n = 0;
    for (const batch of batches()) {
      const cost = optimizer.minimize(() => model.loss(batch, options.rng), true, model.trainableVariables) as tf.Scalar;
      sum += cost.dataSync()[0] as number;
      n++;
      cost.dispose();
    }
    last = sum / n;
    if (!Number.isFinite(last)) throw new LatentkitError('NUMERIC_ERROR', `trainPoe: the loss is ${last} in epoch ${e}`);
  }
  optimizer.dispose();
  return last;
}
