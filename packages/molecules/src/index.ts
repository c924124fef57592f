/**
 * @latentkit/molecules: importing it registers the `smiles` and `moses` datasets and the `smilesVae` model kind, so
 * `latentkit train --data molecules.smi --model smiles-vae` works.
 */
import { registerDataset } from '@latentkit/data';
import { registerModel } from '@latentkit/models';
import { moses, smilesFiles } from './datasets.js';
import { smilesVae } from './smiles-vae.js';

registerDataset(smilesFiles);
registerDataset(moses);
registerModel(smilesVae as never);

export { MOSES_HELD_OUT, moses, smilesFiles } from './datasets.js';
export { augmentedSmiles, smilesData, splitMolecules } from './smiles-data.js';
export type { MoleculeSplits, SmilesDataOptions, SmilesLoadedData } from './smiles-data.js';
export { SmilesVae, smilesVae } from './smiles-vae.js';
export type { SmilesVaeConfig } from './smiles-vae.js';
export { decodeSmiles, encodeSmiles, sampleSmiles } from './sample.js';
export type { DecodeOptions, SampleSmilesOptions } from './sample.js';
export { HEAD_FORMAT, PropertyHead, fitSolubilityHead, fitToxicityHead, maskedBinaryCrossEntropy, rocAuc } from './heads.js';
export type { FitOptions, HeadJSON, PropertyName } from './heads.js';
export { encodableMolecules, fitPropertyHead } from './property-heads.js';
export type { EncodableMolecules, FittedHead } from './property-heads.js';
export { ascend, formatOptimizeReport, optimizeMolecules } from './optimize.js';
export type { MoleculeSetSummary, OptimizeOptions, OptimizeResult } from './optimize.js';
export {
  MOSES_GOALS,
  MOSES_VAE_ANCHOR,
  formatMetricsTable,
  formatPropertyTable,
  moleculeGrid,
  moleculeReport,
  propertyStats,
  writeMoleculeReport,
} from './report.js';
export type { MoleculeReport, PropertyStats } from './report.js';
