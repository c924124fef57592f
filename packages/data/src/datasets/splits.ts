/**
 * `LoadedData` from the three kinds of corpus: the seeded splits and the batches each split gives. A split of a
 * dataset without its own valid/test files is a pure function of the spec's seed.
 */
import { LatentkitError } from '@latentkit/core/base';
import { type BowBatch, bowBatches } from '../bow/batches.js';
import type { BowCorpus } from '../bow/corpus.js';
import { readImageFolder } from '../images/folder.js';
import { type ImageBatch, type ImageSet, imageBatches } from '../images/image-set.js';
import { shuffled, splitTrainValid } from '../order.js';
import { type TextBatch, textBatches } from '../text/batches.js';
import { TextCorpus, type TokenizedText, readTokenizedText } from '../text/corpus.js';
import { bowFromText } from '../text/lines.js';
import { Vocabulary } from '../text/vocabulary.js';
import { bowEpochs, imageEpochs, textEpochs } from './epochs.js';
import type { DataSpec, LabelledBatch, LoadedData } from './loaded.js';
import { normalMask, normalSplit } from './normal-split.js';

function firstOf<T>(items: Iterable<T>, what: string): T {
  for (const item of items) return item;
  throw new LatentkitError('INVALID_ARGUMENT', `${what} is empty`);
}

/** A seeded random `limit` of the indices, in their stored order: stored order can be sorted by label (the bundled digits are). */
function take(indices: Int32Array, limit: number | undefined, seed: number | string): Int32Array {
  if (limit === undefined || limit >= indices.length) return indices;
  return shuffled(indices, `${seed}:limit`).subarray(0, limit).sort();
}

/** The first `limit` sentences (PTB's order is the corpus order, so this keeps whole articles). */
export function firstSentences(corpus: TextCorpus, limit: number | undefined): TextCorpus {
  if (limit === undefined || limit >= corpus.size) return corpus;
  const offsets = corpus.offsets.subarray(0, limit + 1);
  return new TextCorpus(corpus.tokens.subarray(0, offsets[limit]), offsets, corpus.labels?.subarray(0, limit));
}

function labelled<B extends { readonly labels?: ArrayLike<number> }>(batches: Iterable<B>): Iterable<LabelledBatch<B>> {
  return (function* () {
    for (const batch of batches) yield { batch, labels: batch.labels };
  })();
}

/** New images for a run on `set`'s kind of images: a folder, resized to the training size and channels. */
function imageInput(set: ImageSet): NonNullable<LoadedData<ImageBatch>['readInput']> {
  return async (file, batchSize) => {
    const read = await readImageFolder(file, { size: [set.rows, set.cols], channels: (set.channels ?? 1) as 1 | 3 });
    return labelled(imageBatches(read, { batchSize, shuffle: false }));
  };
}

function unlabelled<B>(batches: Iterable<B>): Iterable<LabelledBatch<B>> {
  return (function* () {
    for (const batch of batches) yield { batch };
  })();
}

/** One set of images: a seeded test split first, then validation out of the rest. */
export function imageData(spec: DataSpec, set: ImageSet): LoadedData<ImageBatch> {
  if (spec.normal) return normalImageData(spec, set);
  const { train: rest, valid: test } = splitTrainValid(set.count, { validFraction: spec.testFraction, seed: `${spec.seed}:test` });
  const split = splitTrainValid(rest.length, { validFraction: spec.validFraction, seed: `${spec.seed}:valid` });
  const train = take(
    split.train.map((i) => rest[i] as number),
    spec.limit,
    spec.seed,
  );
  const valid = split.valid.map((i) => rest[i] as number);
  return imageSubsetsData(spec, set, { train, valid, test });
}

/** Labelled images with `spec.normal`: train and validation from the normal digits only (see normal-split.ts). */
function normalImageData(spec: DataSpec, set: ImageSet): LoadedData<ImageBatch> {
  if (!set.labels) throw new LatentkitError('INVALID_CONFIG', `data.normal needs labelled images; ${set.source} has no labels`, { path: 'data.normal' });
  const normalLabels = (spec.normal ?? []).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n))
      throw new LatentkitError('INVALID_CONFIG', `data.normal: image labels are integers, got ${JSON.stringify(v)}`, { path: 'data.normal' });
    return n;
  });
  const split = normalSplit(normalMask(set.labels, undefined, normalLabels), spec);
  return { ...imageSubsetsData(spec, set, { ...split, train: take(split.train, spec.limit, spec.seed) }), normalLabels };
}

function imageSubsetsData(
  spec: DataSpec,
  set: ImageSet,
  { train, valid, test }: { train: Int32Array; valid: Int32Array; test: Int32Array },
): LoadedData<ImageBatch> {
  const batchesOf = (subset: Int32Array, batchSize: number) => imageBatches(set, { batchSize, subset, shuffle: false });
  return {
    spec,
    shape: { kind: 'image', height: set.rows, width: set.cols, channels: set.channels ?? 1 },
    counts: { train: train.length, valid: valid.length, test: test.length },
    ...(set.classes && { labelNames: [...set.classes] }),
    trainData: (batchSize, seed) => imageEpochs(set, { batchSize, seed, subset: train }),
    valid: (batchSize) => () => batchesOf(valid, batchSize),
    labelled: (which, batchSize) => labelled(batchesOf(which === 'train' ? train : test, batchSize)),
    preview: (n) => {
      const batch = firstOf(imageBatches(set, { batchSize: n, subset: test, seed: `${spec.seed}:preview` }), `the test split of ${spec.name}`);
      return { batch, labels: batch.labels };
    },
    readInput: imageInput(set),
  };
}

