/**
 * A multimodal VAE over any list of modalities with a product of experts (Wu & Goodman 2018, MVAE): each modality
 * has a Gaussian expert q(z | xₘ); the posterior given any subset is the product of its experts and the prior expert
 * N(0, I), so the model encodes from any modality alone. Training sums the negative ELBOs of the full set and of
 * each modality alone (the paper's subsampling), each reconstructing every modality the batch gives.
 *
 * It is a class of its own, not a registered model kind: a kind has one encoder input and one bottleneck, and the
 * MVAE's posterior is a product over a varying set of encoders. It trains with its own small loop (`trainMultimodal`).
 */
import { LatentkitError, type Rng } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { build, dense, namedWeights } from '../layers.js';
import { gaussianKl } from '../models/image-ladder.js';
import { type Expert, type Gauss, productOfExperts } from './experts.js';
import { type ModalitySpec, type Observed, disposeObserved, inputUnits, meansOf, modalityNll, observe, outputUnits, validateSpec } from './modalities.js';

export interface MultimodalConfig {
  readonly modalities: readonly ModalitySpec[];
  readonly latentDim: number;
}

/**
 * One batch: `values[name]` per modality it gives (image pixels [size · pixels], label class ids [size], attributes
 * 0/1 [size · count]); a modality left out is neither encoded nor reconstructed. `masks[name]` (attributes only):
 * 1 where a value is observed, 0 where it is missing.
 */
export interface MultimodalBatch {
  readonly size: number;
  readonly values: Readonly<Record<string, ArrayLike<number>>>;
  readonly masks?: Readonly<Record<string, ArrayLike<number>>>;
}

export class MultimodalVae {
  readonly config: MultimodalConfig;
  private readonly layers: Record<string, tf.layers.Layer> = {};
  private readonly specs = new Map<string, ModalitySpec>();

  constructor(config: MultimodalConfig, rng: Rng) {
    this.config = config;
    const z = config.latentDim;
    if (!(Number.isInteger(z) && z >= 1)) throw new LatentkitError('INVALID_CONFIG', `latentDim: expected an integer ≥ 1, got ${z}`);
    if (config.modalities.length === 0) throw new LatentkitError('INVALID_CONFIG', 'modalities: expected at least one modality');
    for (const spec of config.modalities) {
      validateSpec(spec);
      if (this.specs.has(spec.name)) throw new LatentkitError('INVALID_CONFIG', `modalities: the name '${spec.name}' is used twice`);
      this.specs.set(spec.name, spec);
    }
    const add = (name: string, units: number, act: 'relu' | 'linear', input: number) => {
      this.layers[name] = build(dense(name, units, act, rng), [input]);
    };
    // Encoders first, then decoders: the order the seeded initialiser draws in.
    for (const m of config.modalities) {
      const h = hiddenOf(m);
      add(`${m.name}.enc`, h, 'relu', inputUnits(m));
      add(`${m.name}.mean`, z, 'linear', h);
      add(`${m.name}.logVar`, z, 'linear', h);
    }
    for (const m of config.modalities) {
      add(`${m.name}.dec`, hiddenOf(m), 'relu', z);
      add(`${m.name}.out`, outputUnits(m), 'linear', hiddenOf(m));
    }
  }

  get trainableVariables(): tf.Variable[] {
    return Object.values(namedWeights(this.layers));
  }

  spec(name: string): ModalitySpec {
    const s = this.specs.get(name);
    if (!s) throw new LatentkitError('INVALID_ARGUMENT', `modality '${name}': expected one of ${[...this.specs.keys()].join(', ')}`);
    return s;
  }

  private apply(name: string, x: tf.Tensor): tf.Tensor2D {
    return (this.layers[name] as tf.layers.Layer).apply(x) as tf.Tensor2D;
  }

  private expert(name: string, o: Observed): Expert {
    const h = this.apply(`${name}.enc`, o.input);
    const logVar = this.apply(`${name}.logVar`, h).clipByValue(-10, 10) as tf.Tensor2D;
    return o.present ? { mean: this.apply(`${name}.mean`, h), logVar, present: o.present } : { mean: this.apply(`${name}.mean`, h), logVar };
  }

  /** The batch's values as tensors, per modality it gives (the caller disposes them with `disposeObserved`). */
  private observeBatch(batch: MultimodalBatch): Map<string, Observed> {
    const out = new Map<string, Observed>();
    for (const [name, values] of Object.entries(batch.values)) out.set(name, observe(this.spec(name), values, batch.size, batch.masks?.[name]));
    for (const name of Object.keys(batch.masks ?? {})) {
      if (!out.has(name)) throw new LatentkitError('INVALID_ARGUMENT', `masks.${name}: the batch gives no values.${name}`);
    }
    if (out.size === 0) throw new LatentkitError('INVALID_ARGUMENT', `values: give at least one of ${[...this.specs.keys()].join(', ')}`);
    return out;
  }

