import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Preprocessing, classCount, openCsvStream, readCsv } from '../src/index.js';
import { sharedData, tempFiles } from './helpers.js';

describe('Preprocessing', () => {
  const files = tempFiles({
    'train.csv': 'x,colour,flag\n1,red,yes\n2,blue,no\n,red,yes\n100,green,no\n',
    'new.csv': 'flag,colour,x,extra\nyes,purple,4,9\nmaybe,red,,9\nno,blue,2,9\n',
  });

  it('fits on the training rows only: the mean/std of the observed cells, the categories seen', () => {
    const t = readCsv(files['train.csv']);
    const p = Preprocessing.fit(t, [0, 1, 2]);
    expect(p.columns[0]).toEqual({ name: 'x', type: 'numeric', mean: 1.5, std: 0.5 }); // 100 (row 3) left out, the blank too
    expect(p.columns[1]).toEqual({ name: 'colour', type: 'categorical', categories: ['blue', 'red'] });
    expect(p.columns[2]).toEqual({ name: 'flag', type: 'binary', categories: ['no', 'yes'] });
    expect(p.columns.map(classCount)).toEqual([1, 3, 2]);
    const prepared = p.apply(t);
    expect(Array.from(prepared.values.subarray(0, 3))).toEqual([-1, 1, 1]);
    expect(Array.from(prepared.missing.subarray(6, 9))).toEqual([1, 0, 0]); // the blank x stays masked
    expect(prepared.values[9]).toBeCloseTo((100 - 1.5) / 0.5, 4);
    expect(prepared.values[10]).toBe(2); // green, not in the fitted rows: the unknown slot
  });

  it('survives JSON and applies to a new file by column name; unseen categories warn, not throw', () => {
    const p = Preprocessing.fromJSON(JSON.parse(JSON.stringify(Preprocessing.fit(readCsv(files['train.csv']), [0, 1, 2]))));
    const fresh = readCsv(files['new.csv'], { columns: p.columnsConfig() });
    const warnings: string[] = [];
    const out = p.apply(fresh, { onWarning: (m) => warnings.push(m) });
    // columns come out in the training order: x, colour, flag
    expect(Array.from(out.values)).toEqual([5, 2, 1, 0, 1, 0, 1, 0, 0]);
    expect(Array.from(out.missing)).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('column "colour" has category "purple", not seen in training; mapped to the unknown slot');
    expect(warnings[1]).toContain('column "flag" has category "maybe", not seen in training; treated as missing');
  });

  it('rejects a file without a trained column, a type change, and malformed JSON', () => {
    const p = Preprocessing.fit(readCsv(files['train.csv']));
    const files2 = tempFiles({ 'a.csv': 'x,colour\n1,red\n', 'b.csv': 'x,colour,flag\nred,1,yes\nblue,2,no\nx,3,yes\n' });
    expect(() => p.apply(readCsv(files2['a.csv']))).toThrow(/expected a column "flag" \(the model was trained on it\)/);
    expect(() => p.apply(readCsv(files2['b.csv']))).toThrow(/expected column "x" to be numeric \(as in training\), got categorical/);
    expect(() => Preprocessing.fromJSON({ format: 'latentkit-preprocessing', version: 1, columns: [{ name: 'x', type: 'numeric', mean: 0, std: 0 }] })).toThrow(
      /std/,
    );
  });
});

