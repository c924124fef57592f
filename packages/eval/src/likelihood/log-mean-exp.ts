/**
 * log((1/K) Σ_k exp(w[k, i])) for each column i of a row-major [K, b] array, in float64 with the maximum factored
 * out, so weights of −10⁴ nats (whole documents) neither underflow nor lose the small ones.
 */
export function logMeanExpColumns(w: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < cols; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < rows; k++) max = Math.max(max, w[k * cols + i] as number);
    if (max === Number.NEGATIVE_INFINITY || !Number.isFinite(max)) {
      out[i] = max;
      continue;
    }
    let sum = 0;
    for (let k = 0; k < rows; k++) sum += Math.exp((w[k * cols + i] as number) - max);
    out[i] = max + Math.log(sum / rows);
  }
  return out;
}
