/**
 * `@latentkit/core/layers`: the tf namespace with tf.layers, and what core builds on tfjs-layers (the orthogonal
 * initializer, the engine self-test). A separate entry so that installing `@latentkit/core` alone does not install
 * `@tensorflow/tfjs-layers` (30 MB), an optional peer dependency: packages that import this entry depend on it.
 */
import * as tf from './tf-with-layers.js';

export { tf };
export { LatentkitOrthogonal, orthogonal, orthogonalValues } from './orthogonal.js';
export type { OrthogonalConfig } from './orthogonal.js';
export { formatSelfTestReport, runSelfTest } from './selftest.js';
export type { ModelCheck, SelfTestOptions, SelfTestReport } from './selftest.js';
