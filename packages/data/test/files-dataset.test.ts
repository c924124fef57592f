import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, type LoadedData, type TableBatch, datasetKindForPath, loadData, resolveDataSpec } from '../src/index.js';
import { sharedData, tempFiles } from './helpers.js';

function allRows(data: LoadedData, which: 'train' | 'test'): TableBatch[] {
  return [...data.labelled(which, 1000)].map((b) => b.batch as TableBatch);
}

function idx(dims: number[], bytes: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header.set([0, 0, 8, dims.length]);
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  return new Uint8Array([...header, ...bytes]);
}

describe('the files dataset kind', () => {
  it('claims table files, image folders, IDX and text by name, and --format overrides', () => {
    const f = tempFiles({ 'a.csv': 'x\n1\n', 'b.txt': 'a b\n', 'c.weird': '' });
    expect(datasetKindForPath(f['a.csv']).name).toBe('files');
    expect(datasetKindForPath(f.dir).name).toBe('files');
    expect(datasetKindForPath(f['b.txt']).name).toBe('files');
    expect(() => datasetKindForPath(f['c.weird'])).toThrow(/no dataset kind reads this/);
    expect(datasetKindForPath(f['c.weird'], 'csv').name).toBe('files');
    expect(() => datasetKindForPath(join(f.dir, 'nope.csv'))).toThrow(/no such file or folder/);
    // Options are validated strictly, with the field named.
    expect(() => resolveDataSpec({ path: f['a.csv'], options: { labelColum: 'y' } } as never)).toThrow(/data\.options\.labelColum: unknown key/);
    expect(resolveDataSpec({ path: f['a.csv'] }).options).toEqual({ stream: 'auto', text: 'sentences' });
  });

  it('splits a CSV by seed and fits the standardisation on the training rows only', async () => {
    // Column v is 0..99; c is a category that only test rows could have in a leaky fit.
    const lines = ['v,c,y'];
    for (let i = 0; i < 100; i++) lines.push(`${i},${i % 3 === 0 ? 'a' : 'b'},${i % 2}`);
    const f = tempFiles({ 'data.csv': `${lines.join('\n')}\n` });
    const data = await loadData({ path: f['data.csv'], options: { labelColumn: 'y' }, seed: 5, testFraction: 0.2, validFraction: 0.25 });
    expect(data.counts).toEqual({ train: 60, valid: 20, test: 20 });
    expect(data.shape).toEqual({
      kind: 'table',
      columns: [
        { name: 'v', type: 'numeric' },
        { name: 'c', type: 'binary', categories: ['a', 'b'] },
      ],
    });
    const train = allRows(data, 'train');
    const trainRows = train.flatMap((b) => Array.from(b.rows));
    expect(trainRows).toHaveLength(60);
    // The mean and std in preprocessing.json are those of the 60 training values of v (rows = values), population std.
    const mean = trainRows.reduce((a, r) => a + r, 0) / 60;
    const std = Math.sqrt(trainRows.reduce((a, r) => a + (r - mean) ** 2, 0) / 60);
    const v = data.preprocessing?.columns[0] as { mean: number; std: number };
    expect(v.mean).toBeCloseTo(mean, 10);
    expect(v.std).toBeCloseTo(std, 10);
    // The training batches are standardised with them: mean 0, std 1 over the training split.
    const values = train.flatMap((b) => Array.from({ length: b.size }, (_, i) => b.values[i * b.width] as number));
    expect(values.reduce((a, x) => a + x, 0) / 60).toBeCloseTo(0, 5);
    // Labels ride along; the same seed gives the same split, another seed another.
    expect(train[0]?.labels).toBeDefined();
    const again = await loadData({ path: f['data.csv'], options: { labelColumn: 'y' }, seed: 5, testFraction: 0.2, validFraction: 0.25 });
    expect(allRows(again, 'test').flatMap((b) => Array.from(b.rows))).toEqual(allRows(data, 'test').flatMap((b) => Array.from(b.rows)));
    const other = await loadData({ path: f['data.csv'], options: { labelColumn: 'y' }, seed: 6, testFraction: 0.2, validFraction: 0.25 });
    expect(allRows(other, 'test').flatMap((b) => Array.from(b.rows))).not.toEqual(allRows(data, 'test').flatMap((b) => Array.from(b.rows)));
    // Training batches are shuffled per epoch and cover the training rows once.
    const epoch = [...data.trainData(16, 1).batches(0, 0)];
    expect(epoch.flatMap((b) => Array.from((b as TableBatch).rows)).sort((a, b) => a - b)).toEqual([...trainRows].sort((a, b) => a - b));
    expect(data.trainData(16, 1).batchesPerEpoch).toBe(epoch.length);
  });

  it('keeps a category seen only outside the training split out of the category list', async () => {
    const lines = ['v,c'];
    for (let i = 0; i < 50; i++) lines.push(`${i},${i === 0 ? 'rare' : i % 2 ? 'x' : 'y'}`);
    const f = tempFiles({ 'd.csv': `${lines.join('\n')}\n` });
    for (const seed of [1, 2, 3, 4]) {
      const data = await loadData({ path: f['d.csv'], seed, testFraction: 0.3 });
      const trainRows = allRows(data, 'train').flatMap((b) => Array.from(b.rows));
      const c = data.preprocessing?.columns[1] as { readonly categories: readonly string[] };
      expect(c.categories.includes('rare')).toBe(trainRows.includes(0));
    }
  });

  it('reads text as sentences or bags of words with the vocabulary of the training lines', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `w${i} common common`);
    const f = tempFiles({ 't.txt': `${lines.join('\n')}\n` });
    const text = await loadData({ path: f['t.txt'], seed: 1, options: { minCount: 2 } });
    expect(text.shape.kind).toBe('tokens');
    // Each w<i> occurs once, so with minCount 2 only "common" is a word: 4 reserved tokens + 1.
    expect((text.shape as { readonly vocabulary: readonly string[] }).vocabulary).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', 'common']);
    const bow = await loadData({ path: f['t.txt'], seed: 1, options: { text: 'bow' } });
    expect(bow.shape.kind).toBe('counts');
    const vocab = (bow.shape as { readonly vocabulary: readonly string[] }).vocabulary;
    // The vocabulary holds "common" and exactly the w<i> of the training lines (not of the valid or test lines).
    expect(vocab.length).toBe(1 + bow.counts.train);
    expect(bow.counts.test).toBe(8);
  });

  it('reads an IDX image file with its label file next to it', async () => {
    const pixels = Array.from({ length: 10 * 2 * 3 }, (_, i) => i % 256);
    const f = tempFiles({ 'x-images-idx3-ubyte': idx([10, 2, 3], pixels), 'x-labels-idx1-ubyte': idx([10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) });
    const data = await loadData({ path: f['x-images-idx3-ubyte'], testFraction: 0.2, validFraction: 0.25 });
    expect(data.shape).toEqual({ kind: 'image', height: 2, width: 3, channels: 1 });
    expect(data.counts).toEqual({ train: 6, valid: 2, test: 2 });
    const preview = data.preview(2);
    expect(preview.labels).toHaveLength(2);
  });

  it('fashion-mnist is a named dataset', async () => {
    if (!existsSync(FASHION_MNIST_DIR)) {
      console.warn(`skipping the fashion-mnist load: ${FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist)`);
      await expect(loadData({ name: 'fashion-mnist' })).rejects.toThrow(/dataset-fashion-mnist/);
      return;
    }
    const data = await loadData({ name: 'fashion-mnist', validFraction: 0.1 });
    expect(data.counts).toEqual({ train: 54000, valid: 6000, test: 10000 });
    expect(data.shape).toEqual({ kind: 'image', height: 28, width: 28, channels: 1 });
  });

  const dir = sharedData('air-quality-uci');
  it.skipIf(dir === undefined)('loads the UCI Air Quality file with -200 as missing', async () => {
    const data = await loadData({ path: join(dir as string, 'air-quality-uci', 'AirQualityUCI.csv'), options: { missing: [-200], ignoreColumns: ['Date'] } });
    expect(data.shape.kind).toBe('table');
    expect(data.counts.train + data.counts.valid + data.counts.test).toBe(9357);
    const cols = (data.shape as { readonly columns: readonly { readonly name: string }[] }).columns.map((c) => c.name);
    expect(cols).toContain('CO(GT)');
    expect(cols).not.toContain('Date');
  });
});

describe('bags of words from a plain text file', () => {
  it('carry no labels (the downstream tasks skip), and new documents read through the training vocabulary', async () => {
    const f = tempFiles({
      'docs.txt': `${Array.from({ length: 30 }, (_, i) => `apple pear ${i % 2 ? 'plum' : 'fig'} apple`).join('\n')}\n`,
      'new.txt': 'apple apple kiwi\nfig\n',
    });
    const data = await loadData({ path: f['docs.txt'], options: { text: 'bow' }, testFraction: 0.2 });
    for (const split of ['train', 'test'] as const) for (const b of data.labelled(split, 8)) expect(b.labels).toBeUndefined();
    const fresh = [...(await (data.readInput as NonNullable<typeof data.readInput>)(f['new.txt'], 8))];
    const batch = fresh[0]?.batch as { size: number; counts: Float32Array };
    expect(batch.size).toBe(2);
    const apple = data.shape.kind === 'counts' ? data.shape.vocabulary.indexOf('apple') : -1;
    expect(batch.counts[apple]).toBe(2); // "kiwi" is not in the vocabulary: dropped
    expect(Array.from(batch.counts).reduce((a, c) => a + c, 0)).toBe(3);
  });
});
