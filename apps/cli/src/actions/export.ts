import { LatentkitError } from '@latentkit/core';
import { EXIT } from '../exit-codes.js';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { exportRun } from '../run/export-run.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function run(opts: ActionOptions): Promise<void> {
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
}
