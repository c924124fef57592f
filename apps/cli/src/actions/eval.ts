import path from 'node:path';
import { writeFileAtomic } from '@latentkit/core';
import { formatReport } from '@latentkit/eval';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import { evaluateInput, evaluateRun } from '../run/evaluate-run.js';

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  await startEngine(common, out.log);
  const normal = opts.anomalyNormal
    ? String(opts.anomalyNormal)
        .split(',')
        .map((s) => Number.parseInt(s, 10))
    : undefined;
  const options = {
    seed: common.seed,
    likelihood: { importanceSamples: opts.importanceSamples, seed: common.seed },
    probe: opts.probe ? {} : false,
    knn: opts.knn ? {} : false,
    kmeans: opts.kmeans ? { restarts: opts.kmeansRestarts } : false,
    ...(normal ? { anomaly: { normalClasses: normal } } : {}),
  } as const;
  if (opts.input) {
    const report = await evaluateInput(opts.run, opts.input, options, out.warn);
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
