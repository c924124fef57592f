import { describe, expect, it } from 'vitest';
import { klWeight } from '../src/index.js';

describe('klWeight', () => {
  it('constant is 1 at every step', () => {
    expect([0, 1, 10_000].map((s) => klWeight({ kind: 'constant' }, s))).toEqual([1, 1, 1]);
  });

  it('linear warm-up rises from start to 1 and stays there', () => {
    const s = { kind: 'linear', warmupSteps: 10, start: 0.2 } as const;
    expect(klWeight(s, 0)).toBeCloseTo(0.2, 12);
    expect(klWeight(s, 5)).toBeCloseTo(0.6, 12);
    expect(klWeight(s, 10)).toBe(1);
    expect(klWeight(s, 11)).toBe(1);
  });

  it('cyclical ramps over the first rampFraction of each period, then holds 1, then restarts at 0', () => {
    const s = { kind: 'cyclical', period: 8, rampFraction: 0.5 } as const;
    expect([0, 1, 2, 3, 4, 7, 8, 10].map((t) => klWeight(s, t))).toEqual([0, 0.25, 0.5, 0.75, 1, 1, 0, 0.5]);
  });
});
