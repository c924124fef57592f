/**
 * Length-bucketed batches of sentences: sentences of similar length go together so padding stays small, and each
 * batch carries the decoder's inputs (`<bos> w1 … wn`) and targets (`w1 … wn <eos>`), padded with `<pad>`.
 */
import { type BatchInfo, type BatchOptions, chunk, resolveBatchOptions, shuffled, walkPlan } from '../order.js';
import type { TextCorpus } from './corpus.js';
import { Vocabulary } from './vocabulary.js';

export interface TextBatch extends BatchInfo {
  /** Sentences in the batch. */
  readonly size: number;
  /** Time steps: the longest sentence's word count + 1 (for `<bos>` in inputs, `<eos>` in targets). */
  readonly steps: number;
  /** Words per sentence, specials excluded. */
  readonly lengths: Int32Array;
  /** [size, steps] row-major: `<bos> w1 … wn <pad> …`. */
  readonly inputs: Int32Array;
  /** [size, steps] row-major: `w1 … wn <eos> <pad> …`. */
  readonly targets: Int32Array;
  /** [size, steps]: 1 where `targets` is a word or `<eos>`, 0 on padding. */
  readonly mask: Float32Array;
  /** Target tokens, `<eos>` included: what per-token perplexity divides by. */
  readonly tokenCount: number;
  /** Words, `<eos>` excluded. */
  readonly wordCount: number;
  /** The sentences' labels, when the corpus has them. */
  readonly labels?: Int32Array;
}

/**
 * One epoch's batches of sentence indices. With shuffling, the sentences are put in a seeded random order, sorted
 * by length (stable, so equal lengths stay randomly mixed), cut into batches, and the batches are visited in a seeded
 * random order. Without it, batches go from short to long and ties keep the stored order.
 */
export function bucketedPlan(corpus: TextCorpus, options: BatchOptions): Int32Array[] {
  const o = resolveBatchOptions(options, corpus.size);
  const order = o.shuffle ? shuffled(o.subset, o.seed, o.epoch) : Int32Array.from(o.subset);
  const batches = chunk(sortByLength(order, corpus.lengths()), o.batchSize, o.dropLast);
  if (!o.shuffle) return batches;
  const visit = shuffled(Int32Array.from(batches.keys()), `${o.seed}:buckets`, o.epoch);
  return Array.from(visit, (b) => batches[b] as Int32Array);
}

/** A stable counting sort of sentence indices by length: O(n + longest), and ties keep their order. */
function sortByLength(order: Int32Array, lengths: Int32Array): Int32Array {
  const length = (i: number) => lengths[i] as number;
  const longest = order.reduce((m, i) => Math.max(m, length(i)), 0);
  const start = new Int32Array(longest + 2);
  for (const i of order) start[length(i) + 1] = (start[length(i) + 1] as number) + 1;
  for (let l = 1; l < start.length; l++) start[l] = (start[l] as number) + (start[l - 1] as number);
  const sorted = new Int32Array(order.length);
  for (const i of order) {
    const at = start[length(i)] as number;
    sorted[at] = i;
    start[length(i)] = at + 1;
  }
  return sorted;
}

/** Builds the padded arrays of one batch. */
export function collateText(corpus: TextCorpus, indices: Int32Array, info: BatchInfo): TextBatch {
  const size = indices.length;
  const lengths = indices.map((i) => corpus.length(i));
  const steps = lengths.reduce((a, b) => Math.max(a, b), 0) + 1;
  // <pad> is id 0, so new (zero-filled) arrays start as padding
  const inputs = new Int32Array(size * steps);
  const targets = new Int32Array(size * steps);
  const mask = new Float32Array(size * steps);
  let wordCount = 0;
  indices.forEach((sentence, row) => {
    const words = corpus.sentence(sentence);
    const at = row * steps;
    inputs[at] = Vocabulary.bosId;
    inputs.set(words, at + 1);
    targets.set(words, at);
    targets[at + words.length] = Vocabulary.eosId;
    mask.fill(1, at, at + words.length + 1);
    wordCount += words.length;
  });
  const labels = corpus.labels;
  return {
    ...info,
    size,
    steps,
    lengths,
    inputs,
    targets,
    mask,
    tokenCount: wordCount + size,
    wordCount,
    ...(labels && { labels: indices.map((i) => labels[i] as number) }),
  };
}

/** Streams one epoch of length-bucketed batches, from `options.offset` on; each batch is built when it is asked for. */
export function textBatches(corpus: TextCorpus, options: BatchOptions): Generator<TextBatch, void, undefined> {
  const plan = bucketedPlan(corpus, options);
  return walkPlan(plan, options.epoch ?? 0, options.offset ?? 0, (indices, info) => collateText(corpus, indices, info));
}
