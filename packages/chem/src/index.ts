export { Chemistry, loadChemistry } from './chemistry.js';
export { loadRDKit } from './rdkit.js';
export { svgGrid } from './grid.js';
export type { GridCell, GridOptions } from './grid.js';
export type { MolecularDescriptors, MorganOptions, SvgOptions } from './chemistry.js';
export { QED_ACCEPTOR_SMARTS, QED_ALERT_SMARTS, QED_ALIPHATIC_RING_ATOM, QED_MEAN_WEIGHTS, ads, qedFromProperties } from './qed.js';
export type { QedProperties } from './qed.js';
export {
  addCommonBits,
  bitIndex,
  commonBits,
  fingerprintFromOnBits,
  fingerprintFromWords,
  fingerprintMatrix,
  onBits,
  popcount32,
  tanimoto,
} from './fingerprint.js';
export type { BitIndex, Fingerprint, FingerprintMatrix } from './fingerprint.js';
export { detokenize, tokenize } from './tokenizer.js';
export { SMILES_TOKENIZER, SmilesVocabulary } from './vocabulary.js';
export type { SmilesVocabularyJSON } from './vocabulary.js';
export { renumberMolblock } from './randomize.js';
export { describeLines, readSmilesFile, skippedSummary, smilesFormatOf } from './reader.js';
export type { ReadSmilesOptions, SkippedRecords, SmilesFileFormat, SmilesTable } from './reader.js';
export { TOX21_ASSAYS, holdOut, loadEsol, loadMosesSmiles, loadTox21 } from './datasets.js';
export type { EsolData, HeldOutSplit, MosesSplit, PropertyTable, Tox21Data } from './datasets.js';
export {
  fractionUnique,
  fractionValid,
  indexFingerprints,
  internalDiversity,
  mosesFingerprints,
  mosesMetrics,
  nearestNeighbourSimilarity,
  novelty,
  validMolecules,
} from './metrics.js';
export type { BitIndexedFingerprints, MosesMetrics, MosesMetricsOptions, ValidMolecules } from './metrics.js';
export type { RDKitMol, RDKitModule } from './rdkit-types.js';
