/** `data.normal`: train and validation from the normal records only, the test split the rest of them plus all others. */
import { describe, expect, it } from 'vitest';
import { type LoadedData, type TableBatch, loadData } from '../src/index.js';
import { tempFiles } from './helpers.js';

function rowsOf(batches: Iterable<TableBatch>): { values: number[]; labels: number[] } {
  const values: number[] = [];
  const labels: number[] = [];
  for (const b of batches) {
    values.push(...b.values);
    labels.push(...(b.labels ?? []));
  }
  return { values, labels };
}

describe('data.normal', () => {
  // v is the row number (its standardised value is monotone in it); kind is "ok" for 160 rows, "bad" or "odd" for 40.
  const lines = ['v,kind'];
  for (let i = 0; i < 200; i++) lines.push(`${i},${i % 5 === 0 ? (i % 2 ? 'odd' : 'bad') : 'ok'}`);
  const csv = `${lines.join('\n')}\n`;

  it('splits the normal rows three ways and puts every other row in the test split', async () => {
    const f = tempFiles({ 'd.csv': csv });
    const data = (await loadData({
      path: f['d.csv'],
      options: { labelColumn: 'kind' },
      normal: ['ok'],
      testFraction: 0.25,
      validFraction: 0.2,
      seed: 3,
    })) as LoadedData<TableBatch>;
    const ok = data.normalLabels as readonly number[];
    expect(ok).toHaveLength(1);
    // 160 normal rows: 40 test, then 24 valid of the remaining 120, 96 train; test adds the 40 others.
    expect(data.counts).toEqual({ train: 96, valid: 24, test: 80 });
    const train = rowsOf([...data.labelled('train', 50)].map((b) => b.batch));
    const test = rowsOf([...data.labelled('test', 50)].map((b) => b.batch));
    const valid = rowsOf(data.valid(50)());
    expect(new Set(train.labels)).toEqual(new Set(ok));
    expect(new Set(valid.labels)).toEqual(new Set(ok));
    expect(test.labels.filter((l) => !ok.includes(l))).toHaveLength(40);
    // Every row once: the standardised v values of the three splits are 200 distinct numbers.
    expect(new Set([...train.values, ...valid.values, ...test.values]).size).toBe(200);
  });

  it('names a value the label column does not have, and a table without a label column', async () => {
    const f = tempFiles({ 'd.csv': csv });
    await expect(loadData({ path: f['d.csv'], options: { labelColumn: 'kind' }, normal: ['fine'] })).rejects.toThrow(
      /"fine" is not a value of the label column "kind".*ok/,
    );
    await expect(loadData({ path: f['d.csv'], normal: ['ok'] })).rejects.toThrow(/needs a label column/);
  });
});
