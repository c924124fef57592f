import { Rng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { type TabularColumn, sampleTabularCells, tabularExpectationLayout, tabularExpectations, tabularPoints } from '../src/index.js';

const COLUMNS: TabularColumn[] = [
  { name: 'a', type: 'numeric' },
  { name: 'colour', type: 'categorical', categories: ['red', 'green'] },
  { name: 'flag', type: 'binary', categories: ['no', 'yes'] },
];
// Decoder output: a → [mean 1.5, log-variance ln 4]; colour → logits [0, ln 2, ln 5] (slots red, green, unknown); flag → logit ln 3.
const PARAMS = [1.5, Math.log(4), 0, Math.log(2), Math.log(5), Math.log(3)];

describe('the tabular predictive distribution', () => {
  it('gives expectations and points by hand', () => {
    expect(tabularExpectationLayout(COLUMNS)).toEqual({
      cells: [
        { offset: 0, width: 1 },
        { offset: 1, width: 3 },
        { offset: 4, width: 1 },
      ],
      width: 5,
    });
    const e = Array.from(tabularExpectations(COLUMNS, PARAMS, 1));
    for (const [i, v] of [1.5, 1 / 8, 2 / 8, 5 / 8, 0.75].entries()) expect(e[i]).toBeCloseTo(v, 6);
    // The unknown slot (5/8) is never a point value: the most likely training category is green (slot 1).
    expect(Array.from(tabularPoints(COLUMNS, e, 1))).toEqual([1.5, 1, 1]);
  });

  it('draws cells with the right mean, variance and category frequencies (20,000 draws, 4 standard errors)', () => {
    const n = 20_000;
    const params = Float32Array.from({ length: n * 6 }, (_, i) => PARAMS[i % 6] as number);
    const x = sampleTabularCells(COLUMNS, params, n, Rng.fromSeed(1));
    let sum = 0;
    let ss = 0;
    const slots = [0, 0, 0];
    let ones = 0;
    for (let r = 0; r < n; r++) {
      sum += x[r * 3] as number;
      ss += (x[r * 3] as number) ** 2;
      slots[x[r * 3 + 1] as number] = (slots[x[r * 3 + 1] as number] as number) + 1;
      ones += x[r * 3 + 2] as number;
    }
    const mean = sum / n;
    expect(Math.abs(mean - 1.5)).toBeLessThan(4 * Math.sqrt(4 / n));
    expect(Math.abs(ss / n - mean * mean - 4)).toBeLessThan(4 * 4 * Math.sqrt(2 / n));
    for (const [k, p] of [1 / 8, 2 / 8, 5 / 8].entries()) expect(Math.abs((slots[k] as number) / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    expect(Math.abs(ones / n - 0.75)).toBeLessThan(4 * Math.sqrt(0.1875 / n));
  });
});
