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
import { writeRunHtml } from './run-html.js';
import { modelDirOf, readRunSpec, runPaths } from './run-folder.js';

export interface EvaluateRunOptions extends ReportOptions {
  /** Batch size for encoding; default the run's. */
  readonly batchSize?: number;
  /** Points in the latent scatter. Default 2000. */
  readonly scatterPoints?: number;
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
      // A run trained on its normal classes only (train --normal): its test split is held-out normal records plus
      // every other record, so the anomaly AUROC measures detection of records the model never fitted.
      { seed: spec.data.seed, ...(data.normalLabels && { anomaly: { normalClasses: [...data.normalLabels] } }), ...options },
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
