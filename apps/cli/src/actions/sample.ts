import path from 'node:path';
import { LatentkitError, Rng, tf, writeFileAtomic } from '@latentkit/core';
import { type LabelledBatch, type LoadedData, VOCABULARY_FORMAT, Vocabulary, encodeNpy, loadData } from '@latentkit/data';
import {
  type Batch,
  type ConditionConfig,
  type Model,
  type TextVae,
  classIndex,
  conditionValue,
  decoderInput,
  defaultConditionValues,
  isNumericCondition,
  encodeCodes,
  greedyDecode,
  imagePixels,
  interpolate,
  interpolationCodes,
  loadModel,
  sampleCodes,
  sampleDecode,
  traversalCodes,
} from '@latentkit/models';
import { type ActionOptions, type Output, commonOptions, outputOf, startEngine } from '../options.js';
import { inputBatches } from '../run/input-data.js';
import { type RunSpec, modelDirOf, readRunSpec } from '../run/run-folder.js';
import { isSmilesModel, writeSmilesSamples } from '../run/smiles-samples.js';
import { writeTableSamples } from '../run/table-samples.js';
import { imageGridPng } from '../visual/image-grid.js';

/** Set by `run` to the command's Output.log, so the helpers below log the way the flags say. */
let log: (line: string) => void = () => {};
/** Output.warn: a new file's unseen categories, say; heard under --quiet too. */
let warn: (line: string) => void = () => {};

/**
 * What a sample command made, its `--json` result: the files written, and the lines shown (sentences, or a bag of
 * words' top words along a latent path) that the plain output prints on stdout.
 */
interface Sampled {
  readonly kind: 'images' | 'traversal' | 'interpolation' | 'rows' | 'molecules' | 'sentences';
  readonly count: number;
  readonly files: string[];
  readonly lines?: string[];
  readonly metrics?: unknown;
}

type Labelled = Batch & { readonly labels?: ArrayLike<number> };

/** The decoder's input for codes: a conditional model's condition appended (the value asked for, else `defaultConditionValues`). */
function decoderInputs(model: Model, codes: tf.Tensor2D, requested: number | undefined): tf.Tensor2D {
  const labels = requested === undefined ? undefined : new Array<number>(codes.shape[0]).fill(requested);
  const out = decoderInput(model, codes, labels);
  codes.dispose();
  return out;
}

/**
 * `--class c` or `--condition source=value` → the value each draw is conditioned on: a class index, or a numeric
 * condition's raw number; refused for a model trained without a condition.
 */
function requestedValue(model: Model, opts: ActionOptions): number | undefined {
  if (opts.class === undefined && opts.condition === undefined) return undefined;
  const condition: ConditionConfig | undefined = model.config.condition;
  const flag = opts.class !== undefined ? '--class' : '--condition';
  if (!condition)
    throw new LatentkitError('INVALID_ARGUMENT', `${flag}: this ${model.config.kind} model was trained without --condition; it takes no class`, {
      argument: flag,
    });
  if (opts.class !== undefined && opts.condition !== undefined)
    throw new LatentkitError('INVALID_ARGUMENT', 'give --class or --condition, not both', { argument: '--class' });
  if (opts.class !== undefined) return classIndex(condition, String(opts.class));
  const text = String(opts.condition);
  const eq = text.indexOf('=');
  const [source, value] = eq < 0 ? [undefined, text] : [text.slice(0, eq).trim(), text.slice(eq + 1).trim()];
  if (source !== undefined && source !== condition.source) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `--condition: this model is conditioned on "${condition.source}", got "${source}" (write ${condition.source}=<value>)`,
      { argument: '--condition', key: source },
    );
  }
  return conditionValue(condition, value);
}

/** Where the PNG goes, and the .npy of the raw arrays when `--out` names one. */
function outputs(opts: ActionOptions, fallback: string): { png: string; npy?: string } {
  const out: string = opts.out ?? path.join(opts.run, fallback);
  return out.toLowerCase().endsWith('.npy') ? { png: out.replace(/\.npy$/i, '.png'), npy: out } : { png: out };
}

