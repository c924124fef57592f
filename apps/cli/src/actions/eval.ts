import { formatReport } from '@latentkit/eval';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { evaluateRun } from '../run/evaluate-run.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  await startEngine(common, log);
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
  });
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  log(`wrote ${files.join(', ')}`);
}