  private posteriorOf(observed: Map<string, Observed>, names: readonly string[], size: number): Gauss {
    return productOfExperts(
      names.map((n) => this.expert(n, observed.get(n) as Observed)),
      size,
      this.config.latentDim,
    );
  }

  /** q(z | the modalities the batch gives): the product of their experts and the prior. */
  encode(batch: MultimodalBatch): Gauss {
    const observed = this.observeBatch(batch);
    try {
      return tf.tidy(() => this.posteriorOf(observed, [...observed.keys()], batch.size) as unknown as tf.TensorContainer) as unknown as Gauss;
    } finally {
      for (const o of observed.values()) disposeObserved(o);
    }
  }

  /** Decoder logits of modality `name` for codes: [n, outputs]. */
  decodeLogits(name: string, z: tf.Tensor2D): tf.Tensor2D {
    this.spec(name);
    return tf.tidy(() => this.apply(`${name}.out`, this.apply(`${name}.dec`, z)));
  }

  /**
   * Modality `target`'s means (pixel or attribute probabilities, class probabilities) from the modalities the batch
   * gives: at the posterior mean, or at a draw from the posterior when `rng` is given.
   */
  predict(batch: MultimodalBatch, target: string, rng?: Rng): tf.Tensor2D {
    const spec = this.spec(target);
    const q = this.encode(batch);
    try {
      return tf.tidy(() => {
        const z = rng ? sample(q, rng) : q.mean;
        return meansOf(spec, this.decodeLogits(target, z));
      });
    } finally {
      tf.dispose([q.mean, q.logVar]);
    }
  }

  /** The summed negative ELBOs of the full set and of each modality alone, batch mean. */
  loss(batch: MultimodalBatch, rng: Rng): tf.Scalar {
    const observed = this.observeBatch(batch);
    try {
      return tf.tidy(() => {
        const names = [...observed.keys()];
        const subsets = names.length > 1 ? [names, ...names.map((n) => [n])] : [names];
        let total = tf.scalar(0);
        for (const subset of subsets) {
          const q = this.posteriorOf(observed, subset, batch.size);
          const z = sample(q, rng);
          let rec: tf.Tensor1D | undefined;
          for (const name of names) {
            const spec = this.spec(name);
            const nll = modalityNll(spec, this.decodeLogits(name, z), observed.get(name) as Observed).mul(spec.weight ?? 1) as tf.Tensor1D;
            rec = rec ? (rec.add(nll) as tf.Tensor1D) : nll;
          }
          const prior = { mean: tf.zeros(q.mean.shape), logVar: tf.zeros(q.mean.shape) } as Gauss;
          total = total.add((rec as tf.Tensor1D).add(gaussianKl(q, prior)).mean());
        }
        return total as tf.Scalar;
      });
    } finally {
      for (const o of observed.values()) disposeObserved(o);
    }
  }

  dispose(): void {
    for (const l of Object.values(this.layers)) l.dispose();
  }
}

function hiddenOf(m: ModalitySpec): number {
  return m.hiddenDim ?? (m.kind === 'image' ? 512 : 64);
}

function sample(q: Gauss, rng: Rng): tf.Tensor2D {
  const eps = tf.randomNormal(q.mean.shape, 0, 1, 'float32', rng.tfSeed());
  return q.mean.add(tf.exp(q.logVar.mul(0.5)).mul(eps)) as tf.Tensor2D;
}

/** Anything trained by summed subset ELBOs: the MVAE and its image + label wrapper. */
export interface SubsetElboModel<B> {
  readonly trainableVariables: tf.Variable[];
  loss(batch: B, rng: Rng): tf.Scalar;
}

/** Adam on the summed subset ELBOs over `batches` for `epochs`; returns the last epoch's mean loss. */
export function trainMultimodal<B>(
  model: SubsetElboModel<B>,
  batches: () => Iterable<B>,
  options: { epochs: number; rng: Rng; learningRate?: number },
): number {
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  let last = Number.NaN;
  try {
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
      if (!Number.isFinite(last)) throw new LatentkitError('NUMERIC_ERROR', `trainMultimodal: the loss is ${last} in epoch ${e}`);
    }
  } finally {
    optimizer.dispose();
  }
  return last;
}
