import path from 'node:path';
import { LatentkitError, Rng, tf, writeFileAtomic } from '@latentkit/core';
import { type LoadedData, VOCABULARY_FORMAT, Vocabulary, loadData } from '@latentkit/data';
import { type Batch, type Model, type TextVae, greedyDecode, imagePixels, interpolate, loadModel, sampleCodes, sampleDecode } from '@latentkit/models';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import { modelDirOf, readRunSpec } from '../run/run-folder.js';
import { isSmilesModel, writeSmilesSamples } from '../run/smiles-samples.js';
import { imageGridPng } from '../visual/image-grid.js';

let log = (line: string) => {
  process.stderr.write(`${line}\n`);
};

/** `heldOut`: examples whose codes a model without a prior or codebook (plain, denoising AE) fits a Gaussian to. */
function imageSamples(model: Model, data: LoadedData, n: number, rng: Rng, out: string): string | undefined {
  if (data.shape.kind !== 'image') return undefined;
  const { height, width, channels } = data.shape;
  const heldOut = data.preview(256).batch as Batch;
  const pixels = tf.tidy(() => {
    const codes = model.encode(heldOut as never, { mode: 'infer' }).code;
    return imagePixels(model, model.decode(sampleCodes(model, n, rng, codes), undefined, { mode: 'infer' })).dataSync() as Float32Array;
  });
  writeFileAtomic(out, imageGridPng(pixels, n, height, width, { columns: Math.min(n, 8), scale: 2, channels }));
  log(`wrote ${n} samples to ${path.resolve(out)}`);
  return path.resolve(out);
}

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const output = outputOf(opts);
  log = output.log;
  await startEngine(common, log);
  const spec = await readRunSpec(opts.run);
  const rng = Rng.fromSeed(`latentkit-sample:${common.seed}`);
  const model = loadModel(modelDirOf(opts.run));
  try {
    const data = await loadData(spec.data);
    if (data.shape.kind === 'image') {
      const file = imageSamples(model, data, opts.count, rng, opts.out ?? path.join(opts.run, 'samples.png'));
      output.result({ file, count: opts.count }, () => '');
      return;
    }
    if (isSmilesModel(model)) {
      await writeSmilesSamples(opts.run, model, data, opts.count, rng, { out: opts.out, temperature: opts.temperature, maxLength: opts.maxLength });
      return;
    }
    if (data.shape.kind !== 'tokens') {
      throw new LatentkitError(
        'UNSUPPORTED',
        `sample: a model of ${data.shape.kind} data has no sentences or images to show; use "latentkit encode" for its codes`,
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
      const vocabulary = Vocabulary.fromJSON({ format: VOCABULARY_FORMAT, version: 1, tokens: [...words] });
      const pair = encodePair(vocabulary, opts.interpolate as string[]);
      const path_ = interpolate(text, pair, { steps: opts.steps, maxLength }).map(show);
      output.result({ interpolation: path_ }, () => path_.join('\n'));
      return;
    }
    const codes = sampleCodes(model, opts.count, rng);
    const sentences =
      opts.temperature === 0 ? greedyDecode(text, codes, { maxLength }) : sampleDecode(text, codes, { rng, temperature: opts.temperature, maxLength });
    codes.dispose();
    output.result({ temperature: opts.temperature, sentences: sentences.map(show) }, () => sentences.map(show).join('\n'));
  } finally {
    model.dispose();
  }
}

/** Two sentences as one padded batch, in the models' TextBatch layout. */
function encodePair(vocabulary: Vocabulary, sentences: readonly string[]) {
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
