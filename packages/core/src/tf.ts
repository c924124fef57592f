/**
 * The one TensorFlow.js namespace every latentkit package uses.
 *
 * `@tensorflow/tfjs-core`'s Node bundle registers no gradients and no chained ops; the union package's Node
 * bundle registers both against the same core, and brings tf.layers and the cpu backend with it. Importing it
 * here, once, means no other module can see a half-initialised engine.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Scalar = tf.Scalar;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Tensor3D = tf.Tensor3D;
export type Tensor4D = tf.Tensor4D;
export type Variable = tf.Variable;
export type NamedTensorMap = tf.NamedTensorMap;
