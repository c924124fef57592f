/**
 * A CSV file larger than memory as a trainer's data source: one pass to type the columns and count the rows, then
 * each epoch streams the file through a seeded shuffle buffer and cuts it into batches.
 *
 * The shuffle is the one tf.data uses: a buffer of `shuffleBuffer` rows; each new row replaces a uniformly chosen
 * buffered row, which goes to the batch; at the end of the file the rest leave in a random order. The draws come
 * from the epoch's own RNG stream (`epochRng(seed, epoch)`), so an epoch's order is a pure function of
 * (seed, epoch), and resuming at (epoch, offset) replays the epoch and skips the first `offset` batches.
 *
 * Memory: the buffer, one batch, and the parser's 8 MB piece, whatever the file size.
 */
import { check, checkPositiveInt } from '@latentkit/core/base';
import { type EpochPosition, epochRng } from '../order.js';
import { scanRows } from './build.js';
import { type CsvOptions, openCsv } from './csv.js';
import { RowDecoder, type TableLayout } from './infer.js';
import { type ColumnTransform, Preprocessing } from './preprocess.js';
import type { ColumnSchema } from './types.js';

export interface CsvStreamOptions extends CsvOptions {
  readonly batchSize: number;
  /** Seed of the shuffle (and of the split). */
  readonly seed: number | string;
  /** Rows held for shuffling; 1 keeps the file order. Default 10,000. */
  readonly shuffleBuffer?: number;
  /** Leave out a last batch smaller than `batchSize`. Default false. */
  readonly dropLast?: boolean;
  /**
   * Keep one part of a seeded row split: row r is in `test` when a hash of (split seed, r) falls below
   * `testFraction`, in `valid` when it falls below `testFraction + validFraction`, else in `train`. Each row's part
   * depends only on its index, so the split needs no index list in memory.
   */
  readonly split?: RowSplit;
  /** Keep only the first `maxRows` rows of the part, in file order (a quick run on a large file). */
  readonly maxRows?: number;
  /** The file's layout from an earlier `scanCsvParts` with the same options, so the scan pass is not repeated. */
  readonly scan?: CsvPartsScan;
  /** Applied to every batch (fit it with `fitPreprocessing()` on the train part). */
  readonly preprocessing?: Preprocessing;
}

export interface RowSplit {
  readonly validFraction: number;
  /** Default 0: two parts. */
  readonly testFraction?: number;
  readonly part: 'train' | 'valid' | 'test';
  /** Seed of the split hash; default the stream's `seed` (give it apart when the shuffle seed varies per run). */
  readonly seed?: number | string;
}

/** One scan pass over a CSV: its layout and the rows of each part of a split. */
export interface CsvPartsScan {
  readonly file: string;
  readonly layout: TableLayout;
  readonly delimiter: string;
  readonly counts: { readonly train: number; readonly valid: number; readonly test: number };
}

export interface TableBatch {
  readonly size: number;
  /** Columns per row: the table's feature columns, or the preprocessing's. */
  readonly width: number;
  /** [size, width] row-major; 0 where missing. */
  readonly values: Float32Array;
  readonly missing: Uint8Array;
  /** The rows' labels when the file has a label column (0 where missing, see `labelMissing`). */
  readonly labels?: Float32Array;
  readonly labelMissing?: Uint8Array;
  /** The rows' 0-based indices among the file's data rows. */
  readonly rows: Float64Array;
  /** The position after this batch: pass it back as (epoch, offset) to resume from the next one. */
  readonly position: EpochPosition;
  readonly batchesInEpoch: number;
}

/** The shape of the trainer's `TrainData`: batches of an epoch from an offset, and their number. */
export interface CsvStream {
  readonly file: string;
  readonly layout: TableLayout;
  /** Feature columns of the file (before preprocessing). */
  readonly columns: readonly ColumnSchema[];
  /** Data rows in the part streamed (all rows without `split`). */
  readonly rowCount: number;
  readonly batchesPerEpoch: number;
  batches(epoch: number, offset: number): Iterable<TableBatch>;
  /** Fits standardisation and category maps on the rows of this stream's part, in one pass in file order. */
  fitPreprocessing(): Preprocessing;
}

function seedHash(seed: number | string): number {
  let h = 0x811c9dc5;
  for (const ch of String(seed)) h = Math.imul(h ^ (ch.codePointAt(0) as number), 0x01000193);
  return h >>> 0;
}

