export { tf } from './tf.js';
export type { NamedTensorMap, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable } from './tf.js';
export {
  LatentkitError,
  check,
  checkFinite,
  checkPositiveInt,
  invalidArgument,
  isLatentkitError,
  parseError,
} from './errors.js';
export type { LatentkitErrorCode } from './errors.js';
export { Rng } from './rng.js';
export { LSTM_CELL, LSTM_CELL_GRAD } from './ops/lstm-cell.js';
export { lstmSequence } from './ops/lstm-sequence.js';
export type { GateActivation, LstmSequenceResult, LstmWeights } from './ops/lstm-sequence.js';
// Config schemas (zod) are in '@latentkit/core/schema', so that installing core does not bring zod.
export { closestKey } from './closest-key.js';
export { KindRegistry } from './kind-registry.js';
export { reserveWeights, withWeightBudget } from './weight-budget.js';
export type { RngState } from './rng.js';
export { BACKEND_NAMES, NATIVE_TFJS_BACKEND, engineInfo, initEngine } from './backend.js';
export { KERNEL_PATCHES } from './kernels/index.js';
export type { AppliedPatch, KernelPatch } from './kernels/index.js';
export type { BackendAttempt, BackendChoice, BackendName, EngineInfo, EngineOptions } from './backend.js';
export { DEFAULT_TEMP_MAX_AGE_MS, cleanStaleTemps, isProcessAlive, readableDir, writeDirAtomic, writeFileAtomic } from './atomic.js';
export type { CleanTempsOptions } from './atomic.js';
export {
  CHECKPOINT_FORMAT,
  LEGACY_CHECKPOINT_FORMAT,
  checkpointArtifacts,
  checkpointFromArtifacts,
  loadCheckpoint,
  loadCheckpointFrom,
  readCheckpointConfig,
  saveCheckpoint,
  saveCheckpointTo,
  validateManifest,
} from './checkpoint.js';
export { FILE_SCHEME, FileSystemIoHandler, MODEL_JSON, WEIGHTS_BIN, folderOfFileUrl } from './file-io-handler.js';
export type { ModelJsonFile } from './file-io-handler.js';
export { checkpointExists, resolveCheckpointDir } from './checkpoint-dir.js';
export { LOCK_FILE, acquireDirLock } from './lock.js';
export type { DirLock, LockHolder } from './lock.js';
export type { CheckpointData, LoadCheckpointOptions, WeightSpec } from './checkpoint.js';
// tf.layers, the orthogonal initializer and the self-test are in '@latentkit/core/layers' (tfjs-layers is optional).
