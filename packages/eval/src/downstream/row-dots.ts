/** Float64 matrix products as dot products of contiguous rows, the downstream tasks' fallback without a backend. */

/**
 * Dot products of two rows of a with two rows of b at once (rows `aNext` and `bNext` apart, `length` entries):
 * four products per four loads, against two loads per product for one dot at a time. Writes out[0..3] =
 * a0·b0, a0·b1, a1·b0, a1·b1.
 */
function dot2x2(a: Float64Array, a0: number, aNext: number, b: Float64Array, b0: number, bNext: number, length: number, out: Float64Array): void {
  let s00 = 0;
  let s01 = 0;
  let s10 = 0;
  let s11 = 0;
  const a1 = a0 + aNext;
  const b1 = b0 + bNext;
  for (let j = 0; j < length; j++) {
    const x0 = a[a0 + j] as number;
    const x1 = a[a1 + j] as number;
    const y0 = b[b0 + j] as number;
    const y1 = b[b1 + j] as number;
    s00 += x0 * y0;
    s01 += x0 * y1;
    s10 += x1 * y0;
    s11 += x1 * y1;
  }
  out[0] = s00;
  out[1] = s01;
  out[2] = s10;
  out[3] = s11;
}

/** out[r·m + c] = row r of a · row c of b, rows of `length` entries: a is p × length, b is m × length. */
export function rowDots(a: Float64Array, p: number, b: Float64Array, m: number, length: number, out: Float64Array): void {
  const block = new Float64Array(4);
  for (let r = 0; r < p; r += 2) {
    // An odd last row pairs with itself; its duplicate results are simply written twice.
    const rNext = r + 1 < p ? length : 0;
    for (let c = 0; c < m; c += 2) {
      const cNext = c + 1 < m ? length : 0;
      dot2x2(a, r * length, rNext, b, c * length, cNext, length, block);
      out[r * m + c] = block[0] as number;
      if (cNext) out[r * m + c + 1] = block[1] as number;
      if (rNext) {
        out[(r + 1) * m + c] = block[2] as number;
        if (cNext) out[(r + 1) * m + c + 1] = block[3] as number;
      }
    }
  }
}
