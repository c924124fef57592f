import path from 'node:path';
import { Command, Option } from 'commander';
import { writeFileAtomic } from '@latentkit/core';
import { loadModel } from '@latentkit/models';
import { CODE_FORMATS, type CodeFormat, codesFile, formatFromPath } from '../io/codes-file.js';
import { addCommonOptions, commonOptions, parseInteger, startEngine } from '../options.js';
import { loadData } from '../run/data-source.js';
import { encodeCodes } from '../run/encode-codes.js';
import { modelDirOf, readRunSpec } from '../run/run-folder.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export function encodeCommand(): Command {
  const cmd = new Command('encode')
    .description("write the latent codes of a run's data split as .npy, CSV or JSON lines (labels included in CSV/JSONL)")
    .requiredOption('--run <dir>', 'run folder made by "latentkit train"')
    .requiredOption('--out <file>', 'output file; the format follows its extension (.npy, .csv, .jsonl) unless --format is given')
    .addOption(new Option('--format <format>', 'file format').choices([...CODE_FORMATS]))
    .addOption(new Option('--split <split>', 'which examples').choices(['train', 'test']).default('test'))
    .addOption(new Option('--which <output>', 'latent: the pre-quantization code for downstream tasks; code: what the decoder sees').choices(['latent', 'code']).default('latent'))
    .option('--limit <n>', 'encode at most n examples', parseInteger('--limit', { min: 1 }));
  return addCommonOptions(cmd).action(async (opts) => {
    const common = commonOptions(opts);
    await startEngine(common, log);
    const format: CodeFormat = opts.format ?? formatFromPath(opts.out);
    const spec = readRunSpec(opts.run);
    const data = await loadData(spec.data);
    const model = loadModel(modelDirOf(opts.run));
    try {
      const codes = encodeCodes(model, data.labelled(opts.split, spec.batchSize), opts.which, opts.limit ?? Infinity);
      writeFileAtomic(opts.out, codesFile(codes.values, codes.n, codes.dim, format, codes.labels));
      log(`wrote ${codes.n} × ${codes.dim} ${opts.which} codes to ${path.resolve(opts.out)}`);
    } finally {
      model.dispose();
    }
  });
}
