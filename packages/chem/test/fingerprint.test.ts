import { Rng } from '@latentkit/core/base';
import { describe, expect, it } from 'vitest';
import {
  addCommonBits,
  bitIndex,
  commonBits,
  fingerprintFromOnBits,
  fingerprintFromWords,
  fingerprintMatrix,
  onBits,
  popcount32,
  tanimoto,
} from '../src/index.js';

function randomBits(rng: Rng, nBits: number, density: number): number[] {
  const bits: number[] = [];
  for (let b = 0; b < nBits; b++) if (rng.uniform() < density) bits.push(b);
  return bits;
}

/** Tanimoto from plain sets, the definition. */
function setTanimoto(a: readonly number[], b: readonly number[]): number {
  const sa = new Set(a);
  const common = b.filter((x) => sa.has(x)).length;
  const union = a.length + b.length - common;
  return union === 0 ? 1 : common / union;
}

describe('popcount32', () => {
  it('counts the set bits of any 32-bit word', () => {
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 2000; i++) {
      const x = Math.floor(rng.uniform() * 2 ** 32);
      expect(popcount32(x)).toBe([...x.toString(2)].filter((c) => c === '1').length);
    }
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(-1)).toBe(32);
  });
});

describe('fingerprints and Tanimoto', () => {
  it('round-trips on-bits through words', () => {
    const bits = [0, 1, 31, 32, 63, 500, 1023];
    const fp = fingerprintFromOnBits(bits, 1024);
    expect(onBits(fp)).toEqual(bits);
    expect(fp.onBitCount).toBe(bits.length);
    expect(onBits(fingerprintFromWords(fp.words))).toEqual(bits);
    expect(() => fingerprintFromOnBits([1024], 1024)).toThrow(/onBits/);
  });

  it('equals the set definition on random sparse and dense bit sets, for row lengths above the 31-word reduction', () => {
    const rng = Rng.fromSeed(2);
    for (const nBits of [64, 1024, 2048, 4096]) {
      for (let i = 0; i < 100; i++) {
        const density = [0.02, 0.3, 0.9][i % 3] as number;
        const a = randomBits(rng, nBits, density);
        const b = randomBits(rng, nBits, density);
        const fa = fingerprintFromOnBits(a, nBits);
        const fb = fingerprintFromOnBits(b, nBits);
        expect(tanimoto(fa, fb)).toBeCloseTo(setTanimoto(a, b), 12);
        const m = fingerprintMatrix([fa, fb]);
        const inB = new Set(b);
        const common = a.filter((x) => inB.has(x)).length;
        expect(commonBits(m.words, 0, m.words, 1, m.wordsPer)).toBe(common);
        // Full words: 32 set bits per word over 128 words would overflow a byte-count accumulator if not reduced.
        expect(commonBits(m.words, 0, m.words, 0, m.wordsPer)).toBe(a.length);
      }
    }
    const full = fingerprintFromWords(new Uint32Array(128).fill(0xffffffff));
    const fm = fingerprintMatrix([full]);
    expect(commonBits(fm.words, 0, fm.words, 0, fm.wordsPer)).toBe(4096);
  });

  it('is 1 for identical and for two empty fingerprints (as MOSES), 0 for disjoint ones, and symmetric', () => {
    const a = fingerprintFromOnBits([1, 2, 3], 1024);
    const b = fingerprintFromOnBits([4, 5], 1024);
    const empty = fingerprintFromOnBits([], 1024);
    expect(tanimoto(a, a)).toBe(1);
    expect(tanimoto(empty, empty)).toBe(1);
    expect(tanimoto(a, b)).toBe(0);
    expect(tanimoto(a, empty)).toBe(0);
    const c = fingerprintFromOnBits([2, 3, 4], 1024);
    expect(tanimoto(a, c)).toBe(0.5);
    expect(tanimoto(c, a)).toBe(0.5);
    expect(() => tanimoto(a, fingerprintFromOnBits([1], 2048))).toThrow(/1024 bits/);
  });
});

describe('bit index', () => {
  it('counts the same common bits as AND + popcount, for all rows or the rows from an offset', () => {
    const rng = Rng.fromSeed(6);
    const fps = Array.from({ length: 60 }, (_, i) => fingerprintFromOnBits(randomBits(rng, 1024, i % 7 === 0 ? 0 : 0.04), 1024));
    const m = fingerprintMatrix(fps);
    const index = bitIndex(m);
    for (const from of [0, 1, 17, 59]) {
      for (let i = 0; i < m.count; i += 7) {
        const counts = new Int32Array(m.count);
        addCommonBits(m, i, index, counts, from);
        for (let j = 0; j < m.count; j++) expect(counts[j], `${i} ${j} from ${from}`).toBe(j < from ? 0 : commonBits(m.words, i, m.words, j, m.wordsPer));
      }
    }
  });
});
