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
export { datasetKind, datasetKindForPath, datasetKinds, loadData, registerDataset, resolveDataSpec } from './datasets/registry.js';
export { DATA_DIR_HINT } from './datasets/named.js';
export { bowData, firstSentences, imageData, imageSplitsData, textData } from './datasets/splits.js';
export { labelledTable, tableData, tableShape, threeWaySplit } from './datasets/table-data.js';
export { streamedTableData } from './datasets/streamed-table-data.js';
export { fileOptionsSchema, userFiles } from './datasets/files.js';
export type { FileOptions } from './datasets/files.js';
export { bowEpochs, fixedEpochs, imageEpochs, textEpochs } from './datasets/epochs.js';
export type { EpochOptions } from './datasets/epochs.js';
export { imageSize } from './images/image-set.js';
export { listImageFolder, readImageFolder } from './images/folder.js';
export type { ImageFolderOptions } from './images/folder.js';
export { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist } from './images/fashion-mnist.js';
export { parseIdxArray, readIdxArray } from './images/idx-array.js';
export { bowFromText, bowVocabulary, loadLineBow, loadLineText } from './text/lines.js';
export type { LineBowDataset, LineFiles, LineTextOptions, LineVocabularyOptions } from './text/lines.js';
export type {
  ColumnConfig,
  ColumnRole,
  ColumnSchema,
  ColumnType,
  ColumnsConfig,
  CellOptions,
  SkippedColumn,
  Table,
  TableColumn,
  TableOptions,
} from './tabular/types.js';
export { parseColumnsConfig } from './tabular/layout.js';
export { openCsv, readCsv, scanCsv } from './tabular/csv.js';
export type { CsvOptions, CsvSource } from './tabular/csv.js';
export type { TableLayout } from './tabular/infer.js';
export { PREPROCESSING_FORMAT, Preprocessing, classCount } from './tabular/preprocess.js';
export type { ApplyOptions, ColumnTransform, PreparedTable, PreprocessingJSON } from './tabular/preprocess.js';
export { openCsvStream, scanCsvParts } from './tabular/stream.js';
export { tableBatches } from './tabular/batches.js';
export type { CsvPartsScan, CsvStream, CsvStreamOptions, RowSplit, TableBatch } from './tabular/stream.js';
export { formatInspection, inspectFile } from './tabular/inspect.js';
export type { ColumnInspection, Inspection } from './tabular/inspect.js';
export { DATA_FORMATS, TABLE_FORMATS, detectFormat, readTable } from './formats/detect.js';
export type { DataFormat, ReadTableOptions, TableFormat } from './formats/detect.js';
export { ndarrayTable } from './formats/ndarray.js';
export type { NdArray } from './formats/ndarray.js';
export { encodeNpy, parseNpy, readNpy } from './formats/npy.js';
export { matVariable, parseMat, readMat } from './formats/mat.js';
export type { MatFile, MatSkipped } from './formats/mat.js';
export { parseJsonLines, readJsonLines } from './formats/jsonl.js';
export { readArrow } from './formats/arrow.js';
export { readParquet } from './formats/parquet.js';
