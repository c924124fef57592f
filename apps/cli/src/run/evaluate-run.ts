/**
 * `eval` of a run folder: the eval package's report on the held-out split, written as report.json, plus the
 * pictures and report.html.
 */
import { Rng, acquireDirLock } from '@latentkit/core';
import { type EvaluationReport, type ReportOptions, fromModel, report, writeReport } from '@latentkit/eval';
import { type LoadedData, loadData } from '@latentkit/data';
import { type Batch, type ImageBatch, type Model, loadModel } from '@latentkit/models';
import { writeImagePictures, writeLatentScatter, writeTrainingCurves } from '../visual/run-pictures.js';
import { encodeCodes, rowsOf } from './encode-codes.js';
import { inputBatches } from './input-data.js';
import { writeRunHtml } from './run-html.js';
import { modelDirOf, readRunSpec, runPaths } from './run-folder.js';

export interface EvaluateRunOptions extends ReportOptions {
  /** Batch size for encoding; default the run's. */
  readonly batchSize?: number;
  /** Points in the latent scatter. Default 2000. */
  readonly scatterPoints?: number;
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
  try {
    return await report(
      fromModel(model),
      {
        train: data.labelled('train', batchSize) as Iterable<{ batch: Batch }>,
        test: (await inputBatches(dir, spec, file, batchSize, warn)) as Iterable<{ batch: Batch }>,
      },
      { seed: spec.data.seed, ...options },
    );
  } finally {
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
    const batchSize = options.batchSize ?? spec.batchSize;
    const result = await report(
      fromModel(model),
      { train: data.labelled('train', batchSize) as Iterable<{ batch: Batch }>, test: data.labelled('test', batchSize) as Iterable<{ batch: Batch }> },
      { seed: spec.data.seed, ...options },
    );
    writeReport(result, paths.report);
    const files = [paths.report];
    const rng = Rng.fromSeed(`latentkit-eval:${spec.data.seed}`);
    if (data.shape.kind === 'image') {
      files.push(...writeImagePictures(dir, model, data.preview(32).batch as ImageBatch, rng, data.shape));
    }
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
