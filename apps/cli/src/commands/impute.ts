import { Command, Option } from 'commander';
import { addCommonOptions, lazyAction, parseInteger } from '../options.js';

export function imputeCommand(): Command {
  const cmd = new Command('impute')
    .description('fill in the missing cells of a table with a trained tabular run; observed cells are written back unchanged')
    .requiredOption('--run <dir>', 'run folder made by "latentkit train --model tabular"')
    .requiredOption('--input <file>', "table with the training columns; missing cells are empty, NA, or the run's missing marker (e.g. -200)")
    .requiredOption('-o, --out <file>', 'where to write the completed table (.csv or .tsv), in the original units, written atomically')
    .addOption(
      new Option(
        '--method <method>',
        'single: decode the masked row once; gibbs: pseudo-Gibbs sampling (can drift away over many iterations); mwg: Metropolis-within-Gibbs, the corrected chain; miwae: importance-weighted conditional mean',
      )
        .choices(['single', 'gibbs', 'mwg', 'miwae'])
        .default('miwae'),
    )
    .option('--iterations <n>', 'gibbs and mwg: sampling iterations per row (the first half is burn-in)', parseInteger('--iterations', { min: 1 }), 20)
    .option(
      '--draws <k>',
      'multiple imputations per row; k > 1 adds a <column>_sd column (their standard deviation) per numeric column',
      parseInteger('--draws', { min: 1 }),
      1,
    )
    .option('--importance-samples <k>', 'miwae: importance samples per row', parseInteger('--importance-samples', { min: 1 }), 100)
    .option('--batch-size <n>', 'rows imputed at a time', parseInteger('--batch-size', { min: 1 }), 256);
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/impute.js')));
}
