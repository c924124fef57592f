import { Command } from 'commander';
import { LatentkitError } from '@latentkit/core';
import { EXIT } from '../exit-codes.js';
import { addCommonOptions, commonOptions, parseInteger, startEngine } from '../options.js';
import { exportRun } from '../run/export-run.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export function exportCommand(): Command {
  const cmd = new Command('export')
    .description('export the encoder and decoder of a run to ONNX (opset 17) and check them against tfjs with onnxruntime')
    .requiredOption('--run <dir>', 'run folder made by "latentkit train"')
    .option('--out <dir>', 'folder for the .onnx files (default <run>/onnx)')
    .option('--parity-examples <n>', 'held-out examples for the parity check (default 64)', parseInteger('--parity-examples', { min: 1 }), 64);
  return addCommonOptions(cmd).action(async (opts) => {
    const common = commonOptions(opts);
    await startEngine(common, log);
    const { files, parity } = await exportRun(opts.run, { out: opts.out, parityExamples: opts.parityExamples });
    for (const [role, file] of Object.entries(files)) process.stdout.write(`${role.padEnd(12)}${file}\n`);
    const line = `parity on ${parity.examples} examples: max |ONNX − tfjs| code ${parity.code.toExponential(2)}, latent ${parity.latent.toExponential(2)}, logits ${parity.logits.toExponential(2)} (tolerance ${parity.tolerance})`;
    process.stdout.write(`${line}\n`);
    if (!parity.ok) {
      process.exitCode = EXIT.parity;
      throw new LatentkitError('NUMERIC_ERROR', `ONNX export differs from tfjs by ${parity.max} > ${parity.tolerance}`);
    }
  });
}
