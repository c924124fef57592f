/**
 * The image + label MVAE (Wu & Goodman 2018) as a two-modality `MultimodalVae`: image 'x' (Bernoulli pixels) and
 * label 'y' (categorical, up-weighted). Training sums the ELBOs of {x, y}, {x}, {y}. Generation: the image from a
 * label (z from q(z|y)), the label from an image (argmax p(y|z) at the mean of q(z|x)).
 */
import type { Rng } from '@latentkit/core';
import { LatentkitError } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import type { Gauss } from './experts.js';
import { type MultimodalBatch, MultimodalVae, trainMultimodal } from './mvae.js';

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

export interface PoeBatch {
  readonly size: number;
  readonly pixels: Float32Array;
  readonly labels: ArrayLike<number>;
}

export class ProductOfExpertsVae {
  readonly config: Required<PoeConfig>;
  readonly mvae: MultimodalVae;

  constructor(config: PoeConfig, rng: Rng) {
    this.config = { hiddenDim: 512, labelWeight: 50, ...config };
    const { imageSize, classes, latentDim, hiddenDim, labelWeight } = this.config;
    this.mvae = new MultimodalVae(
      {
        latentDim,
        modalities: [
          { kind: 'image', name: 'x', size: imageSize, hiddenDim },
          { kind: 'label', name: 'y', classes, weight: labelWeight },
        ],
      },
      rng,
    );
  }

  get trainableVariables(): tf.Variable[] {
    return this.mvae.trainableVariables;
  }

  /** The product of the given modalities' experts and the prior expert N(0, I). */
  posterior(inputs: { readonly pixels?: tf.Tensor2D; readonly labels?: ArrayLike<number> }, size: number): Gauss {
    if (!inputs.pixels && !inputs.labels) throw new LatentkitError('INVALID_ARGUMENT', 'posterior: give pixels, labels or both');
    const values: Record<string, ArrayLike<number>> = {};
    if (inputs.pixels) values.x = inputs.pixels.dataSync();
    if (inputs.labels) values.y = inputs.labels;
    return this.mvae.encode({ size, values });
  }

  /** Pixel logits [n, imageSize] for codes. */
  decodeImage(z: tf.Tensor2D): tf.Tensor2D {
    return this.mvae.decodeLogits('x', z);
  }

  /** Label logits [n, classes] for codes. */
  decodeLabel(z: tf.Tensor2D): tf.Tensor2D {
    return this.mvae.decodeLogits('y', z);
  }

  /** The summed negative ELBOs of the subsets {x, y}, {x}, {y}, batch mean. */
  loss(batch: PoeBatch, rng: Rng): tf.Scalar {
    return this.mvae.loss(toMultimodal(batch), rng);
  }

  /** The class predicted from images alone: argmax p(y | mean of q(z|x)). */
  labelFromImage(pixels: Float32Array, size: number): number[] {
    const probs = this.mvae.predict({ size, values: { x: pixels } }, 'y');
    try {
      return tf.tidy(() => Array.from(probs.argMax(1).dataSync()));
    } finally {
      probs.dispose();
    }
  }

  /** Pixel means of images drawn from q(z | y) for each label. */
  imageFromLabel(labels: ArrayLike<number>, rng: Rng): tf.Tensor2D {
    return this.mvae.predict({ size: labels.length, values: { y: labels } }, 'x', rng);
  }

  dispose(): void {
    this.mvae.dispose();
  }
}

function toMultimodal(batch: PoeBatch): MultimodalBatch {
  return { size: batch.size, values: { x: batch.pixels, y: batch.labels } };
}

/** Adam on the summed subset ELBOs over `batches` for `epochs`; returns the last epoch's mean loss. */
export function trainPoe(model: ProductOfExpertsVae, batches: () => Iterable<PoeBatch>, options: { epochs: number; rng: Rng; learningRate?: number }): number {
  return trainMultimodal(model, batches, options);
}
