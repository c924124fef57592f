/**
 * tfjs-core and tfjs-layers as one namespace, as the umbrella package shapes it (`tf.layers.dense`, `tf.sequential`,
 * `tf.initializers`), for the packages that build tf.layers models. Core's own setup (gradients, chained ops, the cpu
 * backend) runs first.
 */
import './tf.js';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
