/** Dense batches of bag-of-words documents, built one batch at a time from the sparse corpus. */
import { check } from '@latentkit/core';
import { type BatchInfo, type BatchOptions, batchPlan, walkPlan } from '../order.js';
import type { BowCorpus } from './nvdm.js';

export interface BowBatch extends BatchInfo {
  /** Documents in the batch. */
  readonly size: number;
  /** [size, vocabSize] row-major word counts. */
  readonly counts: Float32Array;
  /** The documents' labels as in the file. */
  readonly labels: Int32Array;
  /** Word tokens per document (row sums of `counts`). */
  readonly lengths: Float32Array;
  /** All word tokens in the batch: what per-word perplexity divides by. */
  readonly tokenCount: number;
}

/** The word counts of some documents as a dense [documents.length, vocabSize] row-major matrix. */
export function densify(corpus: BowCorpus, documents: ArrayLike<number>): Float32Array {
  const V = corpus.vocabSize;
  const out = new Float32Array(documents.length * V);
  for (let row = 0; row < documents.length; row++) {
    const d = documents[row] as number;
    check(Number.isInteger(d) && d >= 0 && d < corpus.labels.length, 'documents', `indices in [0, ${corpus.labels.length})`, d);
    for (let k = corpus.offsets[d] as number; k < (corpus.offsets[d + 1] as number); k++) {
      out[row * V + (corpus.ids[k] as number)] = corpus.counts[k] as number;
    }
  }
  return out;
}

export function collateBow(corpus: BowCorpus, indices: Int32Array, info: BatchInfo): BowBatch {
  const counts = densify(corpus, indices);
  const lengths = new Float32Array(indices.length);
  let tokenCount = 0;
  indices.forEach((d, row) => {
    let length = 0;
    for (let k = corpus.offsets[d] as number; k < (corpus.offsets[d + 1] as number); k++) length += corpus.counts[k] as number;
    lengths[row] = length;
    tokenCount += length;
  });
  return { ...info, size: indices.length, counts, labels: indices.map((d) => corpus.labels[d] as number), lengths, tokenCount };
}

/** Streams one epoch of dense bag-of-words batches, from `options.offset` on. */
export function bowBatches(corpus: BowCorpus, options: BatchOptions): Generator<BowBatch, void, undefined> {
  const plan = batchPlan(corpus.labels.length, options);
  return walkPlan(plan, options.epoch ?? 0, options.offset ?? 0, (indices, info) => collateBow(corpus, indices, info));
}
