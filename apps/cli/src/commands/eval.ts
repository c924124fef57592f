import { Command } from 'commander';
import { formatReport } from '@latentkit/eval';
import { addCommonOptions, commonOptions, parseInteger, startEngine } from '../options.js';
import { evaluateRun } from '../run/evaluate-run.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export function evalCommand(): Command {
  const cmd = new Command('eval')
    .description("evaluate a run on its held-out data: ELBO, perplexity, importance-weighted bound, active units, linear probe, kNN, k-means; writes report.json, pictures and report.html")
    .requiredOption('--run <dir>', 'run folder made by "latentkit train"')
    .option('--importance-samples <k>', 'K of the importance-weighted bound, 0 to skip (default 100)', parseInteger('--importance-samples', { min: 0 }), 100)
    .option('--kmeans-restarts <n>', 'k-means restarts, keeping the best inertia (default 10)', parseInteger('--kmeans-restarts', { min: 1 }), 10)
    .option('--no-probe', 'skip the linear probe')
    .option('--no-knn', 'skip the kNN classifier')
    .option('--no-kmeans', 'skip k-means clustering')
    .option('--anomaly-normal <classes>', 'score anomalies: comma-separated labels of the normal classes; the rest are anomalies')
    .option('--json', 'print the report as JSON instead of a summary', false);
  return addCommonOptions(cmd).action(async (opts) => {
    const common = commonOptions(opts);
    await startEngine(common, log);
    const normal = opts.anomalyNormal ? String(opts.anomalyNormal).split(',').map((s) => Number.parseInt(s, 10)) : undefined;
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
  });
}
