/**
 * The order in which examples are visited: seeded permutations, train/valid splits and batch plans.
 *
 * Every epoch's order is a pure function of (seed, epoch), drawn from its own RNG stream, so a trainer that stopped
 * after `offset` batches of epoch `epoch` resumes by asking for the same (seed, epoch) and skipping `offset` batches:
 * no RNG state has to be replayed or saved.
 */
import { Rng, check, checkPositiveInt } from '@latentkit/core/base';

/** Where a batch iterator stands: `offset` batches of epoch `epoch` have been taken. Plain JSON, for checkpoints. */
export interface EpochPosition {
  readonly epoch: number;
  readonly offset: number;
}

/** How to cut one epoch into batches. */
export interface BatchOptions {
  readonly batchSize: number;
  /** Seed of the shuffle; required when `shuffle` is true (the default). */
  readonly seed?: number | string;
  /** Epoch number, 0-based; each epoch has its own order. Default 0. */
  readonly epoch?: number;
  /** Batches of this epoch to skip, to resume mid-epoch. Default 0. */
  readonly offset?: number;
  /** Visit examples in a seeded random order (default) or in their stored order. */
  readonly shuffle?: boolean;
  /** Leave out a last batch smaller than `batchSize`. Default false. */
  readonly dropLast?: boolean;
  /** Indices of the examples to use (e.g. the train part of a split); default all. */
  readonly subset?: Int32Array;
}

/** The RNG stream of one epoch: independent of every other epoch's. */
export function epochRng(seed: number | string, epoch: number): Rng {
  check(Number.isInteger(epoch) && epoch >= 0, 'epoch', 'a non-negative integer', epoch);
  return Rng.fromSeed(`latentkit-data:${seed}:epoch:${epoch}`);
}

/** A seeded permutation of `items` (a new array; the input is not changed). */
export function shuffled(items: Int32Array, seed: number | string, epoch = 0): Int32Array {
  const perm = epochRng(seed, epoch).permutation(items.length);
  return perm.map((i) => items[i] as number);
}

/** 0, 1, …, n-1. */
export function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

export interface Split {
  readonly train: Int32Array;
  readonly valid: Int32Array;
}

/**
 * Splits example indices 0..n-1 into train and valid parts by seed: `round(n * validFraction)` examples go to valid.
 * Both parts are returned in ascending order, so a split keeps the file order and epochs shuffle on top of it.
 */
export function splitTrainValid(n: number, options: { readonly validFraction: number; readonly seed: number | string }): Split {
  checkPositiveInt(n, 'n');
  const { validFraction, seed } = options;
  check(typeof validFraction === 'number' && validFraction > 0 && validFraction < 1, 'validFraction', 'a number strictly between 0 and 1', validFraction);
  const validCount = Math.round(n * validFraction);
  check(validCount >= 1 && validCount < n, 'validFraction', `a fraction that leaves at least one example on each side of a split of ${n}`, validFraction);
  const order = shuffled(range(n), `${seed}:split`);
  const sorted = (a: Int32Array) => a.sort();
  return { train: sorted(order.slice(validCount)), valid: sorted(order.slice(0, validCount)) };
}

export type ResolvedBatchOptions = Required<Omit<BatchOptions, 'seed'>> & { readonly seed: number | string };

/** Validates the options shared by every batch iterator and fills in their defaults. */
export function resolveBatchOptions(options: BatchOptions, count: number): ResolvedBatchOptions {
  const { batchSize, seed, epoch = 0, offset = 0, shuffle = true, dropLast = false } = options;
  checkPositiveInt(batchSize, 'batchSize');
  check(Number.isInteger(epoch) && epoch >= 0, 'epoch', 'a non-negative integer', epoch);
  check(Number.isInteger(offset) && offset >= 0, 'offset', 'a non-negative integer', offset);
  if (shuffle) check(seed !== undefined, 'seed', 'a number or string (needed when shuffle is true)', seed);
  const subset = options.subset ?? range(count);
  const bad = subset.find((i) => !(i >= 0 && i < count));
  check(bad === undefined, 'subset', `indices in [0, ${count})`, bad);
  return { batchSize, seed: seed ?? 0, epoch, offset, shuffle, dropLast, subset };
}

/** Cuts an order into consecutive batches. */
export function chunk(order: Int32Array, batchSize: number, dropLast: boolean): Int32Array[] {
  const batches: Int32Array[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = order.subarray(start, start + batchSize);
    if (dropLast && batch.length < batchSize) break;
    batches.push(batch);
  }
  return batches;
}

/** One epoch's batches of example indices, in visiting order: a seeded shuffle (or the stored order) cut in chunks. */
export function batchPlan(count: number, options: BatchOptions): Int32Array[] {
  const o = resolveBatchOptions(options, count);
  const order = o.shuffle ? shuffled(o.subset, o.seed, o.epoch) : Int32Array.from(o.subset);
  return chunk(order, o.batchSize, o.dropLast);
}

/** What every batch carries besides its data: which examples it holds, and where the iterator stands after it. */
export interface BatchInfo {
  /** Indices of the examples in the dataset, in batch order. */
  readonly indices: Int32Array;
  /** The position just after this batch: save it to resume from the next batch. */
  readonly position: EpochPosition;
  /** Number of batches in this epoch. */
  readonly batchesInEpoch: number;
}

/** Walks a plan from `offset`, building each batch only when it is asked for. */
export function walkPlan<T>(
  plan: readonly Int32Array[],
  epoch: number,
  offset: number,
  collate: (indices: Int32Array, info: BatchInfo) => T,
): Generator<T, void, undefined> {
  check(offset <= plan.length, 'offset', `at most the ${plan.length} batches of this epoch`, offset);
  return (function* () {
    for (let b = offset; b < plan.length; b++) {
      const indices = plan[b] as Int32Array;
      yield collate(indices, { indices, position: { epoch, offset: b + 1 }, batchesInEpoch: plan.length });
    }
  })();
}
