/** Batches of an in-memory table (raw or prepared), with the same TableBatch shape a CSV stream gives. */
import { type BatchOptions, batchPlan, walkPlan } from '../order.js';
import type { PreparedTable } from './preprocess.js';
import type { TableBatch } from './stream.js';
import type { Table } from './types.js';

/** Streams one epoch of batches of `table`'s rows (its label too, when it has one), from `options.offset` on. */
export function tableBatches(table: Table | PreparedTable, options: BatchOptions, label?: Table['label']): Generator<TableBatch, void, undefined> {
  const width = table.columns.length;
  const labels = label ?? ('label' in table ? table.label : undefined);
  const plan = batchPlan(table.rowCount, options);
  return walkPlan(plan, options.epoch ?? 0, options.offset ?? 0, (indices, info) => {
    const n = indices.length;
    const values = new Float32Array(n * width);
    const missing = new Uint8Array(n * width);
    indices.forEach((r, i) => {
      values.set(table.values.subarray(r * width, (r + 1) * width), i * width);
      missing.set(table.missing.subarray(r * width, (r + 1) * width), i * width);
    });
    return {
      size: n,
      width,
      values,
      missing,
      ...(labels && {
        labels: Float32Array.from(indices, (r) => labels.values[r] as number),
        labelMissing: Uint8Array.from(indices, (r) => labels.missing[r] as number),
      }),
      rows: Float64Array.from(indices),
      position: info.position,
      batchesInEpoch: info.batchesInEpoch,
    };
  });
}
