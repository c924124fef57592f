import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LoadedData, Preprocessing, type TableBatch, loadData, openCsvStream, readCsv, scanCsvParts } from '../src/index.js';
import { tempFiles } from './helpers.js';

describe('a CSV streamed as a dataset (data.options.stream)', () => {
  const { dir } = tempFiles({});
  const file = join(dir, 'rows.csv');
  const lines = ['id,a,b,c,y'];
  for (let i = 0; i < 2000; i++) lines.push(`${i},${i * 0.5},${i % 3 === 0 ? '' : i % 7},${['p', 'q', 'r'][i % 3]},${i % 4}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const options = { idColumn: 'id', labelColumn: 'y' };
  const spec = { path: file, options: { ...options, stream: true }, seed: 3, validFraction: 0.1, testFraction: 0.2 };

  const rowsOf = (batches: Iterable<{ batch: TableBatch } | TableBatch>) => {
    const rows: number[] = [];
    for (const b of batches) rows.push(...('batch' in b ? b.batch : b).rows);
    return rows;
  };

  it('splits three ways by a row hash: disjoint parts that cover the file, shares binomial around the fractions', () => {
    const scan = scanCsvParts(file, { ...options, seed: 3, split: { validFraction: 0.1, testFraction: 0.2 } });
    expect(scan.counts.train + scan.counts.valid + scan.counts.test).toBe(2000);
    // binomial(2000, p): within 4 standard deviations
    expect(Math.abs(scan.counts.test - 400)).toBeLessThan(4 * Math.sqrt(2000 * 0.2 * 0.8));
    expect(Math.abs(scan.counts.valid - 200)).toBeLessThan(4 * Math.sqrt(2000 * 0.1 * 0.9));
    const part = (p: 'train' | 'valid' | 'test') =>
      rowsOf(openCsvStream(file, { ...options, batchSize: 97, seed: 3, scan, split: { validFraction: 0.1, testFraction: 0.2, part: p } }).batches(0, 0));
    const [train, valid, test] = [part('train'), part('valid'), part('test')];
    expect([train.length, valid.length, test.length]).toEqual([scan.counts.train, scan.counts.valid, scan.counts.test]);
    expect([...train, ...valid, ...test].sort((x, y) => x - y)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('loads as LoadedData: every training row once per epoch, held-out parts in file order, the preprocessing fitted on the training rows only', async () => {
    const data = (await loadData(spec)) as LoadedData<TableBatch>;
    expect(data.shape.kind).toBe('table');
    const epoch = data.trainData(64, 11);
    const train = rowsOf(epoch.batches(0, 0));
    expect(train.length).toBe(data.counts.train);
    expect(new Set(train).size).toBe(train.length);
    expect(epoch.batchesPerEpoch).toBe(Math.ceil(data.counts.train / 64));
    // shuffled, and the order is a function of (seed, epoch)
    expect(train).not.toEqual([...train].sort((x, y) => x - y));
    expect(rowsOf(data.trainData(64, 11).batches(0, 0))).toEqual(train);
    expect(rowsOf(data.trainData(64, 11).batches(1, 0))).not.toEqual(train);
    // resuming at (epoch, offset) gives the rest of that epoch
    expect(rowsOf(epoch.batches(0, 5))).toEqual(train.slice(5 * 64));
    const valid = rowsOf(data.valid(50)());
    expect(valid).toEqual([...valid].sort((x, y) => x - y));
    expect(valid.length).toBe(data.counts.valid);
    const test = rowsOf(data.labelled('test', 50));
    expect(test.length).toBe(data.counts.test);
    // Independent fit: the in-memory Preprocessing on the same training rows.
    const expected = Preprocessing.fit(readCsv(file, options), Int32Array.from(train).sort()).toJSON();
    const got = data.preprocessing as typeof expected;
    expect(got.columns.map((c) => c.name)).toEqual(expected.columns.map((c) => c.name));
    got.columns.forEach((c, j) => {
      const e = expected.columns[j] as typeof c;
      if (c.type === 'numeric' && e.type === 'numeric') {
        expect(c.mean).toBeCloseTo(e.mean, 4);
        expect(c.std).toBeCloseTo(e.std, 4);
      } else expect(c).toEqual(e);
    });
    // labels come through with the batches
    const first = [...data.labelled('train', 10)][0];
    expect(Array.from(first?.labels ?? [])).toEqual(Array.from(first?.batch.rows ?? [], (r) => r % 4));
  });

  it('limit keeps the first training rows in file order', async () => {
    const data = await loadData({ ...spec, limit: 100 });
    expect(data.counts.train).toBe(100);
    const rows = rowsOf((data as LoadedData<TableBatch>).trainData(32, 1).batches(0, 0));
    expect(rows.length).toBe(100);
  });

  it('refuses to stream a format that is not CSV/TSV, naming the option', async () => {
    const npy = join(dir, 'x.jsonl');
    writeFileSync(npy, '{"a":1}\n{"a":2}\n');
    await expect(loadData({ path: npy, options: { stream: true } })).rejects.toThrow(/data\.options\.stream: only CSV\/TSV files can be streamed/);
  });
});

describe('text files: maxLength', () => {
  it('cuts longer sentences to maxLength words in every split; 0 is refused naming the option', async () => {
    const { dir } = tempFiles({});
    const file = join(dir, 'long.txt');
    writeFileSync(file, `${Array.from({ length: 40 }, (_, i) => Array.from({ length: 2 + (i % 9) }, (_, j) => `w${j}`).join(' ')).join('\n')}\n`);
    const data = await loadData({ path: file, options: { maxLength: 4 }, testFraction: 0.25 });
    let longest = 0;
    for (const split of ['train', 'test'] as const)
      for (const { batch } of data.labelled(split, 8)) longest = Math.max(longest, ...(batch as { lengths: Int32Array }).lengths);
    expect(longest).toBe(4);
    await expect(loadData({ path: file, options: { maxLength: 0 } })).rejects.toThrow(/data\.options\.maxLength: expected/);
  });
});
