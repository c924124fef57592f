/**
 * `LoadedData` from one in-memory table: a seeded test split, then validation out of the rest (as for one set of
 * images), and preprocessing fitted on the training rows only, so no statistic of a held-out row leaks into the
 * standardisation or the category lists.
 */
import { LatentkitError } from '@latentkit/core/base';
import { shuffled, splitTrainValid } from '../order.js';
import { tableBatches } from '../tabular/batches.js';
import { Preprocessing, type PreparedTable } from '../tabular/preprocess.js';
import type { TableBatch } from '../tabular/stream.js';
import type { ColumnSchema, Table } from '../tabular/types.js';
import type { DataSpec, LabelledBatch, LoadedData } from './loaded.js';
import { normalLabelCodes, normalMask, normalSplit } from './normal-split.js';

/** The seeded three-way split of `count` examples that every single-file dataset uses. */
export function threeWaySplit(count: number, spec: DataSpec): { train: Int32Array; valid: Int32Array; test: Int32Array } {
  const { train: rest, valid: test } = splitTrainValid(count, { validFraction: spec.testFraction, seed: `${spec.seed}:test` });
  const split = splitTrainValid(rest.length, { validFraction: spec.validFraction, seed: `${spec.seed}:valid` });
  let train: Int32Array = split.train.map((i) => rest[i] as number);
  if (spec.limit !== undefined && spec.limit < train.length) train = shuffled(train, `${spec.seed}:limit`).subarray(0, spec.limit).sort();
  return { train, valid: split.valid.map((i) => rest[i] as number), test };
}

/** The shape a model reads: the prepared columns, with a categorical column's categories those seen in training. */
export function tableShape(pre: Preprocessing): { kind: 'table'; columns: ColumnSchema[] } {
  return {
    kind: 'table',
    columns: pre.columns.map((c) => (c.type === 'numeric' ? { name: c.name, type: 'numeric' } : { name: c.name, type: c.type, categories: [...c.categories] })),
  };
}

/** Table batches with their label column as labels, when the table has one. */
export function labelledTable(batches: Iterable<TableBatch>): Iterable<LabelledBatch<TableBatch>> {
  return (function* () {
    for (const batch of batches) yield { batch, ...(batch.labels && { labels: batch.labels }) };
  })();
}

export function tableData(spec: DataSpec, table: Table, options: { readonly onWarning?: (message: string) => void } = {}): LoadedData<TableBatch> {
  if (table.columns.length === 0) {
    throw new LatentkitError(
      'PARSE_ERROR',
      `${table.source}: expected at least one feature column, got none (skipped: ${table.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ') || 'none'})`,
      {
        file: table.source,
      },
    );
  }
  const normalLabels = spec.normal ? normalLabelCodes(table.label, spec.normal, table.source) : undefined;
  const { train, valid, test } = normalLabels
    ? normalSplit(normalMask(table.label?.values ?? [], table.label?.missing, normalLabels), spec)
    : threeWaySplit(table.rowCount, spec);
  if (train.length === 0)
    throw new LatentkitError(
      'PARSE_ERROR',
      `${table.source}: expected training rows after the test and validation splits, got none of ${table.rowCount} rows`,
      { file: table.source },
    );
  const pre = Preprocessing.fit(table, train);
  const prepared: PreparedTable = pre.apply(table, options);
  const label = table.label;
  const ordered = (subset: Int32Array, batchSize: number) => tableBatches(prepared, { batchSize, subset, shuffle: false, seed: 0 }, label);
  return {
    spec,
    shape: tableShape(pre),
    counts: { train: train.length, valid: valid.length, test: test.length },
    ...(label?.schema.categories && { labelNames: [...label.schema.categories] }),
    ...(label && { labelColumn: { name: label.schema.name, type: label.schema.type } }),
    preprocessing: pre.toJSON(),
    ...(normalLabels && { normalLabels }),
    trainData: (batchSize, seed) => ({
      batchesPerEpoch: Math.ceil(train.length / batchSize),
      batches: (epoch, offset) => tableBatches(prepared, { batchSize, seed, epoch, offset, subset: train }, label),
    }),
    valid: (batchSize) => () => ordered(valid, batchSize),
    labelled: (which, batchSize) => labelledTable(ordered(which === 'train' ? train : test, batchSize)),
    preview: (n) => {
      const from = test.length > 0 ? test : train;
      for (const batch of tableBatches(prepared, { batchSize: n, subset: from, seed: `${spec.seed}:preview` }, label))
        return { batch, ...(batch.labels && { labels: batch.labels }) };
      throw new LatentkitError('INVALID_ARGUMENT', `the test split of ${spec.name} is empty`);
    },
  };
}