/** Images with their own test set (Fashion-MNIST): validation is a seeded share of the training images. */
export function imageSplitsData(spec: DataSpec, trainSet: ImageSet, testSet: ImageSet): LoadedData<ImageBatch> {
  const split = splitTrainValid(trainSet.count, { validFraction: spec.validFraction, seed: `${spec.seed}:valid` });
  const train = take(split.train, spec.limit, spec.seed);
  const batchesOf = (set: ImageSet, batchSize: number, subset?: Int32Array) => imageBatches(set, { batchSize, subset, shuffle: false });
  return {
    spec,
    shape: { kind: 'image', height: trainSet.rows, width: trainSet.cols, channels: trainSet.channels ?? 1 },
    counts: { train: train.length, valid: split.valid.length, test: testSet.count },
    trainData: (batchSize, seed) => imageEpochs(trainSet, { batchSize, seed, subset: train }),
    valid: (batchSize) => () => batchesOf(trainSet, batchSize, split.valid),
    labelled: (which, batchSize) => labelled(which === 'train' ? batchesOf(trainSet, batchSize, train) : batchesOf(testSet, batchSize)),
    preview: (n) => {
      const batch = firstOf(imageBatches(testSet, { batchSize: n, seed: `${spec.seed}:preview` }), `the test split of ${spec.name}`);
      return { batch, labels: batch.labels };
    },
    readInput: imageInput(trainSet),
  };
}

/** Sentences with their own valid and test files. */
export function textData(spec: DataSpec, splits: { train: TextCorpus; valid: TextCorpus; test: TextCorpus }, vocabulary: Vocabulary): LoadedData<TextBatch> {
  const ordered = (corpus: TextCorpus, batchSize: number) => textBatches(corpus, { batchSize, shuffle: false });
  const words = Array.from({ length: vocabulary.size }, (_, i) => vocabulary.token(i));
  return {
    spec,
    shape: {
      kind: 'tokens',
      vocabulary: words,
      specialTokens: { pad: Vocabulary.padId, unk: Vocabulary.unkId, bos: Vocabulary.bosId, eos: Vocabulary.eosId },
    },
    counts: { train: splits.train.size, valid: splits.valid.size, test: splits.test.size },
    trainData: (batchSize, seed) => textEpochs(splits.train, { batchSize, seed }),
    valid: (batchSize) => () => ordered(splits.valid, batchSize),
    labelled: (which, batchSize) => labelled(ordered(which === 'train' ? splits.train : splits.test, batchSize)),
    preview: (n) => {
      const batch = firstOf(textBatches(splits.test, { batchSize: n, seed: `${spec.seed}:preview` }), `the test split of ${spec.name}`);
      return { batch, labels: batch.labels };
    },
    readInput: async (file, batchSize) => labelled(ordered(TextCorpus.encode(await readInputText(file), vocabulary), batchSize)),
  };
}

/** A new file of one sentence or document per line (blank lines skipped; one with none is refused by the reader). */
function readInputText(file: string): Promise<TokenizedText> {
  return readTokenizedText(file, { emptyLines: 'skip' });
}

/** Documents with a test file; validation is a seeded share of the training documents. */
export function bowData(
  spec: DataSpec,
  train: BowCorpus,
  test: BowCorpus,
  words: readonly string[],
  options: { readonly labelled?: boolean } = {},
): LoadedData<BowBatch> {
  // Documents read from plain text have no labels (their corpus holds zeros): give none, so the downstream tasks skip.
  const withLabels = options.labelled === false ? (batches: Iterable<BowBatch>) => unlabelled(batches) : labelled;
  const split = splitTrainValid(train.size, { validFraction: spec.validFraction, seed: `${spec.seed}:valid` });
  const trainIdx = take(split.train, spec.limit, spec.seed);
  const ordered = (corpus: BowCorpus, batchSize: number, subset?: Int32Array) => bowBatches(corpus, { batchSize, subset, shuffle: false });
  return {
    spec,
    shape: { kind: 'counts', vocabulary: words },
    counts: { train: trainIdx.length, valid: split.valid.length, test: test.size },
    trainData: (batchSize, seed) => bowEpochs(train, { batchSize, seed, subset: trainIdx }),
    valid: (batchSize) => () => ordered(train, batchSize, split.valid),
    labelled: (which, batchSize) => withLabels(which === 'train' ? ordered(train, batchSize, trainIdx) : ordered(test, batchSize)),
    preview: (n) => {
      const batch = firstOf(bowBatches(test, { batchSize: n, seed: `${spec.seed}:preview` }), `the test split of ${spec.name}`);
      return { batch, labels: batch.labels };
    },
    // New documents are raw text, a document per line; words outside the vocabulary are dropped, as in training.
    readInput: async (file, batchSize) => {
      const text = await readInputText(file);
      const { corpus } = bowFromText(text, { file, words, counts: new Int32Array(words.length) });
      return text.labels === undefined ? unlabelled(ordered(corpus, batchSize)) : labelled(ordered(corpus, batchSize));
    },
  };
}
