/**
 * `LoadedData` from a CSV file read in batches, for files larger than memory: one pass types the columns and counts
 * the parts of a seeded hashed split, one more fits the preprocessing on the training part, then every epoch and
 * every held-out pass streams the file again. Memory stays at the shuffle buffer and one batch whatever the size.
 *
 * The split differs from the in-memory one (a seeded permutation of row indices, which needs the row count and an
 * index list): here a row's part is a hash of (seed, row), so the shares are binomial around the fractions asked for.
 */
import { LatentkitError } from '@latentkit/core/base';
import type { CsvOptions } from '../tabular/csv.js';
import { type CsvStreamOptions, type RowSplit, type TableBatch, openCsvStream, scanCsvParts } from '../tabular/stream.js';
import type { DataSpec, LoadedData } from './loaded.js';
import { labelledTable, tableShape } from './table-data.js';

export function streamedTableData(spec: DataSpec, file: string, options: CsvOptions): LoadedData<TableBatch> {
  const split = { validFraction: spec.validFraction, testFraction: spec.testFraction, seed: spec.seed } satisfies Omit<RowSplit, 'part'>;
  const scan = scanCsvParts(file, { ...options, split });
  if (scan.layout.features.length === 0) throw new LatentkitError('PARSE_ERROR', `${file}: expected at least one feature column, got none`, { file });
  if (scan.counts.train === 0)
    throw new LatentkitError('PARSE_ERROR', `${file}: expected training rows after the test and validation splits, got none`, { file });
  const stream = (part: RowSplit['part'], extra: Partial<CsvStreamOptions> & { batchSize: number }) =>
    openCsvStream(file, {
      ...options,
      seed: spec.seed,
      scan,
      split: { ...split, part },
      ...(part === 'train' && spec.limit !== undefined && { maxRows: spec.limit }),
      ...extra,
    });
  const pre = stream('train', { batchSize: 1, shuffleBuffer: 1 }).fitPreprocessing();
  /** A part in file order, put through the training preprocessing. */
  const ordered = (part: RowSplit['part'], batchSize: number) => stream(part, { batchSize, shuffleBuffer: 1, preprocessing: pre }).batches(0, 0);
  const label = scan.layout.label;
  const train = Math.min(scan.counts.train, spec.limit ?? Number.POSITIVE_INFINITY);
  return {
    spec,
    shape: tableShape(pre),
    counts: { train, valid: scan.counts.valid, test: scan.counts.test },
    preprocessing: pre.toJSON(),
    ...(label?.schema.categories && { labelNames: [...label.schema.categories] }),
    ...(label && { labelColumn: { name: label.schema.name, type: label.schema.type } }),
    trainData: (batchSize, seed) => {
      // The shuffle follows the run's seed; the split stays the data spec's, so every run sees the same parts.
      const s = stream('train', { batchSize, seed, preprocessing: pre });
      return { batchesPerEpoch: s.batchesPerEpoch, batches: (epoch, offset) => s.batches(epoch, offset) };
    },
    valid: (batchSize) => () => ordered('valid', batchSize),
    labelled: (which, batchSize) => labelledTable(ordered(which, batchSize)),
    preview: (n) => {
      const from = scan.counts.test > 0 ? 'test' : 'train';
      for (const batch of ordered(from, n)) return { batch, ...(batch.labels && { labels: batch.labels }) };
      throw new LatentkitError('INVALID_ARGUMENT', `the ${from} split of ${file} is empty`);
    },
  };
}
