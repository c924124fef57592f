import { describe, expect, it } from 'vitest';
import { batchPlan, range, shuffled, splitTrainValid } from '../src/index.js';

describe('seeded order', () => {
  it('is reproducible by (seed, epoch) and differs across seeds and epochs', () => {
    const items = range(1000);
    const a = shuffled(items, 7, 0);
    expect(Array.from(shuffled(items, 7, 0))).toEqual(Array.from(a));
    expect(Array.from(shuffled(items, 8, 0))).not.toEqual(Array.from(a));
    expect(Array.from(shuffled(items, 7, 1))).not.toEqual(Array.from(a));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from(items));
    expect(Array.from(items)).toEqual(Array.from(range(1000))); // input untouched
  });

  it('puts each item in each position with probability 1/n (within 5 standard errors)', () => {
    const n = 5;
    const trials = 4000;
    const hits = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let s = 0; s < trials; s++) {
      shuffled(range(n), s).forEach((item, pos) => {
        (hits[item] as number[])[pos] = ((hits[item] as number[])[pos] as number) + 1;
      });
    }
    const sd = Math.sqrt(trials * (1 / n) * (1 - 1 / n));
    for (const row of hits) for (const h of row) expect(Math.abs(h - trials / n)).toBeLessThan(5 * sd);
  });

  it('splits train/valid by seed and fraction, disjoint and complete', () => {
    const { train, valid } = splitTrainValid(1000, { validFraction: 0.1, seed: 3 });
    expect(valid.length).toBe(100);
    expect(train.length).toBe(900);
    expect(new Set([...train, ...valid]).size).toBe(1000);
    expect(Array.from(valid)).toEqual(Array.from(valid).sort((a, b) => a - b));
    expect(Array.from(splitTrainValid(1000, { validFraction: 0.1, seed: 3 }).valid)).toEqual(Array.from(valid));
    expect(Array.from(splitTrainValid(1000, { validFraction: 0.1, seed: 4 }).valid)).not.toEqual(Array.from(valid));
    expect(() => splitTrainValid(10, { validFraction: 0.01, seed: 1 })).toThrow(/at least one example on each side/);
    expect(() => splitTrainValid(10, { validFraction: 1, seed: 1 })).toThrow(/strictly between 0 and 1/);
  });

  it('cuts an epoch into batches over a subset, with or without the last partial batch', () => {
    const subset = Int32Array.from([1, 3, 5, 7, 9, 11, 13]);
    const plan = batchPlan(20, { batchSize: 3, seed: 1, subset });
    expect(plan.map((b) => b.length)).toEqual([3, 3, 1]);
    expect([...plan.flatMap((b) => Array.from(b))].sort((a, b) => a - b)).toEqual(Array.from(subset));
    expect(batchPlan(20, { batchSize: 3, seed: 1, subset, dropLast: true }).length).toBe(2);
    expect(batchPlan(4, { batchSize: 3, shuffle: false }).map((b) => Array.from(b))).toEqual([[0, 1, 2], [3]]);
    expect(() => batchPlan(4, { batchSize: 2 })).toThrow(/argument "seed"/);
    expect(() => batchPlan(4, { batchSize: 2, seed: 1, subset: Int32Array.from([4]) })).toThrow(/argument "subset" must be indices in \[0, 4\)/);
  });
});
