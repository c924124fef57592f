import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import { formatReport } from '@latentkit/eval';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import { evaluateInput, evaluateRun } from '../run/evaluate-run.js';
import { readRunSpec } from '../run/run-folder.js';

/**
 * `--anomaly-normal` only makes sense for a run trained on the normal classes alone (`train --normal`): a model
 * fitted to every class, anomalies included, has learned the anomalies too, and the AUROC of its test split says
 * little about detection. Such a run's eval reports the anomaly AUROC by itself; the flag may only repeat its classes.
 */
async function checkAnomalyNormal(runDir: string, given: string | undefined): Promise<void> {
  if (given === undefined) return;
  const spec = await readRunSpec(runDir);
  const wanted = String(given)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const trained = (spec.data.normal ?? []).map(String);
  if (trained.length === 0) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `--anomaly-normal: ${runDir} was trained on every class, anomalies included, so an AUROC of its test split would not measure detection; train with "latentkit train ... --normal ${wanted.join(',')}" (its eval then reports the anomaly AUROC) and score new data with "latentkit score"`,
    );
  }
  if ([...wanted].sort().join(',') !== [...trained].sort().join(',')) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `--anomaly-normal ${wanted.join(',')}: ${runDir} was trained with --normal ${trained.join(',')}; leave the flag out`,
    );
  }
}

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  await checkAnomalyNormal(opts.run, opts.anomalyNormal);
  await startEngine(common, out.log);
  const options = {
    seed: common.seed,
    likelihood: { importanceSamples: opts.importanceSamples, seed: common.seed },
    probe: opts.probe ? {} : false,
    knn: opts.knn ? {} : false,
    kmeans: opts.kmeans ? { restarts: opts.kmeansRestarts } : false,
  } as const;
  if (opts.input) {
    const report = await evaluateInput(opts.run, opts.input, { ...options, progress: (total) => out.bar('eval', total, 'batches') }, out.warn);
    out.result(report, () => formatReport(report));
    if (opts.out) {
      writeFileAtomic(opts.out, `${JSON.stringify(report, null, 2)}\n`);
      out.log(`wrote ${path.resolve(opts.out)}`);
    }
    return;
  }
  const { report, files } = await evaluateRun(opts.run, { ...options, progress: (total) => out.bar('eval', total, 'batches') });
  out.result(report, () => formatReport(report));
  out.log(`wrote ${files.join(', ')}`);
}
