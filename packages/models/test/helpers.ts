/** Tiny hand-made batches for tests: deterministic, no data files. */
import { expect } from 'vitest';
import { Rng } from '@latentkit/core';
import type { BowBatch, ImageBatch, TextBatch } from '../src/index.js';

export function imageBatch(size: number, seed: number, side = 8): ImageBatch {
  const rng = Rng.fromSeed(seed);
  return { size, pixels: Float32Array.from({ length: size * side * side }, () => (rng.uniform() < 0.3 ? 1 : 0)) };
}

export function bowBatch(size: number, vocab: number, seed: number): BowBatch {
  const rng = Rng.fromSeed(seed);
  return { size, counts: Float32Array.from({ length: size * vocab }, () => (rng.uniform() < 0.2 ? 1 + rng.int(3) : 0)) };
}

/** Sentences of random words (ids ≥ 4; 0..3 are pad, unk, bos, eos) with the given word counts. */
export function textBatch(lengths: readonly number[], vocab: number, seed: number): TextBatch {
  const rng = Rng.fromSeed(seed);
  const size = lengths.length;
  const steps = Math.max(...lengths) + 1;
  const inputs = new Int32Array(size * steps);
  const targets = new Int32Array(size * steps);
  const mask = new Float32Array(size * steps);
  lengths.forEach((n, row) => {
    const words = Array.from({ length: n }, () => 4 + rng.int(vocab - 4));
    inputs[row * steps] = 2;
    words.forEach((w, i) => {
      inputs[row * steps + i + 1] = w;
      targets[row * steps + i] = w;
    });
    targets[row * steps + n] = 3;
    mask.fill(1, row * steps, row * steps + n + 1);
  });
  return { size, steps, inputs, targets, mask };
}

/** A synthetic ImageSet (the data package's shape) of `count` random binary side×side images. */
export function imageSet(count: number, seed: number, side = 8) {
  const rng = Rng.fromSeed(seed);
  return {
    source: 'synthetic',
    count,
    rows: side,
    cols: side,
    pixels: Float32Array.from({ length: count * side * side }, () => (rng.uniform() < 0.3 ? 1 : 0)),
  };
}

/** Short random sentences over a small vocabulary, as a data-package corpus. */
export function sentences(count: number, seed: number): string[][] {
  const rng = Rng.fromSeed(seed);
  const words = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  return Array.from({ length: count }, () => Array.from({ length: 1 + rng.int(6) }, () => words[rng.int(words.length)] as string));
}

/** Element-wise toBeCloseTo with a message naming the index. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, digits: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(got[i], `element ${i}`).toBeCloseTo(want[i] as number, digits);
}
