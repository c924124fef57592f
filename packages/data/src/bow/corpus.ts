/**
 * Bag-of-words documents stored sparse (CSR): document `d` has the 0-based word ids `ids[offsets[d] .. offsets[d+1])`
 * with the same slice of `counts`. Dense rows are built one batch at a time, never for a whole corpus.
 */
import { invalidArgument } from '@latentkit/core/base';

export class BowCorpus {
  readonly vocabSize: number;
  /** One label per document, as in the file. */
  readonly labels: Int32Array;
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
  readonly counts: Int32Array;

  constructor(vocabSize: number, labels: Int32Array, offsets: Int32Array, ids: Int32Array, counts: Int32Array) {
    this.vocabSize = vocabSize;
    this.labels = labels;
    this.offsets = offsets;
    this.ids = ids;
    this.counts = counts;
  }

  /** Number of documents. */
  get size(): number {
    return this.labels.length;
  }

  /** Word tokens in document `d` (the sum of its counts). */
  length(d: number): number {
    let n = 0;
    for (let k = this.offsets[d] as number; k < (this.offsets[d + 1] as number); k++) n += this.counts[k] as number;
    return n;
  }

  /** Word tokens in all documents, or in some: what per-word perplexity divides by. */
  tokenCount(documents?: Iterable<number>): number {
    if (documents === undefined) return this.counts.reduce((a, c) => a + c, 0);
    let n = 0;
    for (const d of documents) n += this.length(d);
    return n;
  }

  /** The word counts of some documents as a dense [documents.length, vocabSize] row-major matrix. */
  densify(documents: ArrayLike<number>): Float32Array {
    const V = this.vocabSize;
    const out = new Float32Array(documents.length * V);
    for (let row = 0; row < documents.length; row++) {
      const d = documents[row] as number;
      if (!(Number.isInteger(d) && d >= 0 && d < this.size)) throw invalidArgument('documents', `indices in [0, ${this.size})`, d);
      for (let k = this.offsets[d] as number; k < (this.offsets[d + 1] as number); k++) {
        out[row * V + (this.ids[k] as number)] = this.counts[k] as number;
      }
    }
    return out;
  }
}
