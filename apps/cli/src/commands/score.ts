import { Command, InvalidArgumentError, Option } from 'commander';
import { addCommonOptions, lazyAction, parseInteger } from '../options.js';

/** --fpr must lie strictly inside (0, 1): exit 2 with what was given. */
function parseFpr(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`--fpr must be a false-positive rate strictly between 0 and 1, got "${value}".`);
  return n;
}

const SCORE_NAMES = { iw: 'negImportanceWeighted', elbo: 'negElbo', reconstruction: 'reconstruction' } as const;

export function scoreCommand(): Command {
  const cmd = new Command('score')
    .description(
      "anomaly scores of new records (a table, or a timestamp,value series for a run trained with --window): reconstruction error, −ELBO, importance-weighted NLL and a flag from a threshold calibrated on the run's held-out normal data",
    )
    .requiredOption('--run <dir>', 'run folder made by "latentkit train" (best with --normal, or trained on a file of normal rows)')
    .requiredOption('--input <file>', 'records to score: a table with the training columns, or a timestamp,value CSV')
    .requiredOption('-o, --out <file>', 'CSV of per-record scores and the flag (series: per timestamp)')
    .option('--importance-samples <k>', 'K of the importance-weighted NLL, 0 to skip it', parseInteger('--importance-samples', { min: 0 }), 50)
    .option('--fpr <rate>', 'false-positive rate of the flag on held-out normal data', parseFpr, 0.01)
    .addOption(
      new Option('--score <kind>', 'score the flag uses (default: iw; elbo with --importance-samples 0; reconstruction without a density)').choices(
        Object.keys(SCORE_NAMES),
      ),
    )
    .option('--window <n>', "series: readings per window (must be the run's)", parseInteger('--window', { min: 2 }))
    .option('--stride <m>', "series: readings between window starts (default: the run's)", parseInteger('--stride', { min: 1 }))
    .addOption(
      new Option('--aggregate <how>', 'series: a reading gets the mean or the max of the windows covering it').choices(['mean', 'max']).default('mean'),
    )
    .option('--label-windows <file>', "series: labelled anomaly windows, JSON [[start, end], …] or NAB's combined_windows.json")
    .option('--report', 'write the anomaly section of report.html even without labels')
    .option(
      '--queue <url>',
      'cut --input into chunks that "latentkit worker" processes score, taken from this Redis (redis://[:password@]host:port); the output equals scoring in one process',
    )
    .option('--runs-dir <dir>', "with --queue: the shared run root, the same folder as the workers' --runs-dir", 'runs')
    .option(
      '--chunk-rows <n>',
      "with --queue: records per chunk (a series: windows), rounded up to a multiple of the run's batch size",
      parseInteger('--chunk-rows', { min: 1 }),
      10_000,
    );
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/score.js')));
}

export { SCORE_NAMES };
