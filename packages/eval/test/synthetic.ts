import { Rng } from '@latentkit/core';

/** `perClass` points around each of `classes` centres placed `separation` apart along distinct axes, unit noise. */
export function gaussianBlobs(classes: number, perClass: number, dim: number, separation: number, seed: number) {
  const rng = Rng.fromSeed(seed);
  const codes: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < classes * perClass; i++) {
    const c = i % classes;
    codes.push(Array.from({ length: dim }, (_, j) => rng.normal() + (j === c % dim ? separation : 0) + (c >= dim && j === 0 ? -separation : 0)));
    labels.push(c);
  }
  return { codes, labels };
}
