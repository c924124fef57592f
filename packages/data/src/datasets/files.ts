/**
 * The user's own files as a dataset kind: `--data my.csv` (or a folder of images, an IDX file, a text file). The
 * format comes from the path (or `format`); one file is split into seeded train / valid / test parts, and whatever
 * is fitted on the data (standardisation, category lists, vocabularies) is fitted on the training part only.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LatentkitError, isLatentkitError, parseError } from '@latentkit/core/base';
import { schemas, z } from '@latentkit/core/schema';
import { DATA_FORMATS, type DataFormat, type TableFormat, TABLE_FORMATS, detectFormat, readTable } from '../formats/detect.js';
import { ndarrayTable } from '../formats/ndarray.js';
import { readImageFolder } from '../images/folder.js';
import { parseIdxArray } from '../images/idx-array.js';
import type { ImageSet } from '../images/image-set.js';
import { readMaybeGzipped } from '../io.js';
import { bowFromText, bowVocabulary } from '../text/lines.js';
import { type TokenizedText, TextCorpus, readTokenizedText } from '../text/corpus.js';
import { SPECIAL_TOKENS, Vocabulary } from '../text/vocabulary.js';
import type { ColumnsConfig } from '../tabular/types.js';
import type { DatasetKind } from './kind.js';
import type { DataSpec, LoadedData } from './loaded.js';
import { bowData, imageData, textData } from './splits.js';
import { streamedTableData } from './streamed-table-data.js';
import { tableData, threeWaySplit } from './table-data.js';

const columnEntry = z.union([
  z.enum(['numeric', 'categorical', 'binary', 'ignore', 'label', 'id']),
  z.strictObject({
    type: z.enum(['numeric', 'categorical', 'binary']).optional(),
    role: z.enum(['feature', 'label', 'id', 'ignore']).optional(),
    categories: z.array(z.string()).min(1).optional(),
  }),
]);

/** The reading options of a user's file; which of them apply depends on the format. */
export const fileOptionsSchema = z.strictObject({
  /** Tables: per-column type or role (`{"Time": "categorical", "Date": "ignore"}`), as `--columns cfg.json` holds. */
  columns: z.record(z.string(), columnEntry).optional(),
  /** Tables: cell values that mean "missing" besides empty, NA and NaN (`-200` in the Air Quality file). */
  missing: z.array(z.union([z.string(), z.number()])).optional(),
  labelColumn: z.string().min(1).optional(),
  idColumn: z.string().min(1).optional(),
  ignoreColumns: z.array(z.string().min(1)).optional(),
  /** CSV: the field delimiter (default: detected from the header). */
  delimiter: z.string().length(1).optional(),
  /** CSV: the decimal mark; `auto` accepts both when the delimiter is not a comma. */
  decimal: z.enum(['.', ',', 'auto']).optional(),
  /** Tables: a text column with more distinct values is skipped unless declared. */
  maxCategories: schemas.positiveInt().optional(),
  /** `.mat`: the variables holding the features and the labels (default X and y). */
  matVariables: z.strictObject({ x: z.string().optional(), y: z.string().optional() }).optional(),
  /** Image folders: the output size, a side or [height, width] (default: the first image's). */
  imageSize: z.union([schemas.positiveInt(), z.tuple([schemas.positiveInt(), schemas.positiveInt()])]).optional(),
  /** Image folders: 1 (grey) or 3 (RGB); default 3 when any image has colour. */
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  /** Text: words kept, by decreasing training count (the reserved tokens are extra). */
  vocabSize: schemas.positiveInt().optional(),
  /** Text: words seen fewer times in the training part become `<unk>` (sentences) or are dropped (bow). */
  minCount: schemas.positiveInt().optional(),
  /**
   * CSV/TSV: read in batches on every pass instead of into memory (a hashed split, see streamed-table-data.ts);
   * `auto` streams files over 1 GiB.
   */
  stream: z.union([z.boolean(), z.literal('auto')]).default('auto'),
  /** Text: sentences longer than this many words are cut to it (default: derived from the file, with a warning). */
  maxLength: schemas.positiveInt().optional(),
  /** Text: each line as a token sequence (`sentences`, for text-vae) or as a bag of words (`bow`, for bow-vae). */
  text: z.enum(['sentences', 'bow']).default('sentences'),
});

