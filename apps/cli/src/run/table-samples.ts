/**
 * `latentkit sample` for a table run: rows drawn from the model (a code from the prior, then each cell from its
 * predictive distribution p(x_j | z)), written in the original units through the run's preprocessing (numbers
 * un-standardised, categories by name), with the condition each row was drawn at as the last column. A `.npy`
 * `--out` gets the same rows as numbers [n, columns] (categories as their index), with the CSV next to it.
 */
import path from 'node:path';
import { LatentkitError, type Rng, tf, writeFileAtomic } from '@latentkit/core';
import { type ColumnTransform, encodeNpy } from '@latentkit/data';
import { type Model, type TabularColumn, decoderInput, isNumericCondition, sampleCodes, sampleTabularCells } from '@latentkit/models';
import { stringify } from 'csv-stringify/sync';
import { delimiterFor, float32Text } from '../io/table-file.js';
import { readRunPreprocessing } from './run-folder.js';

/** Rows in original units [n, columns]: numbers un-standardised, category cells as their index. */
function originalUnits(columns: readonly ColumnTransform[], cells: Float32Array, n: number): Float64Array {
  const w = columns.length;
  const out = new Float64Array(n * w);
  for (let r = 0; r < n; r++) {
    columns.forEach((c, j) => {
      const v = cells[r * w + j] as number;
      out[r * w + j] = c.type === 'numeric' ? v * c.std + c.mean : v;
    });
  }
  return out;
}

function cellText(c: ColumnTransform, v: number): string {
  if (c.type === 'numeric') return float32Text(v);
  // The unknown slot stands for categories training never saw: it has no name to write.
  return c.categories[v] ?? '';
}

/**
 * Draws `n` rows; `values` is the condition per row (class index or raw number) for a conditional model, else
 * undefined. `out` is the file (default <run>/samples.csv); `log` tells what was written. Returns the files written.
 */
export function writeTableSamples(
  runDir: string,
  model: Model,
  n: number,
  rng: Rng,
  values: readonly number[] | undefined,
  { out, log }: { out?: string; log: (line: string) => void },
): string[] {
  const pre = readRunPreprocessing(runDir);
  if (!pre) throw new LatentkitError('FILE_NOT_FOUND', `${runDir}: the run has no preprocessing.json; it was not trained on a table`, { file: runDir });
  const columns = pre.toJSON().columns;
  const modelColumns = (model.config as { columns?: readonly TabularColumn[] }).columns ?? [];
  if (modelColumns.length !== columns.length || modelColumns.some((c, j) => c.name !== columns[j]?.name)) {
    throw new LatentkitError('PARSE_ERROR', `${runDir}: preprocessing.json's columns are not the model's (${modelColumns.map((c) => c.name).join(', ')})`, {
      file: runDir,
    });
  }
  const codes = sampleCodes(model, n, rng);
  const inputs = decoderInput(model, codes, values);
  codes.dispose();
  let params: Float32Array;
  try {
    params = tf.tidy(() => model.decode(inputs, undefined, { mode: 'infer' }).dataSync() as Float32Array);
  } finally {
    inputs.dispose();
  }
  const cells = sampleTabularCells(modelColumns, params, n, rng);
  const rows = originalUnits(columns, cells, n);
  const condition = model.config.condition;
  const usedValues = condition ? (values ?? []) : undefined;
  const conditionText = (r: number): string => {
    if (!condition || !usedValues) return '';
    const v = usedValues[r] as number;
    return isNumericCondition(condition) ? float32Text(v) : (condition.names?.[v] ?? String(v));
  };
  const header = [...columns.map((c) => c.name), ...(condition ? [condition.source] : [])];
  const lines: string[][] = [header];
  const w = columns.length;
  for (let r = 0; r < n; r++) lines.push([...columns.map((c, j) => cellText(c, rows[r * w + j] as number)), ...(condition ? [conditionText(r)] : [])]);
  const target = out ?? path.join(runDir, 'samples.csv');
  const npy = target.toLowerCase().endsWith('.npy') ? target : undefined;
  const csv = npy ? npy.replace(/\.npy$/i, '.csv') : target;
  writeFileAtomic(csv, stringify(lines, { delimiter: delimiterFor(csv) }));
  log(`wrote ${n} sampled rows to ${path.resolve(csv)}`);
  if (!npy) return [csv];
  writeFileAtomic(npy, encodeNpy(Float32Array.from(rows), [n, w]));
  log(`wrote the rows as numbers [${n}, ${w}] (categories as their index) to ${path.resolve(npy)}`);
  return [csv, npy];
}
