import path from 'node:path';
import { writeFileAtomic } from '@latentkit/core';
import { loadData } from '@latentkit/data';
import { loadModel } from '@latentkit/models';
import { type CodeFormat, codesFile, formatFromPath } from '../io/codes-file.js';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { encodeCodes } from '../run/encode-codes.js';
import { inputBatches } from '../run/input-data.js';
import { modelDirOf, readRunSpec } from '../run/run-folder.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  await startEngine(common, log);
  const format: CodeFormat = opts.format ?? formatFromPath(opts.out);
  const spec = await readRunSpec(opts.run);
  const batches = opts.input
    ? await inputBatches(opts.run, spec, opts.input, spec.batchSize, log)
    : (await loadData(spec.data)).labelled(opts.split, spec.batchSize);
  const model = loadModel(modelDirOf(opts.run));
  try {
    const codes = encodeCodes(model, batches, opts.which, opts.limit ?? Infinity);
    writeFileAtomic(opts.out, codesFile(codes.values, codes.n, codes.dim, format, codes.labels));
    log(`wrote ${codes.n} × ${codes.dim} ${opts.which} codes to ${path.resolve(opts.out)}`);
  } finally {
    model.dispose();
  }
}