export type FileOptions = z.output<typeof fileOptionsSchema>;

function formatOf(spec: DataSpec): DataFormat {
  const path = spec.path as string;
  if (spec.format === undefined) return detectFormat(path);
  if (!(DATA_FORMATS as readonly string[]).includes(spec.format)) {
    throw new LatentkitError('INVALID_CONFIG', `data.format: expected one of ${DATA_FORMATS.join(', ')}, got ${JSON.stringify(spec.format)}`, {
      path: 'data.format',
    });
  }
  return spec.format as DataFormat;
}

/** A CSV/TSV file over this size is streamed when `stream` is `auto`: in memory it would take about twice its size. */
export const STREAM_THRESHOLD_BYTES = 2 ** 30;

function streams(path: string, format: TableFormat, o: FileOptions): boolean {
  const csv = format === 'csv' || format === 'tsv';
  if (o.stream === true && !csv)
    throw new LatentkitError('INVALID_CONFIG', `data.options.stream: only CSV/TSV files can be streamed, and ${path} is ${format}`, {
      path: 'data.options.stream',
    });
  // A gzip file is inflated whole, so streaming it would not bound the memory.
  return csv && o.stream !== false && !/\.gz$/i.test(path) && (o.stream === true || statSync(path).size > STREAM_THRESHOLD_BYTES);
}

async function loadTableFile(spec: DataSpec, format: TableFormat, o: FileOptions): Promise<LoadedData> {
  const path = spec.path as string;
  const options = {
    ...(o.columns && { columns: o.columns as ColumnsConfig }),
    ...(o.missing && { missing: o.missing }),
    ...(o.labelColumn && { labelColumn: o.labelColumn }),
    ...(o.idColumn && { idColumn: o.idColumn }),
    ...(o.ignoreColumns && { ignoreColumns: o.ignoreColumns }),
    ...(o.delimiter && { delimiter: o.delimiter }),
    ...(o.decimal && { decimal: o.decimal }),
    ...(o.maxCategories && { maxCategories: o.maxCategories }),
    ...(o.matVariables && { matVariables: o.matVariables }),
  };
  if (streams(path, format, o)) return streamedTableData(spec, path, options);
  return tableData(spec, await readTable(path, { format, ...options }));
}

/** The MNIST layout's label file next to an image file (`…-images-idx3-ubyte` → `…-labels-idx1-ubyte`), if present. */
function idxLabelFile(file: string): string | undefined {
  const name = basename(file).replace(/images-idx3-ubyte/, 'labels-idx1-ubyte');
  if (name === basename(file)) return undefined;
  const candidate = join(dirname(file), name);
  return existsSync(candidate) ? candidate : undefined;
}

/** An IDX file: rank 3 or 4 as images (bytes scaled to [0, 1]), rank 1 or 2 as a table. */
async function loadIdxFile(spec: DataSpec, o: FileOptions): Promise<LoadedData> {
  const file = spec.path as string;
  const array = parseIdxArray(await readMaybeGzipped(file), file);
  const [count = 0, rows = 1, cols = 1, channels = 1] = array.dims;
  if (array.dims.length <= 2) return tableData(spec, ndarrayTable(array, file, o as never));
  if (array.dims.length > 4)
    throw parseError(file, undefined, 'an IDX array of rank 1–2 (a table) or 3–4 (images [n, rows, cols, channels?])', `rank ${array.dims.length}`);
  const scale = array.dtype === 'uint8' ? 1 / 255 : 1;
  const pixels = Float32Array.from(array.data, (v) => v * scale);
  const labelFile = idxLabelFile(file);
  const labels = labelFile === undefined ? undefined : parseIdxArray(await readMaybeGzipped(labelFile), labelFile);
  if (labels !== undefined && labels.dims[0] !== count)
    throw parseError(labelFile as string, undefined, `${count} labels, one per image in ${file}`, `${labels.dims[0]}`);
  const set: ImageSet = { source: file, count, rows, cols, channels, pixels, ...(labels && { labels: Int32Array.from(labels.data) }) };
  return imageData(spec, set);
}

