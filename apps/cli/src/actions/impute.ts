import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import { impute, imputableModel } from '@latentkit/eval/impute';
import { loadModel } from '@latentkit/models';
import { completedTableText, delimiterFor } from '../io/table-file.js';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { readIgnoredColumns, readInputTable } from '../run/input-data.js';
import { modelDirOf, readRunSpec } from '../run/run-folder.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** A progress line at most every 2 s, with the rate so far and the time left; nothing for a job under 2 s. */
function progressLine(method: string): (done: number, total: number) => void {
  const start = performance.now();
  let last = start;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - last < 2000) return;
    last = now;
    const seconds = (now - start) / 1000;
    if (done === total && seconds < 2) return;
    const eta = done < total ? `, about ${Math.ceil((seconds / done) * (total - done))} s left` : ` in ${seconds.toFixed(1)} s`;
    log(`impute (${method}): ${done} / ${total} rows (${Math.floor((100 * done) / total)}%)${eta}`);
  };
}

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const delimiter = delimiterFor(opts.out);
  await startEngine(common, log);
  const spec = await readRunSpec(opts.run);
  if (spec.model.kind !== 'tabular') {
    throw new LatentkitError(
      'UNSUPPORTED',
      `impute --input reads tables; ${opts.run} is a ${spec.model.kind} run (for image inpainting use imageImputable from @latentkit/eval)`,
    );
  }
  const input = await readInputTable(opts.run, spec, opts.input, log);
  const { prepared } = input;
  const model = loadModel(modelDirOf(opts.run));
  try {
    const missingCells = prepared.missing.reduce((a, m) => a + m, 0);
    log(`${opts.input}: ${prepared.rowCount} rows, ${missingCells} missing cells; imputing with ${opts.method}`);
    const out = impute(
      imputableModel(model),
      { size: prepared.rowCount, width: prepared.columns.length, values: prepared.values, missing: prepared.missing },
      {
        method: opts.method,
        iterations: opts.iterations,
        draws: opts.draws,
        importanceSamples: opts.importanceSamples,
        batchSize: opts.batchSize,
        seed: common.seed,
        onProgress: progressLine(opts.method),
      },
    );
    const idColumn = (spec.data.options as { idColumn?: string } | undefined)?.idColumn;
    const ignored = await readIgnoredColumns(opts.run, spec, opts.input);
    if (ignored && [...ignored.texts.values()].some((t) => t.length !== prepared.rowCount)) {
      throw new LatentkitError(
        'PARSE_ERROR',
        `${opts.input}: the ignored columns read back with another row count than the table (${prepared.rowCount} rows)`,
        {
          file: opts.input,
        },
      );
    }
    const text = completedTableText(
      {
        table: input.table,
        columns: input.preprocessing.columns,
        values: out.values,
        ...(out.sd && { sd: out.sd }),
        ...(idColumn && { idColumn }),
        ...(ignored && { ignored }),
      },
      delimiter,
    );
    writeFileAtomic(opts.out, text);
    const acceptance = out.acceptance === undefined ? '' : ` (Metropolis acceptance ${(100 * out.acceptance).toFixed(1)}%)`;
    log(
      `wrote ${prepared.rowCount} rows with ${missingCells} imputed cells${out.sd ? ` and ${opts.draws} draws' standard deviations` : ''} to ${path.resolve(opts.out)}${acceptance}`,
    );
  } finally {
    model.dispose();
  }
}
