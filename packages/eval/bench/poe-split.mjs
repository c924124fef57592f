/**
 * What the product-of-experts benches (poe-mnist.mjs, poe-attributes.mjs) share, chiefly one seeded split so their
 * held-out digits are the same: a Fisher–Yates shuffle of the bundled digits seeded 'poe-mnist', the first 8,000 to train.
 */
import { Rng } from '@latentkit/core';

export const AREA = 784;

/** The number after `name` on the command line, or `fallback`. */
export function numberFlag(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

export function poeSplit(count) {
  const rng = Rng.fromSeed('poe-mnist');
  const order = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return { trainIdx: order.slice(0, 8000), heldIdx: order.slice(8000) };
}

/** The pixels of digits `idx`, row-major [idx.length · 784], and their labels. */
export function digitsOf(set, idx) {
  const pixels = new Float32Array(idx.length * AREA);
  idx.forEach((i, r) => {
    pixels.set(set.pixels.subarray(i * AREA, (i + 1) * AREA), r * AREA);
  });
  return { pixels, labels: Array.from(idx, (i) => set.labels[i]) };
}
