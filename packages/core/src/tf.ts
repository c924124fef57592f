/**
 * The one TensorFlow.js namespace every latentkit package uses: `@tensorflow/tfjs-core` with its gradients and
 * chained ops (`x.mul(y)`) registered, and the cpu backend.
 *
 * tfjs-core's Node entry registers neither gradients nor chained ops; the umbrella `@tensorflow/tfjs` does, but
 * brings webgl, the converter and tfjs-data with it (286 MB installed). dist/tfjs-registrations.cjs is those two
 * registration modules bundled for Node (scripts/bundle-tfjs-registrations.mjs). It is imported by a path relative
 * to this file that means dist/ both from src/ (tests) and from dist/ (the build); its declaration file brings the
chained ops' types (augmentations of Tensor) to every package that imports core. tf.layers is in
 * `@latentkit/core/layers`, so installing core does not install tfjs-layers.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../dist/tfjs-registrations.cjs';
import '@tensorflow/tfjs-backend-cpu';

export { tf };
export type Tensor = tf.Tensor;
export type Scalar = tf.Scalar;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Tensor3D = tf.Tensor3D;
export type Tensor4D = tf.Tensor4D;
export type Variable = tf.Variable;
export type NamedTensorMap = tf.NamedTensorMap;
