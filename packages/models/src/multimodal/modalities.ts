/**
 * The modality kinds a `MultimodalVae` combines, each with one job: turn a batch's raw values into the expert's input,
 * the reconstruction target and (for attributes) the observation mask, and score decoder logits against them.
 *   image: pixels in [0, 1], Bernoulli;  label: class ids, categorical;
 *   attributes: a vector of binary attributes, Bernoulli per attribute, missing values masked out of the likelihood
 *   and out of the expert (its input is [value · mask, mask], so a missing value is not read as 0).
 */
import { LatentkitError } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { bernoulliNll } from '../likelihoods.js';

interface ModalityBase {
  /** The key of this modality's values in a batch. */
  readonly name: string;
  /** Hidden width of its encoder and decoder. Default: 512 for images, 64 otherwise. */
  readonly hiddenDim?: number;
  /** Weight of its log-likelihood (the paper up-weights the small modalities). Default 1. */
  readonly weight?: number;
}
export interface ImageModality extends ModalityBase {
  readonly kind: 'image';
  /** Pixels per image. */
  readonly size: number;
}
export interface LabelModality extends ModalityBase {
  readonly kind: 'label';
  readonly classes: number;
}
export interface AttributesModality extends ModalityBase {
  readonly kind: 'attributes';
  /** Binary attributes per example. */
  readonly count: number;
}
export type ModalitySpec = ImageModality | LabelModality | AttributesModality;

/** A modality's values for one batch, as tensors. */
export interface Observed {
  readonly input: tf.Tensor2D;
  readonly target: tf.Tensor2D;
  /** Attributes: [n, count] 1 where observed. */
  readonly mask?: tf.Tensor2D;
  /** Attributes: [n, 1] 1 where any value of the row is observed. */
  readonly present?: tf.Tensor2D;
}

export function inputUnits(spec: ModalitySpec): number {
  return spec.kind === 'image' ? spec.size : spec.kind === 'label' ? spec.classes : 2 * spec.count;
}

export function outputUnits(spec: ModalitySpec): number {
  return spec.kind === 'image' ? spec.size : spec.kind === 'label' ? spec.classes : spec.count;
}

export function validateSpec(spec: ModalitySpec): void {
  const units = spec.kind === 'image' ? spec.size : spec.kind === 'label' ? spec.classes : spec.count;
  const least = spec.kind === 'label' ? 2 : 1;
  const key = spec.kind === 'image' ? 'size' : spec.kind === 'label' ? 'classes' : 'count';
  if (!(Number.isInteger(units) && units >= least)) {
    throw new LatentkitError('INVALID_CONFIG', `modality '${spec.name}' ${key}: expected an integer ≥ ${least}, got ${units}`);
  }
}

/** The tensors of one modality's values for `size` rows; `mask` only for attributes (default: all observed). */
export function observe(spec: ModalitySpec, values: ArrayLike<number>, size: number, mask?: ArrayLike<number>): Observed {
  const units = outputUnits(spec);
  const expected = spec.kind === 'label' ? size : size * units;
  if (values.length !== expected) {
    throw new LatentkitError('INVALID_ARGUMENT', `values.${spec.name}: expected ${expected} numbers for ${size} rows, got ${values.length}`);
  }
  if (spec.kind === 'image') {
    const x = tf.tensor2d(Float32Array.from(values), [size, units]);
    return { input: x, target: x };
  }
  if (spec.kind === 'label') {
    for (let i = 0; i < size; i++) {
      const c = values[i] as number;
      if (!(Number.isInteger(c) && c >= 0 && c < units)) {
        throw new LatentkitError('INVALID_ARGUMENT', `values.${spec.name}[${i}]: expected a class id in 0..${units - 1}, got ${c}`);
      }
    }
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(values), 'int32'), units).toFloat() as tf.Tensor2D);
    return { input: y, target: y };
  }
  return observeAttributes(spec, values, size, mask);
}

function observeAttributes(spec: AttributesModality, values: ArrayLike<number>, size: number, mask?: ArrayLike<number>): Observed {
  const n = size * spec.count;
  if (mask && mask.length !== n) {
    throw new LatentkitError('INVALID_ARGUMENT', `masks.${spec.name}: expected ${n} numbers (1 observed, 0 missing), got ${mask.length}`);
  }
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const seen = mask ? (mask[i] as number) : 1;
    if (seen !== 0 && seen !== 1) throw new LatentkitError('INVALID_ARGUMENT', `masks.${spec.name}[${i}]: expected 0 or 1, got ${seen}`);
    if (seen === 0) continue;
    const a = values[i] as number;
    if (a !== 0 && a !== 1) {
      throw new LatentkitError('INVALID_ARGUMENT', `values.${spec.name}[${i}]: expected a binary attribute 0 or 1 (or mask it out), got ${a}`);
    }
    m[i] = 1;
    v[i] = a;
  }
  return tf.tidy(() => {
    const mask2 = tf.tensor2d(m, [size, spec.count]);
    const target = tf.tensor2d(v, [size, spec.count]);
    return {
      input: tf.concat([target, mask2], 1) as tf.Tensor2D,
      target,
      mask: mask2,
      present: mask2.max(1, true).greater(0).toFloat() as tf.Tensor2D,
    } as unknown as tf.TensorContainer;
  }) as unknown as Observed;
}

/** −log p(observed values | logits) per row: [n]; masked attribute values contribute nothing. */
export function modalityNll(spec: ModalitySpec, logits: tf.Tensor2D, observed: Observed): tf.Tensor1D {
  return tf.tidy(() => {
    if (spec.kind === 'image') return bernoulliNll(logits, observed.target);
    if (spec.kind === 'label') {
      return tf.losses.softmaxCrossEntropy(observed.target, logits, undefined, undefined, tf.Reduction.NONE) as tf.Tensor1D;
    }
    const perValue = tf
      .relu(logits)
      .sub(logits.mul(observed.target))
      .add(tf.log1p(tf.exp(logits.abs().neg())));
    return perValue.mul(observed.mask as tf.Tensor2D).sum(1) as tf.Tensor1D;
  });
}

/** Decoder logits to the modality's means: pixel / attribute probabilities (sigmoid), class probabilities (softmax). */
export function meansOf(spec: ModalitySpec, logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => (spec.kind === 'label' ? tf.softmax(logits) : tf.sigmoid(logits)) as tf.Tensor2D);
}

export function disposeObserved(o: Observed): void {
  tf.dispose([o.input, o.target, o.mask, o.present].filter((t): t is tf.Tensor2D => t !== undefined));
}
