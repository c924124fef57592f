import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import { impute, imputableModel } from '@latentkit/eval/impute';
import { loadModel } from '@latentkit/models';
import { completedTableText, delimiterFor } from '../io/table-file.js';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import type { ProgressBar } from '../progress.js';
import { readIgnoredColumns, readInputTable } from '../run/input-data.js';
import { modelDirOf, readRunSpec } from '../run/run-folder.js';

/** The bar over rows imputed: `impute` reports (done, total) rows after each batch, the bar moves by the difference. */
function rowProgress(bar: ProgressBar): (done: number, total: number) => void {
  let shown = 0;
  return (done, total) => {
    bar.grow(total);
    bar.tick(done - shown);
    shown = done;
  };
}

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const output = outputOf(opts);
  const log = output.log;
  const delimiter = delimiterFor(opts.out);
  await startEngine(common, log);
  const spec = await readRunSpec(opts.run);
  if (spec.model.kind !== 'tabular') {
    throw new LatentkitError(
      'UNSUPPORTED',
      `impute --input reads tables; ${opts.run} is a ${spec.model.kind} run (for image inpainting use imageImputable from @latentkit/eval)`,
    );
  }
  const input = await readInputTable(opts.run, spec, opts.input, output.warn);
  const { prepared } = input;
  const model = loadModel(modelDirOf(opts.run));
  try {
    const missingCells = prepared.missing.reduce((a, m) => a + m, 0);
    log(`${opts.input}: ${prepared.rowCount} rows, ${missingCells} missing cells; imputing with ${opts.method}`);
    const bar = output.bar(`impute (${opts.method})`, prepared.rowCount, 'rows');
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
        onProgress: rowProgress(bar),
      },
    );
    bar.stop();
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
    const file = path.resolve(opts.out);
    const acceptance = out.acceptance === undefined ? '' : ` (Metropolis acceptance ${(100 * out.acceptance).toFixed(1)}%)`;
    log(
      `wrote ${prepared.rowCount} rows with ${missingCells} imputed cells${out.sd ? ` and ${opts.draws} draws' standard deviations` : ''} to ${file}${acceptance}`,
    );
    output.result(
      {
        file,
        method: opts.method,
        rows: prepared.rowCount,
        imputedCells: missingCells,
        draws: opts.draws,
        ...(out.acceptance !== undefined && { acceptance: out.acceptance }),
      },
      () => '',
    );
  } finally {
    model.dispose();
  }
}
