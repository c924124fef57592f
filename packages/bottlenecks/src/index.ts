// The contract.
export type { Bottleneck, BottleneckContext, BottleneckMode, BottleneckOutput, BottleneckStats, DensityBottleneck } from './types.js';
export { hasDensity } from './types.js';

// Configs and the factory.
export { BOTTLENECK_KINDS, resolveBottleneckConfig } from './config.js';
export type {
  BottleneckConfig,
  BottleneckConfigInput,
  BottleneckKind,
  Concentration,
  DenoisingConfig,
  EmaConfig,
  GaussianConfig,
  IdentityConfig,
  PowerSphericalConfig,
  RestartConfig,
  SoftVqConfig,
  VmfConfig,
  VqConfig,
} from './config.js';
export { klWeight, resolveSchedule } from './schedule.js';
export type { KlSchedule, KlScheduleInput } from './schedule.js';
export { createBottleneck } from './factory.js';
export type { CreateOptions } from './factory.js';

// The bottlenecks.
export { IdentityBottleneck } from './identity.js';
export { DenoisingBottleneck } from './denoising.js';
export { GaussianBottleneck } from './gaussian.js';
export { SphericalBottleneck } from './spherical.js';
export { VqBottleneck } from './vq.js';
export { SoftVqBottleneck } from './soft_vq.js';

// Inference mode as data, checkpoints.
export { runInference } from './inference.js';
export type { InferenceSpec, InferenceStep } from './inference.js';
export { bottleneckWeights, loadBottleneckWeights } from './weights.js';

// The math, for reuse.
export { hardAssignments, nearestCodeword, scaledSoftAssignments, softAssignments, softQuantize, squaredDistances } from './quantize.js';
export { stopGradient, straightThrough } from './gradients.js';
export { activeUnits, perplexity } from './stats.js';
