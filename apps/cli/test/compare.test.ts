import { describe, expect, it } from 'vitest';
import { markBest } from '../src/run/compare-runs.js';

const metric = (values: (number | null)[], better?: 'higher' | 'lower') => ({
  key: 'k',
  group: 'g',
  label: 'l',
  values,
  texts: values.map((v) => (v === null ? '—' : String(v))),
  ...(better && { better }),
});

describe('markBest', () => {
  it('marks the highest or the lowest value, as the metric says', () => {
    expect(markBest(metric([0.5, 0.7, 0.6], 'higher'))).toEqual(['0.5', '0.7 (best)', '0.6']);
    expect(markBest(metric([101, 99, null], 'lower'))).toEqual(['101', '99 (best)', '—']);
  });

  it('marks nothing without a direction, with one value, or when all runs tie', () => {
    expect(markBest(metric([1e-6, 1e-4]))).toEqual(['0.000001', '0.0001']);
    expect(markBest(metric([0.5, null], 'higher'))).toEqual(['0.5', '—']);
    expect(markBest(metric([0.5, 0.5], 'higher'))).toEqual(['0.5', '0.5']);
  });
});