function writeImages(model: Model, data: LoadedData, inputs: tf.Tensor2D, columns: number, what: string, opts: ActionOptions, fallback: string): string[] {
  if (data.shape.kind !== 'image') return [];
  const { height, width, channels } = data.shape;
  const n = inputs.shape[0];
  const pixels = tf.tidy(() => imagePixels(model, model.decode(inputs, undefined, { mode: 'infer' })).dataSync() as Float32Array);
  const { png, npy } = outputs(opts, fallback);
  writeFileAtomic(png, imageGridPng(pixels, n, height, width, { columns, scale: 2, channels }));
  log(`wrote ${what} to ${path.resolve(png)}`);
  if (!npy) return [path.resolve(png)];
  writeFileAtomic(npy, encodeNpy(pixels, [n, height, width, channels]));
  log(`wrote the pixels [${n}, ${height}, ${width}, ${channels}] to ${path.resolve(npy)}`);
  return [path.resolve(png), path.resolve(npy)];
}

/** The first `n` examples of the test split in stored order, with their labels: what `--interpolate i j` and `--traverse` index. */
function heldOutExamples(data: LoadedData, n: number): Labelled {
  for (const { batch, labels } of data.labelled('test', n)) return { ...(batch as Labelled), ...(labels && { labels }) } as Labelled;
  throw new LatentkitError('INVALID_ARGUMENT', `the test split of ${data.spec.name} is empty`);
}

function indexPair(values: readonly string[]): [number, number] | undefined {
  if (values.length !== 2 || !values.every((v) => /^\d+$/.test(v.trim()))) return undefined;
  return [Number(values[0]), Number(values[1])];
}

/** Greedy sentences, or each point's ten likeliest words for a bag-of-words decoder; tables have nothing to show. */
function showDecoded(model: Model, data: LoadedData, inputs: tf.Tensor2D, maxLength: number): string[] {
  if (data.shape.kind === 'tokens') {
    const words = data.shape.vocabulary;
    const ids = greedyDecode(model as unknown as TextVae, inputs, { maxLength });
    // A model with its own spelling (the SMILES VAE joins atoms without spaces) writes it; words are space-separated.
    const detokenize = (model as { detokenize?: (ids: readonly number[]) => string }).detokenize?.bind(model);
    return ids.map((row) => (detokenize ? detokenize(row) : row.map((id) => words[id] ?? '<unk>').join(' ')));
  }
  if (data.shape.kind === 'counts') {
    const words = data.shape.vocabulary;
    const top = tf.tidy(() => tf.topk(model.decode(inputs, undefined, { mode: 'infer' }) as tf.Tensor2D, 10).indices.arraySync() as number[][]);
    return top.map((ids) => ids.map((id) => words[id] ?? '?').join(' '));
  }
  throw new LatentkitError(
    'UNSUPPORTED',
    `sample: a model of ${data.shape.kind} data has no images, sentences or words to show along a latent path; use "latentkit encode"`,
  );
}

/**
 * `--input <file>`: the examples `--interpolate i j` and `--traverse` walk from are the file's (read as the training
 * data was), not the test split's. The walks ask for the first n examples for a few n, each read here up front.
 */
async function withInputExamples(data: LoadedData, opts: ActionOptions, spec: RunSpec, pair: [number, number] | undefined): Promise<LoadedData> {
  if (opts.traverse === undefined && pair === undefined)
    throw new LatentkitError('INVALID_ARGUMENT', '--input: gives the examples of --interpolate i j or --traverse dim; add one of them', {
      argument: '--input',
    });
  const sizes = new Set([256, opts.rows ?? (data.shape.kind === 'image' ? 8 : 1), ...(pair ? [Math.max(...pair) + 1] : [])]);
  const first = new Map<number, LabelledBatch<unknown>>();
  for (const n of sizes) {
    for (const batch of await inputBatches(opts.run, spec, opts.input, n, warn)) {
      first.set(n, batch);
      break;
    }
  }
  const firstOf = (n: number): LabelledBatch<unknown> => {
    const batch = first.get(n);
    if (batch === undefined) throw new LatentkitError('PARSE_ERROR', `${opts.input}: expected at least one example`, { file: opts.input });
    return batch;
  };
  return { ...data, labelled: (split, n) => (split === 'test' ? [firstOf(n)] : data.labelled(split, n)), preview: firstOf };
}

