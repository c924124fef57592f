/**
 * `TrainData` from the @latentkit/data corpora: each epoch's order is the data package's seeded plan for
 * (seed, epoch), so a checkpoint's (epoch, offset) is enough to resume.
 */
import {
  type BowCorpus,
  type ImageSet,
  type TextCorpus,
  batchPlan,
  bowBatches,
  bucketedPlan,
  imageBatches,
  textBatches,
} from '@latentkit/data';
import type { BowBatch, ImageBatch, TextBatch } from '../types.js';
import type { TrainData } from './trainer.js';

export interface EpochOptions {
  readonly batchSize: number;
  readonly seed: number | string;
}

/** Length-bucketed sentence batches, shuffled per epoch. */
export function textTrainData(corpus: TextCorpus, options: EpochOptions): TrainData<TextBatch> {
  return {
    batchesPerEpoch: bucketedPlan(corpus, { ...options, epoch: 0 }).length,
    batches: (epoch, offset) => textBatches(corpus, { ...options, epoch, offset }),
  };
}

export function bowTrainData(corpus: BowCorpus, options: EpochOptions): TrainData<BowBatch> {
  return {
    batchesPerEpoch: batchPlan(corpus.size, { ...options, epoch: 0 }).length,
    batches: (epoch, offset) => bowBatches(corpus, { ...options, epoch, offset }),
  };
}

export function imageTrainData(set: ImageSet, options: EpochOptions & { readonly subset?: Int32Array }): TrainData<ImageBatch> {
  return {
    batchesPerEpoch: batchPlan(set.count, { ...options, epoch: 0 }).length,
    batches: (epoch, offset) => imageBatches(set, { ...options, epoch, offset }),
  };
}

/** The same fixed list of batches every epoch (hand-made data, tests). */
export function fixedTrainData<B extends TextBatch | BowBatch | ImageBatch>(batches: readonly B[]): TrainData<B> {
  return { batchesPerEpoch: batches.length, batches: (_epoch, offset) => batches.slice(offset) };
}
