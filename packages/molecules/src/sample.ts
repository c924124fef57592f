/** SMILES from codes: prior samples decoded by the SMILES VAE, in bounded batches so 10,000 fit in memory. */
import { LatentkitError, type Rng, tf } from '@latentkit/core';
import { decoderInput, greedyDecode, sampleCodes, sampleDecode } from '@latentkit/models';
import type { SmilesVae } from './smiles-vae.js';

export interface DecodeOptions {
  /** Divide the logits by this before sampling; 0 decodes greedily. Default 1. */
  readonly temperature?: number;
  /** Default: the model's `maxLength`. */
  readonly maxLength?: number;
  /** Codes decoded at a time. Default 500. */
  readonly batchSize?: number;
  /** Called after each batch with the codes decoded so far and their total: a progress bar's tick. */
  readonly onBatch?: (done: number, total: number) => void;
}

/** Decodes codes [n, codeDim] to SMILES strings (sampled tokens, or greedy at temperature 0). */
export function decodeSmiles(model: SmilesVae, codes: tf.Tensor2D, rng: Rng, options: DecodeOptions = {}): string[] {
  const temperature = options.temperature ?? 1;
  if (!(temperature >= 0)) throw new LatentkitError('INVALID_ARGUMENT', `argument "temperature" must be a number ≥ 0, got ${temperature}`);
  const maxLength = options.maxLength ?? model.smiles.maxLength;
  const batchSize = options.batchSize ?? 500;
  const n = codes.shape[0];
  const out: string[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const part = codes.slice([start, 0], [Math.min(batchSize, n - start), -1]);
    const ids = temperature === 0 ? greedyDecode(model, part, { maxLength }) : sampleDecode(model, part, { rng, temperature, maxLength });
    part.dispose();
    for (const row of ids) out.push(model.detokenize(row));
    options.onBatch?.(out.length, n);
  }
  return out;
}

export interface SampleSmilesOptions extends DecodeOptions {
  /**
   * A conditional model's condition for each sample (a class index, or a numeric condition's raw value), `n` of
   * them; default the classes (or a numeric condition's spread of values) in turn. Refused by an unconditioned model.
   */
  readonly labels?: ArrayLike<number>;
}

/** `n` SMILES decoded from the bottleneck's prior (or codebook); a conditional model's condition appended to each code. */
export function sampleSmiles(model: SmilesVae, n: number, rng: Rng, options: SampleSmilesOptions = {}): string[] {
  if (!Number.isInteger(n) || n <= 0) throw new LatentkitError('INVALID_ARGUMENT', `argument "n" must be a positive integer, got ${n}`);
  if (options.labels !== undefined && options.labels.length !== n)
    throw new LatentkitError('INVALID_ARGUMENT', `argument "labels" must hold one condition per sample (${n}), got ${options.labels.length}`);
  if (options.labels !== undefined && !model.config.condition)
    throw new LatentkitError('UNSUPPORTED', 'this smilesVae model was trained without a condition; it takes no class');
  const prior = sampleCodes(model, n, rng);
  let codes: tf.Tensor2D;
  try {
    codes = decoderInput(model, prior, options.labels);
  } finally {
    prior.dispose();
  }
  try {
    return decodeSmiles(model, codes, rng, options);
  } finally {
    codes.dispose();
  }
}

/** Codes of SMILES strings (the posterior mean / deterministic code), encoded in batches; tokens outside the vocabulary become <unk>. */
export function encodeSmiles(model: SmilesVae, smiles: readonly string[], encode: (s: string) => Int32Array, batchSize = 256): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  const { bos, eos } = model.smiles.specialTokens;
  for (let start = 0; start < smiles.length; start += batchSize) {
    const ids = smiles.slice(start, start + batchSize).map(encode);
    const size = ids.length;
    const steps = Math.max(...ids.map((s) => s.length)) + 1;
    const inputs = new Int32Array(size * steps);
    const targets = new Int32Array(size * steps);
    const mask = new Float32Array(size * steps);
    ids.forEach((s, r) => {
      inputs[r * steps] = bos;
      inputs.set(s, r * steps + 1);
      targets.set(s, r * steps);
      targets[r * steps + s.length] = eos;
      mask.fill(1, r * steps, r * steps + s.length + 1);
    });
    const out = model.encode({ size, steps, inputs, targets, mask } as never);
    parts.push(out.code);
    tf.dispose([out.latent, out.regularizer, ...Object.values(out.terms)].filter((t) => t !== out.code));
  }
  if (parts.length === 0) return tf.zeros([0, model.bottleneck.codeDim]) as tf.Tensor2D;
  const all = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return all;
}
