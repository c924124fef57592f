/**
 * The standard datasets in a data directory laid out like latentkit's shared data (`ptb/`, `20news-nvdm/`, `mnist/`),
 * and the generic loaders they are made of, for the same formats under other names.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LatentkitError } from '@latentkit/core/base';
import type { BowCorpus } from './bow/corpus.js';
import { type BowVocabulary, readBowVocabulary, readFeat } from './bow/nvdm.js';
import { type ImageSet, loadIdxImageSet } from './images/image-set.js';
import { allInOrder } from './io.js';
import { type ReadTextOptions, TextCorpus, readTokenizedText } from './text/corpus.js';
import { Vocabulary, type VocabularyOptions } from './text/vocabulary.js';

/** The directory named by `LATENTKIT_DATA_DIR`, or undefined: a library does not guess where a checkout is. */
export function defaultDataDir(): string | undefined {
  const dir = process.env['LATENTKIT_DATA_DIR'];
  return dir === undefined || dir === '' ? undefined : dir;
}

export interface TextDataset {
  readonly vocabulary: Vocabulary;
  readonly train: TextCorpus;
  readonly valid?: TextCorpus;
  readonly test?: TextCorpus;
}

export interface TextDatasetOptions extends ReadTextOptions, VocabularyOptions {
  /** Use this vocabulary instead of building one from the training file (e.g. the one a model was trained with). */
  readonly vocabulary?: Vocabulary;
}

/** Reads a train file and the optional valid and test files beside it, tokenized the same way. */
export async function readTextSplits(files: { readonly train: string; readonly valid?: string; readonly test?: string }, options: ReadTextOptions = {}) {
  const read = (file: string | undefined) => (file === undefined ? undefined : readTokenizedText(file, options));
  return allInOrder([readTokenizedText(files.train, options), read(files.valid), read(files.test)]);
}

/** Reads tokenized text splits; the vocabulary is built from `train` unless one is given. */
export async function loadTextDataset(
  files: { readonly train: string; readonly valid?: string; readonly test?: string },
  options: TextDatasetOptions = {},
): Promise<TextDataset> {
  const [train, valid, test] = await readTextSplits(files, options);
  const vocabulary = options.vocabulary ?? Vocabulary.fromSentences(train.sentences, options);
  return {
    vocabulary,
    train: TextCorpus.encode(train, vocabulary),
    ...(valid && { valid: TextCorpus.encode(valid, vocabulary) }),
    ...(test && { test: TextCorpus.encode(test, vocabulary) }),
  };
}

/** File paths of the Penn Treebank language-modelling splits in a data directory. */
export function ptbFiles(dataDir: string) {
  return { train: join(dataDir, 'ptb', 'ptb.train.txt'), valid: join(dataDir, 'ptb', 'ptb.valid.txt'), test: join(dataDir, 'ptb', 'ptb.test.txt') };
}

/** Penn Treebank (Mikolov's LM version): 42,068 / 3,370 / 3,761 sentences, 10,000 types with `<eos>`. */
export async function loadPtb(dataDir: string, options: TextDatasetOptions = {}): Promise<Required<TextDataset>> {
  return (await loadTextDataset(ptbFiles(dataDir), options)) as Required<TextDataset>;
}

export interface BowDataset {
  readonly vocabulary: BowVocabulary;
  readonly train: BowCorpus;
  readonly test?: BowCorpus;
}

/** Reads NVDM `.feat` splits against their `vocab.new`. */
export async function loadBowDataset(files: { readonly vocabulary: string; readonly train: string; readonly test?: string }): Promise<BowDataset> {
  const vocabulary = await readBowVocabulary(files.vocabulary);
  const size = vocabulary.words.length;
  const [train, test] = await allInOrder([readFeat(files.train, size), files.test === undefined ? undefined : readFeat(files.test, size)]);
  return { vocabulary, train, ...(test && { test }) };
}

export function newsgroupsFiles(dataDir: string) {
  const dir = join(dataDir, '20news-nvdm');
  return { vocabulary: join(dir, 'vocab.new'), train: join(dir, 'train.feat'), test: join(dir, 'test.feat') };
}

/** 20 Newsgroups in NVDM's bag-of-words form: 11,268 / 7,505 documents, 2,000 words, labels 1–20. */
export async function loadNewsgroups(dataDir: string): Promise<Required<BowDataset>> {
  return (await loadBowDataset(newsgroupsFiles(dataDir))) as Required<BowDataset>;
}

/** The path of an MNIST-style IDX file in `dir`, gzipped (`name.gz`) or not (`name`). */
export function findIdxFile(dir: string, name: string): string {
  for (const candidate of [join(dir, `${name}.gz`), join(dir, name)]) if (existsSync(candidate)) return candidate;
  throw new LatentkitError('FILE_NOT_FOUND', `${join(dir, name)}(.gz): no such file`, { file: join(dir, name) });
}

/** MNIST (or any dataset in its file layout, e.g. Fashion-MNIST) from the IDX files in `dir`. */
export async function loadMnistIdx(dir: string, split: 'train' | 'test'): Promise<ImageSet> {
  const prefix = split === 'train' ? 'train' : 't10k';
  return loadIdxImageSet(findIdxFile(dir, `${prefix}-images-idx3-ubyte`), findIdxFile(dir, `${prefix}-labels-idx1-ubyte`));
}

/** MNIST from `<dataDir>/mnist`. The shared data has the test split only: 10,000 images with labels. */
export async function loadMnist(dataDir: string, split: 'train' | 'test'): Promise<ImageSet> {
  return loadMnistIdx(join(dataDir, 'mnist'), split);
}
