// The contract.
export type { Bottleneck, BottleneckContext, BottleneckMode, BottleneckOutput, BottleneckStats, DensityBottleneck } from './types.js';
export { hasDensity } from './types.js';

// Configs and the factory.
export type {
  BottleneckConfig,
  BottleneckConfigInput,
  BottleneckKindName,
  KlConfig,
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
export { klScheduleSchema, klWeight, resolveSchedule } from './schedule.js';
export type { KlSchedule, KlScheduleInput } from './schedule.js';

// The registry: one kind per module, user kinds too.
export { defineBottleneck, kebabCase } from './kind.js';
export type { BottleneckKind } from './kind.js';
export { bottleneckKind, bottleneckKindByCliName, bottleneckKinds, createBottleneck, registerBottleneck, resolveBottleneckConfig } from './registry.js';
export type { AnyBottleneckInput, CreateOptions } from './registry.js';
export { concentration, klFields, sizes } from './schema.js';

// The bottlenecks and their kinds.
export { IdentityBottleneck, identity } from './identity.js';
export { DenoisingBottleneck, denoising } from './denoising.js';
export { GaussianBottleneck, gaussian } from './gaussian.js';
export { SphericalBottleneck, powerSpherical, vmf } from './spherical.js';
export { VqBottleneck, vq } from './vq.js';
export { SoftVqBottleneck, softVq } from './soft-vq.js';

// Inference mode as data, checkpoints.
export { runInference } from './inference.js';
export type { InferenceSpec, InferenceStep } from './inference.js';
export { bottleneckWeights, loadBottleneckWeights } from './weights.js';

// The math, for reuse.
export { hardAssignments, nearestCodeword, sampleCodewords, scaledSoftAssignments, softAssignments, softQuantize, squaredDistances } from './quantize.js';
export { stopGradient, straightThrough } from './gradients.js';
export { activeUnits, perplexity } from './stats.js';
