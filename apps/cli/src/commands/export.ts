import { Command, Option } from 'commander';
import { addCommonOptions, parseInteger, lazyAction } from '../options.js';

export function exportCommand(): Command {
  const cmd = new Command('export')
    .description('export the encoder and decoder of a run to ONNX (opset 17) and check them against tfjs with onnxruntime')
    .requiredOption('--run <dir>', 'run folder made by "latentkit train"')
    .option('--out-dir <dir>', 'folder for the .onnx files (default: <run>/onnx)')
    // Before --out meant "a file" everywhere else, export's folder was --out; it still works, with a warning.
    .addOption(new Option('--out <dir>', 'deprecated spelling of --out-dir').hideHelp())
    .option('--parity-examples <n>', 'held-out examples for the parity check', parseInteger('--parity-examples', { min: 1 }), 64);
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/export.js')));
}
