import path from 'node:path';
import { Command, Option } from 'commander';
import { addCommonOptions, parseInteger, lazyAction } from '../options.js';

export function quickstartCommand(): Command {
  const cmd = new Command('quickstart')
    .description('train a soft-VQ autoencoder and a vMF VAE on the bundled MNIST digits, evaluate, export to ONNX, and write a report')
    .option('--out-dir <dir>', 'folder for the two runs and the summary report', path.join('runs', 'quickstart'))
    .addOption(new Option('--out <dir>', 'deprecated spelling of --out-dir').hideHelp())
    .option('--epochs <n>', 'epochs per model', parseInteger('--epochs', { min: 1 }), 6)
    .option('--fresh', 'delete earlier quickstart runs in --out-dir first instead of continuing them');
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/quickstart.js')));
}
