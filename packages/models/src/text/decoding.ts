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
  if (!Number.isInteger(maxLength) || maxLength <= 0)
    throw new LatentkitError('INVALID_ARGUMENT', `argument "maxLength" must be a positive integer, got ${maxLength}`);
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

export interface BeamOptions extends GenerateOptions {
  /** Hypotheses kept per sentence. Default 5. */
  readonly beamWidth?: number;
}

interface Hypothesis {
  readonly ids: readonly number[];
  readonly logProb: number;
  readonly done: boolean;
}

/** Beam search, one code at a time: the most probable sentence (summed log-probabilities, `<eos>` included) found. */
export function beamDecode(model: TextVae, code: tf.Tensor2D, options: BeamOptions = {}): number[][] {
  const width = options.beamWidth ?? 5;
  const maxLength = options.maxLength ?? 50;
  if (!Number.isInteger(width) || width <= 0) throw new LatentkitError('INVALID_ARGUMENT', `argument "beamWidth" must be a positive integer, got ${width}`);
  const { bos, eos } = model.config.specialTokens;
  return tf.unstack(code).map((row) => {
    const z = row.expandDims(0) as tf.Tensor2D;
    let beams: Hypothesis[] = [{ ids: [], logProb: 0, done: false }];
    let state = model.initialState(z);
    for (let t = 0; t < maxLength && beams.some((b) => !b.done); t++) {
      const live = beams.filter((b) => !b.done);
      const step = tf.tidy(() => {
        const prev = tf.tensor2d(
          live.map((b) => [b.ids.at(-1) ?? bos]),
          [live.length, 1],
          'int32',
        );
        const out = model.decodeSteps(z.tile([live.length, 1]), prev, state);
        const top = tf.topk(tf.logSoftmax(out.logits.squeeze([1])), width);
        return { values: top.values, indices: top.indices, h: out.state.h, c: out.state.c };
      });
      const values = step.values.arraySync() as number[][];
      const indices = step.indices.arraySync() as number[][];
      const candidates: (Hypothesis & { parent: number })[] = beams.filter((b) => b.done).map((b) => ({ ...b, parent: -1 }));
      live.forEach((b, i) => {
        indices[i]?.forEach((id, j) => {
          const done = id === eos;
          candidates.push({ ids: done ? b.ids : [...b.ids, id], logProb: b.logProb + (values[i]?.[j] as number), done, parent: i });
        });
      });
      candidates.sort((a, b) => b.logProb - a.logProb);
      const kept = candidates.slice(0, width);
      const parents = kept.filter((c) => !c.done).map((c) => c.parent);
      const next = parents.length > 0 ? tf.tidy(() => ({ h: tf.gather(step.h, parents), c: tf.gather(step.c, parents) })) : undefined;
      tf.dispose([step.values, step.indices, step.h, step.c, state.h, state.c]);
      // Live hypotheses first, in the order of `parents`, so row r of the state belongs to the r-th live beam.
      beams = [...kept.filter((c) => !c.done), ...kept.filter((c) => c.done)];
      state = next ?? model.initialState(z);
    }
    tf.dispose([z, row, state.h, state.c]);
    const best = beams.reduce((a, b) => (b.logProb > a.logProb ? b : a));
    return [...best.ids];
  });
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
