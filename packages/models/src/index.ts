export type * from './types.js';
export {
  createModel,
  loadModel,
  loadModelFrom,
  modelKind,
  modelKindByCliName,
  modelKinds,
  registerModel,
  resolveModelConfig,
  saveModelTo,
} from './registry.js';
export type { AnyModel, ModelOf } from './registry.js';
export { defineModel } from './kind.js';
export type { ModelDefaults, ModelKind } from './kind.js';
export { buildNetwork, network, sequential } from './network.js';
export type { Network, Networks } from './network.js';
export type { ExportPlan, FeedForwardPlan, PlanStep, RecurrentPlan } from './export-plan.js';
export {
  MODEL_FORMAT,
  TRAIN_CHECKPOINT_FORMAT,
  assignModelWeights,
  isOptimizerSlotName,
  loadModelWeights,
  modelEntryCheck,
  modelWeights,
  readModelFolder,
  readModelFolderConfig,
  saveModel,
} from './save.js';
export type { ModelFolderConfig } from './save.js';
export { BaseModel } from './models/base.js';
export { DEFAULT_SPECIAL_TOKENS, TextVae, checkSpecialTokens, specialTokensSchema, textVae } from './models/text-vae.js';
export type { DecoderState } from './models/text-vae.js';
export { BowVae, bowVae } from './models/bow-vae.js';
export { ImageMlp, imageMlp } from './models/image-mlp.js';
export { ImageConv, imageConv } from './models/image-conv.js';
export { imageNll } from './models/image.js';
export { TABULAR_LOG_VAR_LIMIT, Tabular, tabular, tabularEncoderInput, tabularLayout, tabularNll } from './models/tabular.js';
export { sampleTabularCells, tabularExpectationLayout, tabularExpectations, tabularPoints } from './models/tabular-cells.js';
export type { ExpectationLayout } from './models/tabular-cells.js';
export type { TabularLayout } from './models/tabular.js';
export { bernoulliNll, gaussianNll, multinomialNll, sequenceNll } from './likelihoods.js';
export { DEFAULT_CHECKPOINT_SECONDS, resolveTrainerConfig, trainerConfigSchema } from './train/config.js';
export type { OptimizerConfig, TrainerConfig, TrainerConfigInput } from './train/config.js';
export { STOP_SIGNALS, resumeTraining, train } from './train/trainer.js';
export type { StopReason, StopSignal, TrainData, TrainOptions, TrainResult, TrainState } from './train/trainer.js';
export { evaluate } from './train/evaluate.js';
export type { Evaluation } from './train/evaluate.js';
export { trainStep } from './train/step.js';
export type { StepMetrics } from './train/step.js';
export { parseRunLog, readRunLog, truncatePartialLastLine } from './train/log.js';
export type { LogRecord, RunLogContents, SkippedLine } from './train/log.js';
export { bowTrainData, fixedTrainData, imageTrainData, textTrainData } from './train/data.js';
export type { EpochOptions } from './train/data.js';
export { beamDecode, greedyDecode, interpolate, interpolateCodes, reconstruct, sampleDecode } from './text/decoding.js';
export type { BeamOptions, GenerateOptions, InterpolateOptions, SampleOptions } from './text/decoding.js';
export { decoderInput, imagePixels, sampleCodes } from './generate.js';
export {
  batchCondition,
  classIndex,
  conditionRows,
  conditionSchema,
  conditionSchemaFor,
  conditionValue,
  conditionWidth,
  defaultConditionValues,
  describeCondition,
  isNumericCondition,
  oneHotLabels,
} from './condition.js';
export type { ClassCondition, ConditionConfig, ConditionFields, ConditionInput, NumericCondition } from './condition.js';
export { encodeCodes, interpolationCodes, isSphericalLatent, latentPathFor, traversalCodes, traversalValues } from './latent-paths.js';
export type { InterpolationOptions, LatentPath, TraversalOptions } from './latent-paths.js';
export { ImageLadder, gaussianKl, imageLadder, precisionWeightedMerge } from './models/image-ladder.js';
export type { ImageLadderConfig } from './models/image-ladder.js';
export { ProductOfExpertsVae, trainPoe } from './multimodal/poe.js';
export type { PoeBatch, PoeConfig } from './multimodal/poe.js';
export { MultimodalVae, trainMultimodal } from './multimodal/mvae.js';
export type { MultimodalBatch, MultimodalConfig, SubsetElboModel } from './multimodal/mvae.js';
export type { AttributesModality, ImageModality, LabelModality, ModalitySpec } from './multimodal/modalities.js';
export { productOfExperts } from './multimodal/experts.js';
export type { Expert, Gauss as ExpertGauss } from './multimodal/experts.js';
export { DIGIT_ATTRIBUTES, digitAttributes } from './multimodal/digit-attributes.js';
export type { DigitAttribute } from './multimodal/digit-attributes.js';
