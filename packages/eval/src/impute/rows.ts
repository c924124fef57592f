/** Small helpers the methods share on row-major [size, width] arrays. */
import { tf } from '@latentkit/core';
import type { MaskedRows } from './types.js';

/** Rows with every cell observed: what an encoder is shown once the missing cells hold imputed values. */
export function completed(rows: MaskedRows, values: Float32Array): MaskedRows {
  return { size: rows.size, width: rows.width, values, missing: new Uint8Array(rows.size * rows.width) };
}

/** `rows` repeated `times` times, one copy after another: [times · size, width] (independent chains or draws). */
export function repeatRows(rows: MaskedRows, times: number): MaskedRows {
  const n = rows.size * rows.width;
  const values = new Float32Array(times * n);
  const missing = new Uint8Array(times * n);
  for (let t = 0; t < times; t++) {
    values.set(rows.values, t * n);
    missing.set(rows.missing, t * n);
  }
  return { size: times * rows.size, width: rows.width, values, missing };
}

/** A copy of `values` with the missing cells of `rows` taken from `fill`; observed cells are the input's own. */
export function fillMissing(rows: MaskedRows, fill: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(rows.values);
  for (let i = 0; i < out.length; i++) if (rows.missing[i] === 1) out[i] = fill[i] as number;
  return out;
}

/** Mean over `copies` consecutive blocks of `block` entries each: [copies · block] → [block]. */
export function meanOfCopies(values: ArrayLike<number>, copies: number, block: number): Float64Array {
  const out = new Float64Array(block);
  for (let c = 0; c < copies; c++) for (let i = 0; i < block; i++) out[i] = (out[i] as number) + (values[c * block + i] as number) / copies;
  return out;
}

/** Reads a tensor into a Float32Array and disposes it. */
export function read(t: tf.Tensor): Float32Array {
  try {
    return Float32Array.from(t.dataSync() as Float32Array);
  } finally {
    t.dispose();
  }
}

/** The decoder's parameters at codes z, as a plain array. */
export function decodeAt(decode: (z: tf.Tensor2D) => tf.Tensor2D, z: tf.Tensor2D): Float32Array {
  return read(tf.tidy(() => decode(z)));
}
