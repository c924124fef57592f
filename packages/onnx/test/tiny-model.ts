/**
 * A tiny image MLP that follows the models contract (layer names, encode/decode semantics), for testing the export
 * plumbing and the runtime on their own. The real models are tested in models.test.ts.
 */
import { type BottleneckConfigInput, createBottleneck } from '@latentkit/bottlenecks';
import { tf } from '@latentkit/core';
import type { ForwardContext, ImageBatch, ImageMlpConfig, Model } from '@latentkit/models';

export function tinyImageMlp(bottleneck: BottleneckConfigInput, size = 4): Model<ImageMlpConfig> {
  const b = createBottleneck(bottleneck);
  const layers: Record<string, tf.layers.Layer> = {
    'enc.dense0': tf.layers.dense({ units: 8, activation: 'relu', name: 'enc.dense0' }),
    'enc.dense1': tf.layers.dense({ units: b.inputDim, activation: 'relu', name: 'enc.dense1' }),
    'dec.dense0': tf.layers.dense({ units: 8, activation: 'relu', name: 'dec.dense0' }),
    'dec.out': tf.layers.dense({ units: size * size, name: 'dec.out' }),
  };
  const run = (names: string[], x: tf.Tensor) => names.reduce((t, n) => layers[n]?.apply(t) as tf.Tensor, x);
  const model = {
    config: { kind: 'imageMlp', size, likelihood: 'bernoulli', hiddenDims: [8], bottleneck: b.config } as ImageMlpConfig,
    bottleneck: b,
    layers,
    features: (batch: ImageBatch) => run(['enc.dense0', 'enc.dense1'], batch.pixels) as tf.Tensor2D,
    encode: (batch: ImageBatch, ctx: ForwardContext = { mode: 'infer' }) => b.apply(model.features(batch), ctx),
    decode: (code: tf.Tensor2D) => run(['dec.dense0', 'dec.out'], code),
  };
  model.decode(model.encode({ kind: 'image', pixels: tf.zeros([1, size * size]) }).code);
  for (const [i, layer] of Object.values(layers).entries()) {
    layer.setWeights(layer.getWeights().map((w, j) => tf.randomNormal(w.shape, 0, 0.5, 'float32', 100 * i + j)));
  }
  return model as unknown as Model<ImageMlpConfig>;
}
