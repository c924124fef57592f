import { Command } from 'commander';
import { addCommonOptions, parseInteger, lazyAction } from '../options.js';

export function selftestCommand(): Command {
  const cmd = new Command('selftest')
    .description('check this machine: train a few steps of an embedding→LSTM→dense model and a conv autoencoder on the backend, and count the datasets')
    .option('--steps <n>', 'Adam steps per model', parseInteger('--steps', { min: 2 }), 5)
    .option('--data-dir <dir>', 'folder holding ptb/, 20news-nvdm/, mnist/ (default: env LATENTKIT_DATA_DIR)');
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/selftest.js')));
}
