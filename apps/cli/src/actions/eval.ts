import { formatReport } from '@latentkit/eval';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import { evaluateRun } from '../run/evaluate-run.js';

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  await startEngine(common, out.log);
  const normal = opts.anomalyNormal
    ? String(opts.anomalyNormal)
        .split(',')
        .map((s) => Number.parseInt(s, 10))
    : undefined;
  const { report, files } = await evaluateRun(opts.run, {
    seed: common.seed,
    likelihood: { importanceSamples: opts.importanceSamples, seed: common.seed },
    probe: opts.probe ? {} : false,
    knn: opts.knn ? {} : false,
    kmeans: opts.kmeans ? { restarts: opts.kmeansRestarts } : false,
    ...(normal ? { anomaly: { normalClasses: normal } } : {}),
    progress: (total) => out.bar('eval', total, 'batches'),
  });
  out.result(report, () => formatReport(report));
  out.log(`wrote ${files.join(', ')}`);
}
