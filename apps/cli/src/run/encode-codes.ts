/** Deterministic codes of a dataset split, batch by batch, for `encode`, the scatter plot and the quickstart. */
import { tf } from '@latentkit/core';
import type { LabelledBatch } from '@latentkit/data';
import type { Batch, Model } from '@latentkit/models';

export interface EncodedCodes {
  readonly values: Float32Array;
  readonly n: number;
  readonly dim: number;
  readonly labels?: Int32Array;
}

/** `which`: `latent`, the pre-quantization code downstream tasks use, or `code`, what the decoder sees. */
export function encodeCodes(model: Model, batches: Iterable<LabelledBatch<unknown>>, which: 'latent' | 'code' = 'latent', limit = Infinity): EncodedCodes {
  const chunks: Float32Array[] = [];
  const labels: number[] = [];
  let hasLabels = true;
  let n = 0;
  let dim = 0;
  for (const { batch: item, labels: l } of batches) {
    const batch = item as Batch;
    if (n >= limit) break;
    const values = tf.tidy(() => {
      const out = model.encode(batch as never, { mode: 'infer' });
      return out[which].dataSync() as Float32Array;
    });
    dim = values.length / batch.size;
    const take = Math.min(batch.size, limit - n);
    chunks.push(values.subarray(0, take * dim));
    if (l) for (let i = 0; i < take; i++) labels.push(l[i] as number);
    else hasLabels = false;
    n += take;
  }
  const values = new Float32Array(n * dim);
  let offset = 0;
  for (const c of chunks) {
    values.set(c, offset);
    offset += c.length;
  }
  return hasLabels && labels.length === n ? { values, n, dim, labels: Int32Array.from(labels) } : { values, n, dim };
}

export function rowsOf(codes: EncodedCodes): number[][] {
  return Array.from({ length: codes.n }, (_, i) => Array.from(codes.values.subarray(i * codes.dim, (i + 1) * codes.dim)));
}
