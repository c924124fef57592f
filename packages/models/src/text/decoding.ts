/**
 * Generating sentences from codes with a trained `TextVae`: greedy, or sampled with a temperature; reconstructing
 * sentences through the latent space, and interpolating between two of them.
 */
import { LatentkitError, type Rng, tf } from '@latentkit/core';
import type { TextVae } from '../models/text-vae.js';
import type { TextBatch } from '../types.js';

export interface GenerateOptions {
  /** Stop after this many tokens when no `<eos>` came. Default 50. */
  readonly maxLength?: number;
}

export interface SampleOptions extends GenerateOptions {
  readonly rng: Rng;
  /** Divides the logits: below 1 sharper, above 1 flatter. Default 1. */
  readonly temperature?: number;
}

type Choose = (logits: tf.Tensor2D) => tf.Tensor1D;

/** Runs the decoder one token at a time from `<bos>`; returns each row's token ids up to (without) `<eos>`. */
function generate(model: TextVae, code: tf.Tensor2D, choose: Choose, maxLength = 50): number[][] {
  if (!Number.isInteger(maxLength) || maxLength <= 0) throw new LatentkitError('INVALID_ARGUMENT', `argument "maxLength" must be a positive integer, got ${maxLength}`);
  const { bos, eos } = model.config.specialTokens;
  const batch = code.shape[0];
  const out: number[][] = Array.from({ length: batch }, () => []);
  const done = new Array<boolean>(batch).fill(false);
  let state = model.initialState(code);
  let prev = tf.fill([batch, 1], bos, 'int32') as tf.Tensor2D;
  for (let t = 0; t < maxLength && done.includes(false); t++) {
    const next = tf.tidy(() => {
      const step = model.decodeSteps(code, prev, state);
      const ids = choose(step.logits.squeeze([1]) as tf.Tensor2D).toInt();
      return { ids, h: step.state.h, c: step.state.c };
    });
    tf.dispose([prev, state.h, state.c]);
    state = { h: next.h, c: next.c };
    const ids = next.ids.dataSync();
    ids.forEach((id, row) => {
      if (done[row]) return;
      if (id === eos) done[row] = true;
      else out[row]?.push(id);
    });
    prev = next.ids.reshape([batch, 1]) as tf.Tensor2D;
    next.ids.dispose();
  }
  tf.dispose([prev, state.h, state.c]);
  return out;
}

/** The most likely token at each step. */
export function greedyDecode(model: TextVae, code: tf.Tensor2D, options: GenerateOptions = {}): number[][] {
  return generate(model, code, (logits) => logits.argMax(1) as tf.Tensor1D, options.maxLength);
}

/** A token drawn from softmax(logits / temperature) at each step, seeded from `options.rng`. */
export function sampleDecode(model: TextVae, code: tf.Tensor2D, options: SampleOptions): number[][] {
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0)) throw new LatentkitError('INVALID_ARGUMENT', `argument "temperature" must be a positive number, got ${temperature}`);
  const choose: Choose = (logits) => tf.multinomial(logits.div(temperature) as tf.Tensor2D, 1, options.rng.tfSeed()).reshape([-1]) as tf.Tensor1D;
  return generate(model, code, choose, options.maxLength);
}

/** Encodes the batch's sentences (deterministically) and decodes their codes greedily. */
export function reconstruct(model: TextVae, batch: TextBatch, options: GenerateOptions = {}): number[][] {
  const { code, latent, terms, regularizer } = model.encode(batch);
  try {
    return greedyDecode(model, code, options);
  } finally {
    tf.dispose([code, latent, regularizer, ...Object.values(terms)]);
  }
}

export interface InterpolateOptions extends GenerateOptions {
  /** Points on the path, both ends included. Default 5. */
  readonly steps?: number;
  /** `linear` between the codes, or `slerp` along the great circle (for codes on a sphere: vMF, Power Spherical). Default linear. */
  readonly path?: 'linear' | 'slerp';
}

/** Codes [steps, dim] on the path from code `a` to code `b` (each [dim]). */
export function interpolateCodes(a: tf.Tensor1D, b: tf.Tensor1D, steps: number, path: 'linear' | 'slerp' = 'linear'): tf.Tensor2D {
  if (!Number.isInteger(steps) || steps < 2) throw new LatentkitError('INVALID_ARGUMENT', `argument "steps" must be an integer of at least 2, got ${steps}`);
  return tf.tidy(() => {
    const t = tf.linspace(0, 1, steps).expandDims(1);
    if (path === 'linear') return a.expandDims(0).mul(tf.sub(1, t)).add(b.expandDims(0).mul(t)) as tf.Tensor2D;
    const cos = a.dot(b).div(a.norm().mul(b.norm())).clipByValue(-1, 1);
    const omega = tf.acos(cos);
    const sin = tf.sin(omega);
    // Nearly parallel codes: the great circle is numerically a line.
    if ((sin.dataSync()[0] as number) < 1e-6) return a.expandDims(0).mul(tf.sub(1, t)).add(b.expandDims(0).mul(t)) as tf.Tensor2D;
    const wa = tf.sin(tf.sub(1, t).mul(omega)).div(sin);
    const wb = tf.sin(t.mul(omega)).div(sin);
    return a.expandDims(0).mul(wa).add(b.expandDims(0).mul(wb)) as tf.Tensor2D;
  });
}

/**
 * Sentences along the latent path between the two sentences of `pair` (a batch of size 2): encodes both, walks
 * `steps` points from the first code to the second and decodes each greedily.
 */
export function interpolate(model: TextVae, pair: TextBatch, options: InterpolateOptions = {}): number[][] {
  if (pair.size !== 2) throw new LatentkitError('INVALID_ARGUMENT', `argument "pair" must be a batch of exactly 2 sentences, got ${pair.size}`);
  const out = model.encode(pair);
  const codes = tf.tidy(() => {
    const [a, b] = tf.unstack(out.code) as [tf.Tensor1D, tf.Tensor1D];
    return interpolateCodes(a, b, options.steps ?? 5, options.path);
  });
  try {
    return greedyDecode(model, codes, options);
  } finally {
    tf.dispose([codes, out.code, out.latent, out.regularizer, ...Object.values(out.terms)]);
  }
}
