/**
 * The pictures of a run: training curves from its log, reconstructions and samples of image models, and the latent
 * codes in 2-D coloured by label.
 */
import fs from 'node:fs';
import { type Rng, tf, writeFileAtomic } from '@latentkit/core';
import { type ImageBatch, type Model, decoderInput, imagePixels, readRunLog, sampleCodes } from '@latentkit/models';
import { runPaths } from '../run/run-folder.js';
import { type CurvePoint, latentScatterSvg, trainingCurvesSvg } from './charts.js';
import { imageGridPng } from './image-grid.js';
import { projectTo2d } from './projection.js';

/** Train loss (averaged over ~50 points so the line is readable) and every validation loss, from log.jsonl. */
export async function writeTrainingCurves(dir: string): Promise<string | undefined> {
  const paths = runPaths(dir);
  if (!fs.existsSync(paths.log)) return undefined;
  // A kill mid-append leaves a partial last line, and a resume repeats steps: the reader drops both, and says so.
  const { records: read, warnings } = readRunLog(paths.log);
  for (const w of warnings) process.stderr.write(`latentkit: ${w}\n`);
  const records = read as unknown as { type: string; step: number; loss?: number }[];
  const steps = records.filter((r) => r.type === 'step' && typeof r.loss === 'number');
  const window = Math.max(1, Math.ceil(steps.length / 50));
  const points: CurvePoint[] = [];
  for (let i = 0; i < steps.length; i += window) {
    const chunk = steps.slice(i, i + window);
    points.push({ step: chunk.at(-1)!.step, value: chunk.reduce((s, r) => s + (r.loss as number), 0) / chunk.length, series: 'train loss' });
  }
  for (const r of records) if (r.type === 'valid' && typeof r.loss === 'number') points.push({ step: r.step, value: r.loss, series: 'valid loss' });
  if (points.length === 0) return undefined;
  writeFileAtomic(paths.curves, await trainingCurvesSvg(points, 'Training curves'));
  return paths.curves;
}

const INFER = { mode: 'infer' } as const;

function toPixels(model: Model, output: tf.Tensor): Float32Array {
  return tf.tidy(() => imagePixels(model, output).dataSync() as Float32Array);
}

/** Originals and reconstructions in alternating rows of 8, and 64 samples. */
export function writeImagePictures(
  dir: string,
  model: Model,
  batch: ImageBatch,
  rng: Rng,
  size: { readonly height: number; readonly width: number; readonly channels?: number },
): string[] {
  const paths = runPaths(dir);
  const rows = size.height;
  const cols = size.width;
  const channels = size.channels ?? 1;
  const n = Math.min(32, batch.size);
  const out = model.encode(batch, INFER);
  try {
    const recon = toPixels(
      model,
      tf.tidy(() => model.decode(decoderInput(model, out.code, batch.labels), undefined, INFER)),
    );
    const pixels = new Float32Array(2 * n * rows * cols * channels);
    const per = rows * cols * channels;
    for (let r = 0; r < n / 8; r++) {
      for (let c = 0; c < 8 && r * 8 + c < n; c++) {
        const i = r * 8 + c;
        pixels.set(batch.pixels.subarray(i * per, (i + 1) * per), (2 * r * 8 + c) * per);
        pixels.set(recon.subarray(i * per, (i + 1) * per), ((2 * r + 1) * 8 + c) * per);
      }
    }
    writeFileAtomic(paths.reconstructions, imageGridPng(pixels, 2 * n, rows, cols, { columns: 8, scale: 2, channels }));
    const codes = sampleCodes(model, 64, rng, out.code);
    const samples = toPixels(
      model,
      // A conditional model's samples go through the classes in turn.
      tf.tidy(() => model.decode(decoderInput(model, codes), undefined, INFER)),
    );
    codes.dispose();
    writeFileAtomic(paths.samples, imageGridPng(samples, 64, rows, cols, { columns: 8, scale: 2, channels }));
    return [paths.reconstructions, paths.samples];
  } finally {
    tf.dispose(out as unknown as tf.TensorContainer);
  }
}

/** The first two principal components of the codes, one colour per label. */
export async function writeLatentScatter(
  dir: string,
  codes: readonly (readonly number[])[],
  labels: ArrayLike<number> | undefined,
  title: string,
): Promise<string> {
  const paths = runPaths(dir);
  const dim = codes[0]?.length ?? 0;
  const xy = projectTo2d(codes.flat(), codes.length, dim);
  const points = xy.map((p, i) => ({ ...p, label: labels ? String(labels[i]) : 'all' }));
  writeFileAtomic(paths.scatter, await latentScatterSvg(points, title));
  return paths.scatter;
}
