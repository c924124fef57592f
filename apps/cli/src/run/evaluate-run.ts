/**
 * `eval` of a run folder: the eval package's report on the held-out split, written as report.json, plus the
 * pictures and report.html.
 */
import { Rng, acquireDirLock } from '@latentkit/core';
import { type EvaluableModel, type EvaluationReport, type ReportOptions, fromModel, report, writeReport } from '@latentkit/eval';
import { type LoadedData, loadData } from '@latentkit/data';
import { type Batch, type ImageBatch, type Model, loadModel } from '@latentkit/models';
import type { ProgressBar } from '../progress.js';
import { writeImagePictures, writeLatentScatter, writeTrainingCurves } from '../visual/run-pictures.js';
import { encodeCodes, rowsOf } from './encode-codes.js';
import { batchCount, inputBatches } from './input-data.js';
import { writeRunHtml } from './run-html.js';
import { writeTextPictures } from './text-samples.js';
import { modelDirOf, readRunSpec, runPaths } from './run-folder.js';

export interface EvaluateRunOptions extends ReportOptions {
  /** Batch size for encoding; default the run's. */
  readonly batchSize?: number;
  /** Points in the latent scatter. Default 2000. */
  readonly scatterPoints?: number;
  /** Made for the number of batches to go through (see `evalWork`) and ticked once per batch. */
  readonly progress?: (total: number) => ProgressBar;
}

/**
 * The batches `report` goes through, for a progress bar: it encodes the test and train splits, then (with a density)
 * bounds the likelihood of each test batch (K importance samples: the slow part) and reconstructs each.
 */
function evalWork(counts: { train: number; test: number }, batchSize: number, likelihood: boolean) {
  const test = Math.ceil(counts.test / batchSize);
  const train = Math.ceil(counts.train / batchSize);
  return { test, train, total: test + train + test + (likelihood ? test : 0) };
}

/** The model with each of its per-batch calls ticking `bar`, naming the phase it is in. */
function countingModel<B>(model: EvaluableModel<B>, bar: ProgressBar, testBatches: number | undefined): EvaluableModel<B> {
  let encoded = 0;
  return {
    ...model,
    encode: (batch) => {
      encoded++;
      const out = model.encode(batch);
      bar.tick(1, testBatches === undefined ? 'eval: encoding' : encoded <= testBatches ? 'eval: encoding test' : 'eval: encoding train');
      return out;
    },
    ...(model.likelihood && {
      likelihood: (batch: B) => {
        const out = (model.likelihood as NonNullable<EvaluableModel<B>['likelihood']>)(batch);
        bar.tick(1, 'eval: likelihood bound');
        return out;
      },
    }),
    ...(model.reconstruction && {
      reconstruction: (batch: B) => {
        const out = (model.reconstruction as NonNullable<EvaluableModel<B>['reconstruction']>)(batch);
        bar.tick(1, 'eval: reconstruction');
        return out;
      },
    }),
  };
}

/**
 * `eval --input`: the same report on a new file read through the run's preprocessing (or vocabulary), with the
 * downstream tasks fitted on the run's training split. Nothing in the run folder is written.
 */
export async function evaluateInput(
  dir: string,
  file: string,
  options: EvaluateRunOptions = {},
  warn: (m: string) => void = () => {},
): Promise<EvaluationReport> {
  const spec = await readRunSpec(dir);
  const batchSize = options.batchSize ?? spec.batchSize;
  const data = await loadData(spec.data);
  const model = loadModel(modelDirOf(dir));
  const { batchSize: _b, scatterPoints: _s, progress, ...reportOptions } = options;
  const test = await inputBatches(dir, spec, file, batchSize, warn);
  const evaluable = fromModel(model);
  // A table's size is known before it is read; another file's bar grows as its batches come.
  const testBatches = batchCount(test, batchSize);
  const work = evalWork(
    { train: data.counts.train, test: (testBatches ?? 0) * batchSize },
    batchSize,
    options.likelihood !== false && evaluable.likelihood !== undefined,
  );
  const bar = progress?.(work.total);
  try {
    return await report(
      bar ? countingModel(evaluable, bar, testBatches) : evaluable,
      { train: data.labelled('train', batchSize) as Iterable<{ batch: Batch }>, test: test as Iterable<{ batch: Batch }> },
      { seed: spec.data.seed, ...reportOptions },
    );
  } finally {
    bar?.stop();
    model.dispose();
  }
}

export interface EvaluatedRun {
  readonly report: EvaluationReport;
  readonly files: string[];
}

export async function evaluateRun(dir: string, options: EvaluateRunOptions = {}, loaded?: { data?: LoadedData; model?: Model }): Promise<EvaluatedRun> {
  // Writes into the run folder: one command at a time per folder.
  const lock = acquireDirLock(dir, 'eval');
  try {
    return await evaluateRunLocked(dir, options, loaded);
  } finally {
    lock.release();
  }
}

async function evaluateRunLocked(dir: string, options: EvaluateRunOptions = {}, loaded?: { data?: LoadedData; model?: Model }): Promise<EvaluatedRun> {
  const spec = await readRunSpec(dir);
  const paths = runPaths(dir);
  const data = loaded?.data ?? (await loadData(spec.data));
  const model = loaded?.model ?? loadModel(modelDirOf(dir));
  try {
    const { batchSize: _b, scatterPoints: _s, progress, ...reportOptions } = options;
    const batchSize = options.batchSize ?? spec.batchSize;
    const evaluable = fromModel(model);
    const work = evalWork(data.counts, batchSize, options.likelihood !== false && evaluable.likelihood !== undefined);
    const bar = progress?.(work.total);
    let result: EvaluationReport;
    try {
      result = await report(
        bar ? countingModel(evaluable, bar, work.test) : evaluable,
        { train: data.labelled('train', batchSize) as Iterable<{ batch: Batch }>, test: data.labelled('test', batchSize) as Iterable<{ batch: Batch }> },
        // A run trained on its normal classes only (train --normal): its test split is held-out normal records plus
        // every other record, so the anomaly AUROC measures detection of records the model never fitted.
        { seed: spec.data.seed, ...(data.normalLabels && { anomaly: { normalClasses: [...data.normalLabels] } }), ...reportOptions },
      );
    } finally {
      bar?.stop();
    }
    writeReport(result, paths.report);
    const files = [paths.report];
    const rng = Rng.fromSeed(`latentkit-eval:${spec.data.seed}`);
    if (data.shape.kind === 'image') {
      files.push(...writeImagePictures(dir, model, data.preview(32).batch as ImageBatch, rng, data.shape));
    }
    const text = writeTextPictures(dir, model, data, rng.fork('text'));
    if (text) files.push(text);
    const codes = encodeCodes(
      model,
      data.labelled('test', batchSize) as Iterable<{ batch: Batch; labels?: ArrayLike<number> }>,
      'latent',
      options.scatterPoints ?? 2000,
    );
    if (codes.n > 2)
      files.push(
        await writeLatentScatter(
          dir,
          rowsOf(codes),
          codes.labels,
          `Latent codes (${spec.model.kind}, ${spec.model.bottleneck.kind}), first two principal components`,
        ),
      );
    const curves = await writeTrainingCurves(dir);
    if (curves) files.push(curves);
    files.push(await writeRunHtml(dir));
    return { report: result, files };
  } finally {
    if (!loaded?.model) model.dispose();
  }
}
