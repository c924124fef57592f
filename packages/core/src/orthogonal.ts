/**
 * A fast, seeded orthogonal initializer for tf.layers (the recurrent kernels of LSTM and GRU layers).
 *
 * tfjs's own `orthogonal` runs a QR decomposition out of tensor ops: ~20 s for a 512-unit LSTM's [512, 2048]
 * kernel. Here the same matrix comes from modified Gram–Schmidt in float64 on plain arrays, well under a second.
 * Gram–Schmidt yields the QR factor whose R has a positive diagonal, so Q is Haar-distributed (uniform over
 * orthogonal matrices), the distribution Saxe et al. and Keras intend. (ml-matrix's QR was measured too: ~15 s on
 * the same shape, see bench/.)
 *
 * Registered with tf.serialization under `LatentkitOrthogonal`, so a layer config can name it and a saved model
 * that uses it loads back.
 */
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers.js';
import { check, checkFinite } from './errors.js';
import { Rng } from './rng.js';
import * as tf from './tf-with-layers.js';

export interface OrthogonalConfig {
  /** Seed of the Gaussian matrix that is orthogonalised (an integer or a string). Absent: a fresh random one. */
  readonly seed?: number | string;
  /** Multiplies the orthogonal matrix. Default 1. */
  readonly gain?: number;
}

/**
 * `count` orthonormal vectors of length `length` (count ≤ length), row after row, from Gaussian draws of `rng`.
 * Modified Gram–Schmidt: each vector is normalised, then removed from every later one.
 */
export function orthonormalRows(count: number, length: number, rng: Rng): Float64Array {
  const rows = new Float64Array(count * length);
  for (let i = 0; i < rows.length; i++) rows[i] = rng.normal();
  for (let i = 0; i < count; i++) {
    const vi = rows.subarray(i * length, (i + 1) * length);
    let norm = 0;
    for (let k = 0; k < length; k++) norm += (vi[k] as number) ** 2;
    const inverse = 1 / Math.sqrt(norm);
    for (let k = 0; k < length; k++) vi[k] = (vi[k] as number) * inverse;
    for (let j = i + 1; j < count; j++) {
      const vj = rows.subarray(j * length, (j + 1) * length);
      let dot = 0;
      for (let k = 0; k < length; k++) dot += (vi[k] as number) * (vj[k] as number);
      for (let k = 0; k < length; k++) vj[k] = (vj[k] as number) - dot * (vi[k] as number);
    }
  }
  return rows;
}

/**
 * An orthogonal matrix of `shape` flattened to [prod(shape[:-1]), shape[-1]] as Keras does (so conv kernels work):
 * orthonormal rows when it is wide, orthonormal columns when it is tall.
 */
export function orthogonalValues(shape: readonly number[], config: OrthogonalConfig = {}): Float32Array {
  check(shape.length >= 2 && shape.every((d) => Number.isInteger(d) && d > 0), 'shape', 'at least 2 positive integer dimensions', shape);
  const gain = config.gain ?? 1;
  checkFinite(gain, 'gain');
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const cols = shape[shape.length - 1] as number;
  const rng = Rng.fromSeed(config.seed ?? `${Math.random()}`);
  const vectors = orthonormalRows(Math.min(rows, cols), Math.max(rows, cols), rng);
  const out = new Float32Array(rows * cols);
  if (rows <= cols) {
    for (let i = 0; i < out.length; i++) out[i] = gain * (vectors[i] as number);
  } else {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (vectors[c * rows + r] as number);
  }
  return out;
}

// tfjs-layers exports initializers but not their base class; layers accept an instance only if it extends it.
const InitializerBase = Object.getPrototypeOf(tf.initializers.zeros().constructor) as abstract new () => Initializer;

export class LatentkitOrthogonal extends InitializerBase {
  static readonly className = 'LatentkitOrthogonal';
  private readonly config: OrthogonalConfig;

  constructor(config: OrthogonalConfig = {}) {
    super();
    this.config = { ...config };
  }

  apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    check(dtype === undefined || dtype === 'float32', 'dtype', 'float32', dtype);
    return tf.tensor(orthogonalValues(shape, this.config), shape, 'float32');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.config };
  }

  static fromConfig(_cls: unknown, config: tf.serialization.ConfigDict): LatentkitOrthogonal {
    return new LatentkitOrthogonal(config as OrthogonalConfig);
  }
}

tf.serialization.registerClass(LatentkitOrthogonal);

/** The initializer to pass as `recurrentInitializer` (or any `kernelInitializer`) of a tf.layers layer. */
export function orthogonal(config: OrthogonalConfig = {}): Initializer {
  return new LatentkitOrthogonal(config);
}
