export { PAD, UNK, BOS, EOS, SPECIAL_TOKENS, VOCABULARY_FORMAT, Vocabulary } from './text/vocabulary.js';
export type { VocabularyJSON, VocabularyOptions } from './text/vocabulary.js';
export { MAX_DEFAULT_MAX_LENGTH, MIN_DEFAULT_MAX_LENGTH, TextCorpus, defaultMaxLength, readTokenizedText } from './text/corpus.js';
export type { ReadTextOptions, TokenizedText } from './text/corpus.js';
export { bucketedPlan, collateText, textBatches } from './text/batches.js';
export type { TextBatch } from './text/batches.js';
export { BowCorpus } from './bow/corpus.js';
export { MAX_DOCUMENT_COUNT, MAX_VOCABULARY_COUNT, readBowVocabulary, readFeat } from './bow/nvdm.js';
export type { BowVocabulary } from './bow/nvdm.js';
export { bowBatches, collateBow } from './bow/batches.js';
export type { BowBatch } from './bow/batches.js';
export { bytesToUnit, parseIdx, readIdx, readIdxImages, readIdxLabels } from './images/idx.js';
export type { IdxArray } from './images/idx.js';
export { collateImages, imageBatches, loadIdxImageSet } from './images/image-set.js';
export type { ImageBatch, ImageSet } from './images/image-set.js';
export { bundledMnistDir, loadBundledMnist } from './images/mnist-package.js';
export { batchPlan, chunk, epochRng, range, shuffled, splitTrainValid } from './order.js';
export type { BatchInfo, BatchOptions, EpochPosition, Split } from './order.js';
export {
  defaultDataDir,
  findIdxFile,
  loadBowDataset,
  loadMnist,
  loadMnistIdx,
  loadNewsgroups,
  loadPtb,
  loadTextDataset,
  newsgroupsFiles,
  ptbFiles,
} from './datasets.js';
export type { BowDataset, TextDataset, TextDatasetOptions } from './datasets.js';
export { checkDatasets, formatDatasetReport } from './check.js';
export type { DatasetReport } from './check.js';
export { BINARY_INVALID_UTF8_SHARE, DEFAULT_MAX_DECOMPRESSED_BYTES, gzipDeclaredSize, isGzip, readMaybeGzipped } from './io.js';
export type { GunzipOptions } from './io.js';
export type { DataKind, DataShape, SpecialTokenIds } from './datasets/shape.js';
export { dataSpecSchema } from './datasets/loaded.js';
export type { DataSpec, DataSpecInput, EpochSource, LabelledBatch, LoadedData } from './datasets/loaded.js';
export type { DatasetKind } from './datasets/kind.js';
export { datasetKind, datasetKinds, loadData, registerDataset, resolveDataSpec } from './datasets/registry.js';
export { DATA_DIR_HINT } from './datasets/named.js';
export { bowData, firstSentences, imageData, textData } from './datasets/splits.js';
export { bowEpochs, fixedEpochs, imageEpochs, textEpochs } from './datasets/epochs.js';
export type { EpochOptions } from './datasets/epochs.js';
