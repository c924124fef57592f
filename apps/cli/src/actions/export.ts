import { LatentkitError } from '@latentkit/core';
import { EXIT } from '../exit-codes.js';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import { exportRun } from '../run/export-run.js';

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  if (opts.out !== undefined) out.warn('export --out <dir> is now --out-dir <dir> (--out names a file on every other command); --out still works for now');
  await startEngine(common, out.log);
  const outDir: string | undefined = opts.outDir ?? opts.out;
  const bar = out.bar('export', 4, 'stages');
  const exported = await exportRun(opts.run, { out: outDir, parityExamples: opts.parityExamples }, undefined, (stage) =>
    bar.tick(1, `export: ${stage}`),
  ).finally(() => bar.stop());
  const { files, parity } = exported;
  const line = `parity on ${parity.examples} examples: max |ONNX − tfjs| code ${parity.code.toExponential(2)}, latent ${parity.latent.toExponential(2)}, logits ${parity.logits.toExponential(2)} (tolerance ${parity.tolerance})`;
  out.result({ files, parity }, () => [...Object.entries(files).map(([role, file]) => `${role.padEnd(12)}${file}`), line].join('\n'));
  if (!parity.ok) {
    process.exitCode = EXIT.parity;
    throw new LatentkitError('NUMERIC_ERROR', `ONNX export differs from tfjs by ${parity.max} > ${parity.tolerance}`);
  }
}