/** `--interpolate i j` or `--traverse dim` on any kind with something to show: a PNG grid for images, lines otherwise. */
function latentWalk(model: Model, data: LoadedData, opts: ActionOptions): Sampled {
  const maxLength: number = opts.maxLength ?? 50;
  if (opts.traverse !== undefined) {
    const dim: number = opts.traverse;
    const rows: number = opts.rows ?? (data.shape.kind === 'image' ? 8 : 1);
    const steps: number = opts.steps ?? 9;
    const heldOut = heldOutExamples(data, 256);
    const codes = encodeCodes(model, heldOut);
    const base = heldOutExamples(data, rows);
    const grid = traversalCodes(model, base, codes, dim, { steps });
    codes.dispose();
    try {
      const count = grid.shape[0];
      if (data.shape.kind === 'image')
        return {
          kind: 'traversal',
          count,
          files: writeImages(model, data, grid, steps, `a traversal of latent dimension ${dim} (${base.size} rows × ${steps})`, opts, `traversal-${dim}.png`),
        };
      return { kind: 'traversal', count, files: [], lines: showDecoded(model, data, grid, maxLength) };
    } finally {
      grid.dispose();
    }
  }
  const [i, j] = indexPair(opts.interpolate) as [number, number];
  const steps: number = opts.steps ?? 5;
  const examples = heldOutExamples(data, Math.max(i, j) + 1);
  const path_ = interpolationCodes(model, examples, i, j, { steps });
  try {
    if (data.shape.kind === 'image')
      return {
        kind: 'interpolation',
        count: steps,
        files: writeImages(model, data, path_, steps, `an interpolation between held-out examples ${i} and ${j}`, opts, `interpolation-${i}-${j}.png`),
      };
    return { kind: 'interpolation', count: steps, files: [], lines: showDecoded(model, data, path_, maxLength) };
  } finally {
    path_.dispose();
  }
}

/** Columns of a sample grid: one per class (or per default value of a numeric condition) when none is asked for, else 8. */
function gridColumns(condition: ConditionConfig | undefined, requested: number | undefined): number {
  if (!condition || requested !== undefined) return 8;
  return isNumericCondition(condition) ? 5 : condition.classes;
}

/** `heldOut`: examples whose codes a model without a prior or codebook (plain, denoising AE) fits a Gaussian to. */
function imageSamples(model: Model, data: LoadedData, n: number, rng: Rng, requested: number | undefined, opts: ActionOptions): Sampled {
  const heldOut = data.preview(256);
  const codes = encodeCodes(model, { ...(heldOut.batch as Batch), ...(heldOut.labels && { labels: heldOut.labels }) } as Batch);
  const inputs = decoderInputs(model, sampleCodes(model, n, rng, codes), requested);
  codes.dispose();
  try {
    return {
      kind: 'images',
      count: n,
      files: writeImages(model, data, inputs, Math.min(n, gridColumns(model.config.condition, requested)), `${n} samples`, opts, 'samples.png'),
    };
  } finally {
    inputs.dispose();
  }
}

export async function run(opts: ActionOptions): Promise<void> {
  const out = outputOf(opts);
  log = out.log;
  warn = out.warn;
  const sampled = await sample(opts, out);
  out.result(sampled, () => (sampled.lines ?? []).join('\n'));
}

