/**
 * `EpochSource`s from the corpora: each epoch's order is the seeded plan for (seed, epoch), so a checkpoint's
 * (epoch, offset) is enough to resume.
 */
import { type BowBatch, bowBatches } from '../bow/batches.js';
import type { BowCorpus } from '../bow/corpus.js';
import { type ImageBatch, type ImageSet, imageBatches } from '../images/image-set.js';
import { batchPlan } from '../order.js';
import { type TextBatch, bucketedPlan, textBatches } from '../text/batches.js';
import type { TextCorpus } from '../text/corpus.js';
import type { EpochSource } from './loaded.js';

export interface EpochOptions {
  readonly batchSize: number;
  readonly seed: number | string;
  /** Only these examples (indices into the corpus), e.g. the training part of a split. */
  readonly subset?: Int32Array;
}

/** Length-bucketed sentence batches, shuffled per epoch. */
export function textEpochs(corpus: TextCorpus, options: Omit<EpochOptions, 'subset'>): EpochSource<TextBatch> {
  return {
    batchesPerEpoch: bucketedPlan(corpus, { ...options, epoch: 0 }).length,
    batches: (epoch, offset) => textBatches(corpus, { ...options, epoch, offset }),
  };
}

export function bowEpochs(corpus: BowCorpus, options: EpochOptions): EpochSource<BowBatch> {
  return {
    batchesPerEpoch: batchPlan(corpus.size, { ...options, epoch: 0 }).length,
    batches: (epoch, offset) => bowBatches(corpus, { ...options, epoch, offset }),
  };
}

export function imageEpochs(set: ImageSet, options: EpochOptions): EpochSource<ImageBatch> {
  return {
    batchesPerEpoch: batchPlan(set.count, { ...options, epoch: 0 }).length,
    batches: (epoch, offset) => imageBatches(set, { ...options, epoch, offset }),
  };
}

/** The same fixed list of batches every epoch (hand-made data, tests). */
export function fixedEpochs<B>(batches: readonly B[]): EpochSource<B> {
  return { batchesPerEpoch: batches.length, batches: (_epoch, offset) => batches.slice(offset) };
}
