/**
 * The part of core that does not load TensorFlow.js: errors, the seeded RNG and atomic writes. Packages that only
 * read data (e.g. @latentkit/data) import this entry so loading them does not start tfjs (about 0.8 s).
 */
export { LatentkitError, check, checkFinite, checkPositiveInt, invalidArgument, isLatentkitError, parseError } from './errors.js';
export type { LatentkitErrorCode } from './errors.js';
export { Rng } from './rng.js';
export type { RngState } from './rng.js';
export { DEFAULT_TEMP_MAX_AGE_MS, cleanStaleTemps, isProcessAlive, readableDir, writeDirAtomic, writeFileAtomic } from './atomic.js';
export type { CleanTempsOptions } from './atomic.js';
export { checkpointExists, resolveCheckpointDir } from './checkpoint-dir.js';
export { LOCK_FILE, acquireDirLock } from './lock.js';
export type { DirLock, LockHolder } from './lock.js';
// Config schemas (zod) are in '@latentkit/core/schema', so that installing core does not bring zod.
export { closestKey } from './closest-key.js';
export { KindRegistry } from './kind-registry.js';
export { BACKEND_NAMES, NATIVE_TFJS_BACKEND } from './backend-names.js';
export type { BackendChoice, BackendName } from './backend-names.js';