async function sample(opts: ActionOptions, out: Output): Promise<Sampled> {
  const common = commonOptions(opts);
  await startEngine(common, log);
  const spec = await readRunSpec(opts.run);
  const rng = Rng.fromSeed(`latentkit-sample:${common.seed}`);
  const model = loadModel(modelDirOf(opts.run));
  try {
    const requested = requestedValue(model, opts);
    if (opts.traverse !== undefined && opts.interpolate)
      throw new LatentkitError('INVALID_ARGUMENT', 'give --interpolate or --traverse, not both', { argument: '--traverse' });
    const byIndex = opts.interpolate ? indexPair(opts.interpolate) : undefined;
    const trained = await loadData(spec.data);
    const data = opts.input ? await withInputExamples(trained, opts, spec, byIndex) : trained;
    if (opts.traverse !== undefined || byIndex) return latentWalk(model, data, opts);
    if (opts.interpolate && data.shape.kind !== 'tokens') {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        `--interpolate takes two indices of held-out examples (e.g. --interpolate 0 5), got ${opts.interpolate.map((s: string) => JSON.stringify(s)).join(' ')}`,
        {
          argument: '--interpolate',
        },
      );
    }
    if (data.shape.kind === 'image') return imageSamples(model, data, opts.count, rng, requested, opts);
    if (data.shape.kind === 'table') {
      const values = model.config.condition && requested !== undefined ? new Array<number>(opts.count).fill(requested) : undefined;
      const files = writeTableSamples(
        opts.run,
        model,
        opts.count,
        rng,
        values ?? (model.config.condition && defaultConditionValues(model.config.condition, opts.count)),
        { out: opts.out, log },
      );
      return { kind: 'rows', count: opts.count, files: files.map((f) => path.resolve(f)) };
    }
    if (isSmilesModel(model)) {
      const condition = model.config.condition;
      const labels = condition && (requested !== undefined ? new Array<number>(opts.count).fill(requested) : defaultConditionValues(condition, opts.count));
      const written = await writeSmilesSamples(opts.run, model, data, opts.count, rng, {
        labels: labels || undefined,
        out: opts.out,
        temperature: opts.temperature,
        maxLength: opts.maxLength,
        log,
        bar: out.bar,
      });
      return { kind: 'molecules', count: opts.count, ...written };
    }
    if (data.shape.kind !== 'tokens') {
      throw new LatentkitError(
        'UNSUPPORTED',
        `sample: a model of ${data.shape.kind} data has no sentences or images to show; use "latentkit encode" for its codes (or --interpolate i j / --traverse dim for bag-of-words)`,
      );
    }
    const text = model as unknown as TextVae;
    const maxLength: number = opts.maxLength ?? 50;
    const words = data.shape.vocabulary;
    const show = (ids: readonly number[]) =>
      ids
        .map((id) => words[id] ?? '<unk>')
        .filter((w) => w !== '<eos>' && w !== '<bos>' && w !== '<pad>')
        .join(' ');
    if (opts.interpolate) {
      if (opts.interpolate.length !== 2)
        throw new LatentkitError('INVALID_ARGUMENT', `--interpolate takes exactly 2 sentences, got ${opts.interpolate.length}`);
      if (model.config.condition)
        throw new LatentkitError(
          'UNSUPPORTED',
          '--interpolate with sentences: a conditional model needs labelled examples; give two held-out indices (--interpolate 0 5)',
        );
      const vocabulary = Vocabulary.fromJSON({ format: VOCABULARY_FORMAT, version: 1, tokens: [...words] });
      const pair = encodePair(vocabulary, opts.interpolate as string[]);
      const lines = interpolate(text, pair, { steps: opts.steps ?? 5, maxLength }).map(show);
      return { kind: 'interpolation', count: lines.length, files: [], lines };
    }
    const codes = decoderInputs(model, sampleCodes(model, opts.count, rng), requested);
    const sentences =
      opts.temperature === 0 ? greedyDecode(text, codes, { maxLength }) : sampleDecode(text, codes, { rng, temperature: opts.temperature, maxLength });
    const files: string[] = [];
    if (opts.out && String(opts.out).toLowerCase().endsWith('.npy')) {
      writeFileAtomic(opts.out, encodeNpy(codes.dataSync() as Float32Array, codes.shape));
      log(`wrote the decoder inputs [${codes.shape.join(', ')}] to ${path.resolve(opts.out)}`);
      files.push(path.resolve(opts.out));
    }
    codes.dispose();
    return { kind: 'sentences', count: sentences.length, files, lines: sentences.map(show) };
  } finally {
    model.dispose();
  }
}

/** Two sentences as one padded batch, in the models' TextBatch layout. */
function encodePair(vocabulary: Vocabulary, sentences: readonly string[]) {
  if (sentences.some((x) => x.trim() === ''))
    throw new LatentkitError('INVALID_ARGUMENT', '--interpolate: expected two non-empty sentences, got an empty one', { argument: '--interpolate' });
  const ids = sentences.map((s) => vocabulary.encode(s.trim().split(/\s+/)));
  const steps = Math.max(...ids.map((s) => s.length)) + 1;
  const inputs = new Int32Array(2 * steps);
  const targets = new Int32Array(2 * steps);
  const mask = new Float32Array(2 * steps);
  ids.forEach((s, r) => {
    inputs[r * steps] = Vocabulary.bosId;
    s.forEach((id, t) => {
      inputs[r * steps + t + 1] = id;
      targets[r * steps + t] = id;
      mask[r * steps + t] = 1;
    });
    targets[r * steps + s.length] = Vocabulary.eosId;
    mask[r * steps + s.length] = 1;
  });
  return { size: 2, steps, inputs, targets, mask };
}
