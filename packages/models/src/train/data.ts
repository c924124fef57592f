/**
 * The trainer's data from the @latentkit/data corpora. The epoch plans live in the data package (`textEpochs`,
 * `bowEpochs`, `imageEpochs`, `fixedEpochs`); these are their names on the trainer's side.
 */
export { bowEpochs as bowTrainData, fixedEpochs as fixedTrainData, imageEpochs as imageTrainData, textEpochs as textTrainData } from '@latentkit/data';
export type { EpochOptions } from '@latentkit/data';
