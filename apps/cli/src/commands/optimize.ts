import { Command, Option } from 'commander';
import { addCommonOptions, lazyAction, parseInteger, parseNumber } from '../options.js';

export function optimizeCommand(): Command {
  const cmd = new Command('optimize')
    .description(
      'design molecules with a trained smiles-vae run: gradient ascent on a property head (ESOL solubility or Tox21 toxicity) from prior samples, within a trust region',
    )
    .requiredOption('--run <dir>', 'run folder of a smiles-vae model made by "latentkit train"')
    .addOption(
      new Option('--property <name>', 'solubility: raise predicted logS; toxicity: lower the predicted Tox21 toxicity')
        .choices(['solubility', 'toxicity'])
        .makeOptionMandatory(),
    )
    .option('--n <n>', 'molecules to design', parseInteger('--n', { min: 1 }), 100)
    .option('-o, --out <file>', 'SMILES file for the designed molecules (default: <run>/designed-<property>.smi)')
    .option('--steps <n>', 'gradient steps', parseInteger('--steps', { min: 0 }), 100)
    .option(
      '--trust-radius <k>',
      'keep each code coordinate within k standard deviations of the prior',
      parseNumber('--trust-radius', { min: 0, exclusiveMin: true }),
      2,
    )
    .option('--learning-rate <r>', 'step size in standard deviations', parseNumber('--learning-rate', { min: 0, exclusiveMin: true }), 0.05)
    .option('--data-dir <dir>', 'folder holding esol-delaney/ and tox21/, to fit the property head when the run has none (default: env LATENTKIT_DATA_DIR)')
    .option('--refit', 'fit the property head again even when the run has one');
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/optimize.js')));
}
