import { initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ImageMlp, createModel, encodeCodes, interpolationCodes, isSphericalLatent, traversalCodes, traversalValues } from '../src/index.js';
import { imageBatch } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const mlp = (bottleneck: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  createModel({ kind: 'imageMlp', size: 8, hiddenDims: [16], ...extra, bottleneck } as never) as ImageMlp;

describe('interpolation', () => {
  it('linear: the ends are the two codes and the midpoint their mean', () => {
    const model = mlp({ kind: 'gaussian', latentDim: 3 });
    try {
      const batch = imageBatch(4, 1);
      expect(isSphericalLatent(model)).toBe(false);
      const codes = encodeCodes(model, batch).arraySync() as number[][];
      const path = interpolationCodes(model, batch, 1, 3, { steps: 5 });
      const rows = path.arraySync() as number[][];
      path.dispose();
      expect(rows).toHaveLength(5);
      for (let k = 0; k < 3; k++) {
        expect(rows[0]?.[k]).toBeCloseTo(codes[1]?.[k] as number, 5);
        expect(rows[4]?.[k]).toBeCloseTo(codes[3]?.[k] as number, 5);
        expect(rows[2]?.[k]).toBeCloseTo(((codes[1]?.[k] as number) + (codes[3]?.[k] as number)) / 2, 5);
      }
      expect(() => interpolationCodes(model, batch, 0, 4)).toThrow(/index in \[0, 4\)/);
    } finally {
      model.dispose();
    }
  });

  for (const kind of ['vmf', 'powerSpherical']) {
    it(`slerp on a ${kind} latent: ends equal the codes, every point stays on the unit sphere`, () => {
      const model = mlp({ kind, latentDim: 4 });
      try {
        expect(isSphericalLatent(model)).toBe(true);
        const batch = imageBatch(3, 2);
        const codes = encodeCodes(model, batch).arraySync() as number[][];
        const path = interpolationCodes(model, batch, 0, 2, { steps: 7 });
        const rows = path.arraySync() as number[][];
        path.dispose();
        for (let k = 0; k < 4; k++) {
          expect(rows[0]?.[k]).toBeCloseTo(codes[0]?.[k] as number, 5);
          expect(rows[6]?.[k]).toBeCloseTo(codes[2]?.[k] as number, 5);
        }
        for (const row of rows) expect(Math.hypot(...row)).toBeCloseTo(1, 5);
        // A straight line between two unit vectors would dip inside the sphere at its midpoint.
        const mid = (codes[0] as number[]).map((v, k) => (v + (codes[2]?.[k] as number)) / 2);
        expect(Math.hypot(...mid)).toBeLessThan(1 - 1e-4);
      } finally {
        model.dispose();
      }
    });
  }

  it('a conditional model: the condition moves from the first class to the second', () => {
    const model = mlp({ kind: 'gaussian', latentDim: 2 }, { condition: { classes: 3 } });
    try {
      const batch = { ...imageBatch(2, 3), labels: [0, 2] };
      const rows = tf.tidy(() => interpolationCodes(model, batch, 0, 1, { steps: 3 }).arraySync() as number[][]);
      expect(rows.map((r) => r.slice(2))).toEqual([
        [1, 0, 0],
        [0.5, 0, 0.5],
        [0, 0, 1],
      ]);
    } finally {
      model.dispose();
    }
  });
});

describe('traversal', () => {
  it('a grid of rows × steps where only the chosen dimension varies, from −3σ to +3σ of the held-out codes', () => {
    const model = mlp({ kind: 'gaussian', latentDim: 4 });
    try {
      const heldOut = encodeCodes(model, imageBatch(50, 4));
      const column = Array.from(heldOut.slice([0, 2], [-1, 1]).dataSync());
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
      const values = traversalValues(heldOut, 2, { steps: 5 });
      expect(values[0]).toBeCloseTo(mean - 3 * sd, 4);
      expect(values[4]).toBeCloseTo(mean + 3 * sd, 4);
      const base = imageBatch(3, 5);
      const baseCodes = encodeCodes(model, base).arraySync() as number[][];
      const grid = traversalCodes(model, base, heldOut, 2, { steps: 5 });
      expect(grid.shape).toEqual([15, 4]);
      const rows = grid.arraySync() as number[][];
      grid.dispose();
      rows.forEach((row, k) => {
        const r = Math.floor(k / 5);
        for (let d = 0; d < 4; d++) {
          if (d === 2) expect(row[d]).toBeCloseTo(values[k % 5] as number, 5);
          else expect(row[d]).toBeCloseTo(baseCodes[r]?.[d] as number, 5);
        }
      });
      expect(() => traversalValues(heldOut, 4)).toThrow(/\[0, 4\)/);
      heldOut.dispose();
    } finally {
      model.dispose();
    }
  });
});
