import { Command, Option } from 'commander';
import { CODE_FORMATS } from '../io/codes-file.js';
import { addCommonOptions, parseInteger, lazyAction } from '../options.js';

export function encodeCommand(): Command {
  const cmd = new Command('encode')
    .description("write the latent codes of a run's data split (or of a new file, --input) as .npy, CSV or JSON lines (labels included in CSV/JSONL)")
    .requiredOption('--run <dir>', 'run folder made by "latentkit train"')
    .requiredOption('-o, --out <file>', 'output file; the format follows its extension (.npy, .csv, .jsonl) unless --format is given')
    .addOption(new Option('--format <format>', 'file format').choices([...CODE_FORMATS]))
    .addOption(new Option('--split <split>', 'which examples').choices(['train', 'test']).default('test'))
    .addOption(
      new Option('--which <output>', 'latent: the pre-quantization code for downstream tasks; code: what the decoder sees')
        .choices(['latent', 'code'])
        .default('latent'),
    )
    .option('--input <file>', "new data to encode instead of a split (a table through the run's saved preprocessing, or an image folder)")
    .option('--limit <n>', 'encode at most n examples', parseInteger('--limit', { min: 1 }))
    .option('--queue <url>', 'with --input: cut the file into chunks that "latentkit worker" processes take from this Redis (redis://[:password@]host:port)')
    .option('--runs-dir <dir>', "with --queue: the shared run root, the same folder as the workers' --runs-dir", 'runs')
    .option('--chunk-rows <n>', 'with --queue: records per chunk', parseInteger('--chunk-rows', { min: 1 }), 10_000);
  return addCommonOptions(cmd).action(lazyAction(() => import('../actions/encode.js')));
}
