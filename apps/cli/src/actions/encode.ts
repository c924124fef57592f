import path from 'node:path';
import { invalidArgument, writeFileAtomic } from '@latentkit/core';
import { assembleChunks, runQueueChunks } from '@latentkit/sweep';
import { loadData } from '@latentkit/data';
import { loadModel } from '@latentkit/models';
import { type CodeFormat, codesFile, formatFromPath } from '../io/codes-file.js';
import { type ActionOptions, type Output, commonOptions, outputOf, startEngine } from '../options.js';
import { withProgress } from '../progress.js';
import { encodeCodes } from '../run/encode-codes.js';
import { inputBatches } from '../run/input-data.js';
import { chunkInputFile, codesHeader, encodeTaskId, splitInput } from '../run/queue-encode.js';
import { modelDirOf, readRunSpec } from '../run/run-folder.js';

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  await startEngine(common, out.log);
  const format: CodeFormat = opts.format ?? formatFromPath(opts.out);
  if (opts.queue) return encodeOnQueue(opts, format, out);
  const spec = await readRunSpec(opts.run);
  const data = opts.input ? undefined : await loadData(spec.data);
  const input = data ? undefined : await inputBatches(opts.run, spec, opts.input, spec.batchSize, out.warn);
  const batches = input ?? (data as NonNullable<typeof data>).labelled(opts.split, spec.batchSize);
  // A split's size is known, and a table's; other new files' are not until read (the bar then counts without an end).
  const examples = Math.min(opts.limit ?? Infinity, data ? data.counts[opts.split as 'train' | 'test'] : (input?.examples ?? Infinity));
  const bar = out.bar('encode', Number.isFinite(examples) ? Math.ceil(examples / spec.batchSize) : 0, 'batches');
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

/** `--queue`: the input cut into chunk files on the shared run root, encoded by workers, put together in order. */
async function encodeOnQueue(opts: ActionOptions, format: CodeFormat, out: Output): Promise<void> {
  const log = out.log;
  if (!opts.input) throw invalidArgument('--queue', "an --input file to encode across workers (the run's own splits encode in one process)", undefined);
  if (format === 'npy') throw invalidArgument('--out', 'a .csv or .jsonl file with --queue (the pieces are concatenated)', opts.out);
  const run = path.resolve(opts.run);
  const input = path.resolve(opts.input);
  const taskId = encodeTaskId(run, input, { which: opts.which, format, chunkRows: opts.chunkRows });
  const taskDir = path.join(path.resolve(opts.runsDir), taskId);
  const { ranges, ext } = await splitInput(input, taskDir, opts.chunkRows);
  log(`${input}: ${ranges.at(-1)?.end ?? 0} records in ${ranges.length} chunk(s) under ${taskDir}`);
  // The header needs the code width and whether the file has labels: one record encoded here tells both.
  const spec = await readRunSpec(run);
  const model = loadModel(modelDirOf(run));
  let header: string;
  try {
    const probe = encodeCodes(model, await inputBatches(run, spec, chunkInputFile(taskDir, 0, ext), spec.batchSize, () => {}), opts.which, 1);
    header = codesHeader(format, probe.dim, probe.labels !== undefined);
  } finally {
    model.dispose();
  }
  await runQueueChunks({ url: opts.queue, taskId, processor: 'encode', args: { run, format, which: opts.which, ext }, input: taskDir, ranges, log });
  assembleChunks(taskDir, ranges, opts.out, header);
  const file = path.resolve(opts.out);
  log(`wrote ${ranges.at(-1)?.end ?? 0} ${opts.which} codes to ${file}`);
  out.result({ file, format, which: opts.which, examples: ranges.at(-1)?.end ?? 0, chunks: ranges.length }, () => '');
}