describe('openCsvStream', () => {
  const { dir } = tempFiles({});
  const file = join(dir, 'big.csv');
  const lines = ['id,a,b,c'];
  for (let i = 0; i < 1003; i++) lines.push(`${i},${i * 0.5},${i % 3 === 0 ? '' : i % 7},${['p', 'q', 'r'][i % 3]}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const options = { batchSize: 64, seed: 5, shuffleBuffer: 100, idColumn: 'id' } as const;

  const order = (s: ReturnType<typeof openCsvStream>, epoch: number, offset = 0) => {
    const rows: number[] = [];
    for (const b of s.batches(epoch, offset)) rows.push(...b.rows);
    return rows;
  };

  it('visits every row once per epoch, in an order fixed by (seed, epoch)', () => {
    const s = openCsvStream(file, options);
    expect([s.rowCount, s.batchesPerEpoch]).toEqual([1003, 16]);
    const e0 = order(s, 0);
    expect([...e0].sort((x, y) => x - y)).toEqual(Array.from({ length: 1003 }, (_, i) => i));
    expect(order(openCsvStream(file, options), 0)).toEqual(e0);
    expect(order(s, 1)).not.toEqual(e0);
    // A shuffle buffer of 1 is the file order.
    expect(order(openCsvStream(file, { ...options, shuffleBuffer: 1 }), 0)).toEqual(Array.from({ length: 1003 }, (_, i) => i));
  });

  it('resumes at (epoch, offset) with exactly the batches that were left', () => {
    const s = openCsvStream(file, options);
    const all = [...s.batches(2, 0)];
    const rest = [...s.batches(2, 5)];
    expect(rest.map((b) => Array.from(b.rows))).toEqual(all.slice(5).map((b) => Array.from(b.rows)));
    expect(rest[0]?.position).toEqual({ epoch: 2, offset: 6 });
    expect(all.at(-1)?.size).toBe(1003 - 15 * 64);
    expect([...s.batches(2, 16)]).toEqual([]);
  });

  it('batch rows equal the in-memory table rows, preprocessing included', () => {
    const table = readCsv(file, { idColumn: 'id' });
    const s = openCsvStream(file, options);
    const pre = s.fitPreprocessing();
    expect(pre.toJSON()).toEqual(Preprocessing.fit(table).toJSON());
    const prepared = pre.apply(table);
    const streamed = openCsvStream(file, { ...options, preprocessing: pre });
    const w = prepared.columns.length;
    for (const b of streamed.batches(0, 0)) {
      b.rows.forEach((r, i) => {
        expect(Array.from(b.values.subarray(i * w, (i + 1) * w))).toEqual(Array.from(prepared.values.subarray(r * w, (r + 1) * w)));
        expect(Array.from(b.missing.subarray(i * w, (i + 1) * w))).toEqual(Array.from(prepared.missing.subarray(r * w, (r + 1) * w)));
      });
    }
  });

  it('a seeded split gives disjoint train and valid parts that cover the file, each with its own count', () => {
    const split = (part: 'train' | 'valid') => openCsvStream(file, { ...options, split: { validFraction: 0.2, part } });
    const [train, valid] = [split('train'), split('valid')];
    expect(train.rowCount + valid.rowCount).toBe(1003);
    // The valid share is binomial(1003, 0.2): within 4 standard deviations (±51) of 201.
    expect(Math.abs(valid.rowCount - 200.6)).toBeLessThan(51);
    const seen = [...order(train, 0), ...order(valid, 0)].sort((x, y) => x - y);
    expect(seen).toEqual(Array.from({ length: 1003 }, (_, i) => i));
  });

  const dataDir = sharedData('air-quality-uci');
  it.skipIf(dataDir === undefined)('streams the Air Quality file: 9,357 rows, 16,701 masked cells', () => {
    const s = openCsvStream(join(dataDir as string, 'air-quality-uci', 'AirQualityUCI.csv'), {
      batchSize: 500,
      seed: 1,
      missing: [-200],
      ignoreColumns: ['Date'],
    });
    let rows = 0;
    let masked = 0;
    for (const b of s.batches(0, 0)) {
      rows += b.size;
      masked += b.missing.reduce((a, m) => a + m, 0);
    }
    expect([rows, masked]).toEqual([9357, 16_701]);
  });
});

describe('tableBatches', () => {
  it('batches a prepared in-memory table by the seeded plan, with the raw table label, resumable', async () => {
    const { tableBatches } = await import('../src/index.js');
    const files = tempFiles({ 't.csv': 'x,y\n1,a\n2,b\n3,a\n4,b\n5,a\n' });
    const table = readCsv(files['t.csv'], { labelColumn: 'y' });
    const prepared = Preprocessing.fit(table).apply(table);
    const all = [...tableBatches(prepared, { batchSize: 2, seed: 3 }, table.label)];
    expect(all.map((b) => b.size)).toEqual([2, 2, 1]);
    const rows = all.flatMap((b) => Array.from(b.rows)).sort();
    expect(rows).toEqual([0, 1, 2, 3, 4]);
    for (const b of all) expect(Array.from(b.labels ?? [])).toEqual(Array.from(b.rows, (r) => r % 2));
    const rest = [...tableBatches(prepared, { batchSize: 2, seed: 3, offset: 1 }, table.label)];
    expect(rest.map((b) => Array.from(b.rows))).toEqual(all.slice(1).map((b) => Array.from(b.rows)));
  });
});