/** A uniform number in [0, 1) from (seed hash, row), by a 32-bit integer mix (murmur3's finaliser). */
function rowUniform(seed: number, row: number): number {
  let h = (seed ^ Math.imul(row, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

type Part = RowSplit['part'];

function checkSplit(split: RowSplit): void {
  const test = split.testFraction ?? 0;
  check(split.validFraction >= 0 && split.validFraction < 1, 'split.validFraction', 'a number in [0, 1)', split.validFraction);
  check(test >= 0 && test < 1, 'split.testFraction', 'a number in [0, 1)', split.testFraction);
  check(
    split.validFraction + test > 0 && split.validFraction + test < 1,
    'split',
    'validFraction + testFraction strictly between 0 and 1',
    split.validFraction + test,
  );
  check(['train', 'valid', 'test'].includes(split.part), 'split.part', '"train", "valid" or "test"', split.part);
}

/** The part of row r under a split (every row is in `train` without one). */
function partOf(split: Omit<RowSplit, 'part'> | undefined, seed: number | string): (r: number) => Part {
  if (split === undefined) return () => 'train';
  const h = seedHash(`${split.seed ?? seed}:split`);
  const test = split.testFraction ?? 0;
  const valid = test + split.validFraction;
  return (r) => {
    const u = rowUniform(h, r);
    return u < test ? 'test' : u < valid ? 'valid' : 'train';
  };
}

/**
 * Scans a CSV once for its layout and the number of rows in each part of `split`, so the streams of every part
 * (and every batch size) can open without scanning again.
 */
export function scanCsvParts(file: string, options: CsvOptions & { readonly split: Omit<RowSplit, 'part'>; readonly seed?: number | string }): CsvPartsScan {
  checkSplit({ ...options.split, part: 'train' });
  const part = partOf(options.split, options.seed ?? 1);
  const csv = openCsv(file, options);
  const counts = { train: 0, valid: 0, test: 0 };
  const counted = function* () {
    let r = 0;
    for (const row of csv.rows()) {
      counts[part(r++)]++;
      yield row;
    }
  };
  const { layout } = scanRows(file, csv.names, counted, options, csv.delimiter);
  return { file, layout, delimiter: csv.delimiter, counts };
}

export function openCsvStream(file: string, options: CsvStreamOptions): CsvStream {
  const { batchSize, seed, shuffleBuffer = 10_000, dropLast = false, split, preprocessing, maxRows } = options;
  checkPositiveInt(batchSize, 'batchSize');
  checkPositiveInt(shuffleBuffer, 'shuffleBuffer');
  if (maxRows !== undefined) checkPositiveInt(maxRows, 'maxRows');
  check(seed !== undefined, 'seed', 'a number or string', seed);
  if (split !== undefined) checkSplit(split);
  const part = partOf(split, seed);
  const wanted: Part = split?.part ?? 'train';
  const csv = openCsv(file, { ...options, ...(options.scan && { delimiter: options.scan.delimiter }) });
  let layout: TableLayout;
  let partRows: number;
  if (options.scan !== undefined) {
    check(options.scan.file === file, 'scan', `a scan of ${file}`, options.scan.file);
    layout = options.scan.layout;
    partRows = options.scan.counts[wanted];
  } else {
    let kept = 0;
    const counted = function* () {
      let r = 0;
      for (const row of csv.rows()) {
        if (part(r++) === wanted) kept++;
        yield row;
      }
    };
    layout = scanRows(file, csv.names, counted, options, csv.delimiter).layout;
    partRows = kept;
  }
  const rowCount = maxRows === undefined ? partRows : Math.min(maxRows, partRows);
  const columns = layout.features.map((f) => f.schema);
  const width = columns.length;
  const outColumns: readonly (ColumnSchema | ColumnTransform)[] = preprocessing?.columns ?? columns;
  const outWidth = outColumns.length;
  const batchesPerEpoch = dropLast ? Math.floor(rowCount / batchSize) : Math.ceil(rowCount / batchSize);
  const hasLabel = layout.label !== undefined;

  /** The part's rows in file order, decoded into `slot` of the given arrays. */
  function* decodedRows(values: Float32Array, missing: Uint8Array, labels: Float32Array, labelMissing: Uint8Array, rows: Float64Array, slot: () => number) {
    const decoder = new RowDecoder(layout, options, csv.delimiter);
    let r = 0;
    let taken = 0;
    for (const { cells, place } of csv.rows()) {
      const index = r++;
      if (part(index) !== wanted) continue;
      if (taken++ === rowCount) return;
      const s = slot();
      decoder.decode(cells, place, values, missing, s);
      if (hasLabel) {
        const v = decoder.label(cells, place);
        labels[s] = Number.isNaN(v) ? 0 : v;
        labelMissing[s] = Number.isNaN(v) ? 1 : 0;
      }
      rows[s] = index;
      yield s;
    }
  }

  function* batches(epoch: number, offset: number): Generator<TableBatch> {
    check(Number.isInteger(offset) && offset >= 0 && offset <= batchesPerEpoch, 'offset', `an integer in [0, ${batchesPerEpoch}]`, offset);
    const rng = epochRng(seed, epoch);
    const cap = Math.min(shuffleBuffer, Math.max(rowCount, 1));
    const buf = {
      values: new Float32Array(cap * width),
      missing: new Uint8Array(cap * width),
      labels: new Float32Array(cap),
      labelMissing: new Uint8Array(cap),
      rows: new Float64Array(cap),
    };
    const mapper = preprocessing?.mapper(columns, file);
    let filled = 0;
    let nextSlot = 0;
    let emitted = 0;
    let batch: ReturnType<typeof newBatch> | undefined;
    const skipRows = offset * batchSize;
    function newBatch(size: number) {
      return {
        values: new Float32Array(size * outWidth),
        missing: new Uint8Array(size * outWidth),
        labels: new Float32Array(size),
        labelMissing: new Uint8Array(size),
        rows: new Float64Array(size),
        n: 0,
      };
    }
    /** Sends buffered row `s` to the current batch (or drops it while skipping to `offset`); returns a full batch. */
    const emit = (s: number): TableBatch | undefined => {
      const k = emitted++;
      if (k < skipRows) return undefined;
      const b = Math.floor(k / batchSize);
      if (b >= batchesPerEpoch) return undefined;
      if (batch === undefined) batch = newBatch(Math.min(batchSize, rowCount - b * batchSize));
      const i = batch.n++;
      if (mapper !== undefined) mapper(buf.values, buf.missing, s * width, batch.values, batch.missing, i * outWidth);
      else {
        batch.values.set(buf.values.subarray(s * width, (s + 1) * width), i * width);
        batch.missing.set(buf.missing.subarray(s * width, (s + 1) * width), i * width);
      }
      batch.labels[i] = buf.labels[s] as number;
      batch.labelMissing[i] = buf.labelMissing[s] as number;
      batch.rows[i] = buf.rows[s] as number;
      if (batch.n < batch.rows.length) return undefined;
      const done = batch;
      batch = undefined;
      return {
        size: done.n,
        width: outWidth,
        values: done.values,
        missing: done.missing,
        ...(hasLabel && { labels: done.labels, labelMissing: done.labelMissing }),
        rows: done.rows,
        position: { epoch, offset: b + 1 },
        batchesInEpoch: batchesPerEpoch,
      };
    };
    // A new row goes to a free slot while the buffer fills, then to the slot of the row it pushes out.
    const slot = () => nextSlot;
    for (const _ of decodedRows(buf.values, buf.missing, buf.labels, buf.labelMissing, buf.rows, slot)) {
      if (filled < cap) filled++;
      if (filled < cap) {
        nextSlot = filled;
        continue;
      }
      // The buffer is full: a uniformly drawn row leaves, and its slot takes the next row.
      const out = rng.int(cap);
      const full = emit(out);
      nextSlot = out;
      if (full) yield full;
      if (emitted >= batchesPerEpoch * batchSize) return;
    }
    // End of the file: the buffered rows leave in a random order. The slot the next row would have used is free.
    const free = filled === cap && rowCount >= cap ? nextSlot : -1;
    const rest = Int32Array.from({ length: filled }, (_, i) => i).filter((i) => i !== free);
    for (const i of rng.permutation(rest.length)) {
      const full = emit(rest[i] as number);
      if (full) yield full;
    }
  }

  function fitPreprocessing(): Preprocessing {
    const n = new Float64Array(width);
    const mean = new Float64Array(width);
    const m2 = new Float64Array(width);
    const used = columns.map((c) => new Uint8Array(c.categories?.length ?? 0));
    const values = new Float32Array(width);
    const missing = new Uint8Array(width);
    const scratch = { l: new Float32Array(1), lm: new Uint8Array(1), r: new Float64Array(1) };
    for (const _ of decodedRows(values, missing, scratch.l, scratch.lm, scratch.r, () => 0)) {
      for (let j = 0; j < width; j++) {
        if (missing[j] === 1) continue;
        const x = values[j] as number;
        if (columns[j]?.type !== 'numeric') {
          (used[j] as Uint8Array)[x] = 1;
          continue;
        }
        n[j] = (n[j] as number) + 1;
        const d = x - (mean[j] as number);
        mean[j] = (mean[j] as number) + d / (n[j] as number);
        m2[j] = (m2[j] as number) + d * (x - (mean[j] as number));
      }
    }
    const transforms = columns.map((c, j): ColumnTransform => {
      if (c.type === 'binary') return { name: c.name, type: 'binary', categories: [...(c.categories ?? [])] as [string, string] };
      if (c.type === 'categorical') return { name: c.name, type: 'categorical', categories: (c.categories ?? []).filter((_, i) => used[j]?.[i] === 1) };
      const count = n[j] as number;
      const std = count > 1 ? Math.sqrt((m2[j] as number) / count) : 0;
      return { name: c.name, type: 'numeric', mean: count > 0 ? (mean[j] as number) : 0, std: std > 0 ? std : 1 };
    });
    return Preprocessing.fromJSON({ format: 'latentkit-preprocessing', version: 1, columns: transforms });
  }

  return { file, layout, columns, rowCount, batchesPerEpoch, batches: (epoch, offset) => batches(epoch, offset), fitPreprocessing };
}
