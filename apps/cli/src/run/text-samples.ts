/**
 * What a text run's report shows in words: held-out sentences next to their greedy reconstructions, prior samples
 * at two temperatures, and a walk between two held-out sentences; for a bag-of-words run, the words each latent
 * direction raises and lowers most. Written as JSON into the run folder by eval, read by the report page.
 */
import { LatentkitError, type Rng, tf, writeFileAtomic } from '@latentkit/core';
import type { LoadedData } from '@latentkit/data';
import { type Model, type TextBatch, type TextVae, greedyDecode, interpolate, sampleCodes, sampleDecode } from '@latentkit/models';
import { runPaths } from './run-folder.js';

export const SAMPLE_TEMPERATURES = [0.5, 1] as const;

export interface TextSamples {
  readonly reconstructions: readonly { readonly original: string; readonly reconstruction: string }[];
  readonly samples: readonly { readonly temperature: number; readonly sentences: readonly string[] }[];
  readonly interpolation: { readonly from: string; readonly to: string; readonly path: readonly string[] } | null;
}

export interface TopWords {
  /** Per latent dimension: the words whose logits rise (and fall) most when the code moves +2σ along it. */
  readonly directions: readonly { readonly dim: number; readonly up: readonly string[]; readonly down: readonly string[] }[];
}

const INFER = { mode: 'infer' } as const;
const HIDDEN = new Set(['<eos>', '<bos>', '<pad>']);

function words(vocabulary: readonly string[]) {
  return (ids: ArrayLike<number>) =>
    Array.from(ids)
      .map((id) => vocabulary[id] ?? '<unk>')
      .filter((w) => !HIDDEN.has(w))
      .join(' ');
}

/** Row `r` of a text batch as a batch of its own. */
function rowOf(batch: TextBatch, r: number): TextBatch {
  const at = (a: Int32Array | Float32Array) => a.subarray(r * batch.steps, (r + 1) * batch.steps);
  return { ...batch, size: 1, inputs: at(batch.inputs) as Int32Array, targets: at(batch.targets) as Int32Array, mask: at(batch.mask) as Float32Array };
}

function pairOf(batch: TextBatch, a: number, b: number): TextBatch {
  const [x, y] = [rowOf(batch, a), rowOf(batch, b)];
  const join = <T extends Int32Array | Float32Array>(u: T, v: T): T => {
    const out = new (u.constructor as new (n: number) => T)(u.length + v.length);
    out.set(u);
    out.set(v, u.length);
    return out;
  };
  return { ...batch, size: 2, inputs: join(x.inputs, y.inputs), targets: join(x.targets, y.targets), mask: join(x.mask, y.mask) };
}

export function isTextVae(model: Model): model is Model & TextVae {
  return (model.config as { kind: string }).kind === 'textVae';
}

export function textSamples(model: TextVae & Model, data: LoadedData, rng: Rng, options: { n?: number; maxLength?: number } = {}): TextSamples {
  if (data.shape.kind !== 'tokens') throw new LatentkitError('UNSUPPORTED', `text samples need sentences, got ${data.shape.kind} data`);
  const show = words(data.shape.vocabulary);
  const n = options.n ?? 6;
  const maxLength = options.maxLength ?? 40;
  const held = data.preview(Math.max(n, 2)).batch as TextBatch;
  const originals = Array.from({ length: held.size }, (_, r) => {
    const row = rowOf(held, r);
    return show(Array.from(row.targets).filter((_, t) => (row.mask[t] ?? 0) > 0));
  });
  const out = model.encode(held as never, INFER);
  try {
    const recon = greedyDecode(model, out.code as tf.Tensor2D, { maxLength });
    const samples = SAMPLE_TEMPERATURES.map((temperature) => {
      const codes = sampleCodes(model, n, rng.fork(`t${temperature}`), out.code as tf.Tensor2D);
      try {
        return { temperature, sentences: sampleDecode(model, codes, { rng: rng.fork(`decode${temperature}`), temperature, maxLength }).map(show) };
      } finally {
        codes.dispose();
      }
    });
    const interpolation =
      held.size >= 2
        ? { from: originals[0] as string, to: originals[1] as string, path: interpolate(model, pairOf(held, 0, 1), { steps: 5, maxLength }).map(show) }
        : null;
    return {
      reconstructions: originals.slice(0, n).map((original, i) => ({ original, reconstruction: show(recon[i] ?? []) })),
      samples,
      interpolation,
    };
  } finally {
    tf.dispose(out as unknown as tf.TensorContainer);
  }
}

/**
 * For each latent dimension d: logits(z̄ + 2σ_d e_d) − logits(z̄) over the vocabulary, with z̄ and σ the mean and
 * spread of held-out codes; the largest and smallest differences are the words the direction is about.
 */
export function topWords(model: Model, data: LoadedData, options: { words?: number; examples?: number } = {}): TopWords {
  if (data.shape.kind !== 'counts') throw new LatentkitError('UNSUPPORTED', `top words need bag-of-words data, got ${data.shape.kind} data`);
  const vocabulary = data.shape.vocabulary;
  const k = options.words ?? 8;
  const held = data.preview(options.examples ?? 256).batch;
  const diffs = tf.tidy(() => {
    const code = model.encode(held as never, INFER).code as tf.Tensor2D;
    const { mean, variance } = tf.moments(code, 0);
    const dim = code.shape[1];
    const center = mean.expandDims(0) as tf.Tensor2D;
    const moved = tf.add(center, tf.mul(tf.eye(dim), tf.sqrt(variance).mul(2).expandDims(0))) as tf.Tensor2D;
    return tf.sub(model.decode(moved, undefined, INFER) as tf.Tensor2D, model.decode(center, undefined, INFER) as tf.Tensor2D).arraySync() as number[][];
  });
  return {
    directions: diffs.map((row, dim) => {
      const order = row.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
      return {
        dim,
        up: order.slice(0, k).map(([, i]) => vocabulary[i] ?? `#${i}`),
        down: order
          .slice(-k)
          .reverse()
          .map(([, i]) => vocabulary[i] ?? `#${i}`),
      };
    }),
  };
}

/** Writes text-samples.json (text-vae runs) or top-words.json (bag-of-words runs); returns the file, if any. */
export function writeTextPictures(dir: string, model: Model, data: LoadedData, rng: Rng): string | undefined {
  const paths = runPaths(dir);
  if (data.shape.kind === 'tokens' && isTextVae(model)) {
    writeFileAtomic(paths.textSamples, `${JSON.stringify(textSamples(model, data, rng), null, 2)}\n`);
    return paths.textSamples;
  }
  if (data.shape.kind === 'counts') {
    writeFileAtomic(paths.topWords, `${JSON.stringify(topWords(model, data), null, 2)}\n`);
    return paths.topWords;
  }
  return undefined;
}