function subsetText(text: TokenizedText, indices: Int32Array): TokenizedText {
  return {
    file: text.file,
    sentences: Array.from(indices, (i) => text.sentences[i] as readonly string[]),
    ...(text.labels && { labels: indices.map((i) => text.labels?.[i] as number) }),
  };
}

/** One sentence (or document) per line: the lines split three ways, the vocabulary from the training lines only. */
async function loadTextFile(spec: DataSpec, o: FileOptions): Promise<LoadedData> {
  const text = await readTokenizedText(spec.path as string, { emptyLines: 'skip', ...(o.maxLength && { maxLength: o.maxLength }) });
  if (text.sentences.length === 0) throw parseError(spec.path as string, undefined, 'at least one line of text', 'none');
  const { train, valid, test } = threeWaySplit(text.sentences.length, spec);
  const [tr, va, te] = [train, valid, test].map((part) => subsetText(text, part)) as [TokenizedText, TokenizedText, TokenizedText];
  if (o.text === 'bow') {
    const vocabulary = bowVocabulary(tr, { ...(o.vocabSize && { vocabSize: o.vocabSize }), ...(o.minCount && { minCount: o.minCount }) });
    // bowData cuts validation out of the non-test documents with the same seeded split threeWaySplit used, so it
    // gets them all (in index order) and ends with the same training documents the vocabulary came from.
    const isTest = new Uint8Array(text.sentences.length);
    for (const i of test) isTest[i] = 1;
    const rest = Int32Array.from({ length: text.sentences.length }, (_, i) => i).filter((i) => isTest[i] === 0);
    return bowData(spec, bowFromText(subsetText(text, rest), vocabulary).corpus, bowFromText(te, vocabulary).corpus, vocabulary.words, {
      labelled: text.labels !== undefined,
    });
  }
  const vocabulary = Vocabulary.fromSentences(tr.sentences, {
    ...(o.vocabSize && { maxSize: o.vocabSize + SPECIAL_TOKENS.length }),
    ...(o.minCount && { minCount: o.minCount }),
  });
  const encode = (t: TokenizedText) => TextCorpus.encode(t, vocabulary);
  return textData(spec, { train: encode(tr), valid: encode(va), test: encode(te) }, vocabulary);
}

export const userFiles: DatasetKind = {
  name: 'files',
  summary: 'your own file or folder: CSV/TSV, JSON Lines, .npy, .mat, Arrow, Parquet, an image folder, IDX, text (one line each)',
  needsDataDir: false,
  optionsSchema: fileOptionsSchema as unknown as z.ZodType<Record<string, unknown>>,
  claims: (path, format) => {
    if (format !== undefined) return (DATA_FORMATS as readonly string[]).includes(format);
    try {
      detectFormat(path);
      return true;
    } catch (e) {
      // A path that is not there is the user's error to hear about, not "no kind reads it".
      if (isLatentkitError(e) && e.code === 'FILE_NOT_FOUND') throw e;
      return false;
    }
  },
  load: async (spec) => {
    if (spec.path === undefined)
      throw new LatentkitError('INVALID_CONFIG', 'data.path: the "files" dataset reads a file or folder; give its path', { path: 'data.path' });
    const o = fileOptionsSchema.parse(spec.options ?? {});
    const format = formatOf(spec);
    if ((TABLE_FORMATS as readonly string[]).includes(format)) return loadTableFile(spec, format as TableFormat, o);
    if (format === 'image-folder') {
      const size = o.imageSize === undefined ? undefined : typeof o.imageSize === 'number' ? o.imageSize : ([o.imageSize[0], o.imageSize[1]] as const);
      return imageData(spec, await readImageFolder(spec.path, { ...(size !== undefined && { size }), ...(o.channels && { channels: o.channels }) }));
    }
    if (format === 'idx') return loadIdxFile(spec, o);
    return loadTextFile(spec, o);
  },
};
