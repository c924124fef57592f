import path from 'node:path';
import { writeFileAtomic } from '@latentkit/core';
import { loadData } from '@latentkit/data';
import { loadModel } from '@latentkit/models';
import { type CodeFormat, codesFile, formatFromPath } from '../io/codes-file.js';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import { withProgress } from '../progress.js';
import { encodeCodes } from '../run/encode-codes.js';
import { inputBatches } from '../run/input-data.js';
import { modelDirOf, readRunSpec } from '../run/run-folder.js';

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  await startEngine(common, out.log);
  const format: CodeFormat = opts.format ?? formatFromPath(opts.out);
  const spec = await readRunSpec(opts.run);
  const data = opts.input ? undefined : await loadData(spec.data);
  const batches = data ? data.labelled(opts.split, spec.batchSize) : await inputBatches(opts.run, spec, opts.input, spec.batchSize, out.log);
  // A split's size is known; a new file's is not until it is read (the bar then counts batches without an end).
  const examples = data ? Math.min(opts.limit ?? Infinity, data.counts[opts.split as 'train' | 'test']) : undefined;
  const bar = out.bar('encode', examples === undefined ? 0 : Math.ceil(examples / spec.batchSize), 'batches');
  const model = loadModel(modelDirOf(opts.run));
  try {
    const codes = encodeCodes(model, withProgress(batches, bar), opts.which, opts.limit ?? Infinity);
    bar.stop();
    const file = path.resolve(opts.out);
    writeFileAtomic(opts.out, codesFile(codes.values, codes.n, codes.dim, format, codes.labels));
    out.log(`wrote ${codes.n} × ${codes.dim} ${opts.which} codes to ${file}`);
    out.result({ file, format, which: opts.which, examples: codes.n, dim: codes.dim, labels: codes.labels !== undefined }, () => '');
  } finally {
    bar.stop();
    model.dispose();
  }
}
