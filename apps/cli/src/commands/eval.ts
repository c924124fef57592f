import { Command } from 'commander';
import { addCommonOptions, parseInteger, lazyAction } from '../options.js';

export function evalCommand(): Command {
  const cmd = new Command('eval')
    .description(
      'evaluate a run on its held-out data: ELBO, perplexity, importance-weighted bound, active units, linear probe, kNN, k-means; writes report.json, pictures and report.html',
    )
    .requiredOption('--run <dir>', 'run folder made by "latentkit train"')
    .option(
      '--input <file>',
      "evaluate on this new file (read through the run's preprocessing or vocabulary) instead of the held-out split; writes nothing in the run",
    )
    .option('-o, --out <file>', 'with --input: also write the report as JSON to this file')
    .option('--importance-samples <k>', 'K of the importance-weighted bound, 0 to skip', parseInteger('--importance-samples', { min: 0 }), 100)
    .option('--kmeans-restarts <n>', 'k-means restarts, keeping the best inertia', parseInteger('--kmeans-restarts', { min: 1 }), 10)
    .option('--no-probe', 'skip the linear probe')
    .option('--no-knn', 'skip the kNN classifier')
    .option('--no-kmeans', 'skip k-means clustering')
    .option(
      '--anomaly-normal <classes>',
      'runs trained with --normal report the anomaly AUROC of their test split (held-out normal + all other records) by themselves; this flag may only repeat those labels',
    );
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/eval.js')));
}
