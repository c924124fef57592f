/** Dense batches of bag-of-words documents, built one batch at a time from the sparse corpus. */
import { type BatchInfo, type BatchOptions, batchPlan, walkPlan } from '../order.js';
import type { BowCorpus } from './corpus.js';

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

export function collateBow(corpus: BowCorpus, indices: Int32Array, info: BatchInfo): BowBatch {
  const counts = corpus.densify(indices);
  const lengths = Float32Array.from(indices, (d) => corpus.length(d));
  const tokenCount = lengths.reduce((a, n) => a + n, 0);
  return { ...info, size: indices.length, counts, labels: indices.map((d) => corpus.labels[d] as number), lengths, tokenCount };
}

/** Streams one epoch of dense bag-of-words batches, from `options.offset` on. */
export function bowBatches(corpus: BowCorpus, options: BatchOptions): Generator<BowBatch, void, undefined> {
  const plan = batchPlan(corpus.size, options);
  return walkPlan(plan, options.epoch ?? 0, options.offset ?? 0, (indices, info) => collateBow(corpus, indices, info));
}
