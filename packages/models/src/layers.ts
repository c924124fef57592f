/**
 * Building tf.layers layers with seeded initializers, naming their weights stably, and dropout from a seeded Rng.
 * tfjs's own initializers and dropout layer draw from Math.random unless seeded per call; latentkit seeds every draw
 * from one Rng so a config and a seed give the same weights, and a run the same masks, in any process.
 */
import { type GateActivation, LatentkitError, type Rng, lstmSequence, reserveWeights } from '@latentkit/core';
import { orthogonal, tf } from '@latentkit/core/layers';
import type { ForwardContext } from './types.js';

export type Activation = 'relu' | 'tanh' | 'linear';

export function glorot(rng: Rng): tf.serialization.Serializable & ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: rng.tfSeed() });
}

export function dense(name: string, units: number, activation: Activation, rng: Rng): tf.layers.Layer {
  return tf.layers.dense({ name, units, activation, kernelInitializer: glorot(rng), biasInitializer: 'zeros' });
}

export function conv2d(name: string, filters: number, strides: number, activation: Activation, rng: Rng): tf.layers.Layer {
  return tf.layers.conv2d({ name, filters, kernelSize: 3, strides, padding: 'same', activation, kernelInitializer: glorot(rng) });
}

export function conv2dTranspose(name: string, filters: number, activation: Activation, rng: Rng): tf.layers.Layer {
  return tf.layers.conv2dTranspose({ name, filters, kernelSize: 3, strides: 2, padding: 'same', activation, kernelInitializer: glorot(rng) });
}

/** An LSTM returning its whole output sequence and its final [h, c]; recurrent weights orthogonal (Saxe et al.). */
export function lstm(name: string, units: number, rng: Rng): tf.layers.Layer {
  return tf.layers.lstm({
    name,
    units,
    returnSequences: true,
    returnState: true,
    kernelInitializer: glorot(rng),
    recurrentInitializer: orthogonal({ seed: rng.tfSeed() }),
    unitForgetBias: true,
  });
}

const LSTM_SETTINGS = new WeakMap<tf.layers.Layer, { units: number; gate: GateActivation }>();

/** The layer's units and gate function, read once per layer: `getConfig` serialises the whole config on every call. */
function lstmSettings(layer: tf.layers.Layer): { units: number; gate: GateActivation } {
  const known = LSTM_SETTINGS.get(layer);
  if (known) return known;
  const config = layer.getConfig() as { recurrentActivation?: string; activation?: string; units: number };
  if (config.activation !== 'tanh' || (config.recurrentActivation !== 'hardSigmoid' && config.recurrentActivation !== 'sigmoid')) {
    throw new LatentkitError(
      'UNSUPPORTED',
      `runLstm supports tanh with hardSigmoid or sigmoid gates, not layer "${layer.name}"'s ${config.activation}/${config.recurrentActivation}`,
    );
  }
  const settings = { units: config.units, gate: config.recurrentActivation as GateActivation };
  LSTM_SETTINGS.set(layer, settings);
  return settings;
}

/**
 * Runs an LSTM layer built by `lstm` over `x` [batch, time, input] from `initialState` (zeros when absent) through
 * core's `lstmSequence` on the layer's own variables: the same maths and weights as `layer.apply`, with the weight
 * gradients formed once per sequence instead of once per step. Returns [sequence, h, c] as `layer.apply` does.
 */
export function runLstm(layer: tf.layers.Layer, x: tf.Tensor3D, initialState?: readonly [tf.Tensor2D, tf.Tensor2D]): [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D] {
  const weight = (name: string) => {
    const w = layer.trainableWeights.find((v) => v.originalName.endsWith(`/${name}`));
    if (!w)
      throw new LatentkitError('INVALID_ARGUMENT', `layer "${layer.name}" has no weight "${name}": runLstm needs an LSTM built by lstm()`, {
        argument: 'layer',
      });
    return w.read();
  };
  const config = lstmSettings(layer);
  const [batch] = x.shape;
  const [h0, c0] = initialState ?? [tf.zeros([batch, config.units]) as tf.Tensor2D, tf.zeros([batch, config.units]) as tf.Tensor2D];
  const out = lstmSequence(
    x,
    h0,
    c0,
    { kernel: weight('kernel') as tf.Tensor2D, recurrentKernel: weight('recurrent_kernel') as tf.Tensor2D, bias: weight('bias') as tf.Tensor1D },
    config.gate,
  );
  return [out.sequence, out.h, out.c];
}

export function embedding(name: string, vocabSize: number, dim: number, rng: Rng): tf.layers.Layer {
  return tf.layers.embedding({
    name,
    inputDim: vocabSize,
    outputDim: dim,
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: rng.tfSeed() }),
  });
}

/**
 * Weights a layer will create on an input of `inputShape`, for the layer kinds this file builds (0 for others),
 * so an absurd width is refused before tfjs tries to allocate it and takes the machine down.
 */
export function plannedWeights(layer: tf.layers.Layer, inputShape: readonly number[]): number {
  const c = layer.getConfig() as { units?: number; filters?: number; inputDim?: number; outputDim?: number; kernelSize?: number[] };
  const last = inputShape.at(-1) ?? 1;
  switch (layer.getClassName()) {
    case 'Dense':
      return (last + 1) * (c.units ?? 0);
    case 'Embedding':
      return (c.inputDim ?? 0) * (c.outputDim ?? 0);
    case 'Conv2D':
    case 'Conv2DTranspose':
      return ((c.kernelSize ?? [3, 3]).reduce((a, b) => a * b, 1) * last + 1) * (c.filters ?? 0);
    case 'LSTM':
      return 4 * (c.units ?? 0) * (last + (c.units ?? 0) + 1);
    default:
      return 0;
  }
}

/** Creates the layer's weights by calling it once on zeros of `inputShape` (batch dimension excluded). */
export function build<L extends tf.layers.Layer>(
  layer: L,
  inputShape: readonly number[],
  dtype: 'float32' | 'int32' = 'float32',
  kwargs?: Record<string, unknown>,
): L {
  reserveWeights(layer.name, plannedWeights(layer, inputShape));
  tf.tidy(() => {
    layer.apply(tf.zeros([1, ...inputShape], dtype), kwargs as tf.serialization.ConfigDict);
  });
  return layer;
}

/** `<layer>/<weight>` for every trainable weight of each layer, e.g. `enc.dense0/kernel`, `dec.lstm/recurrent_kernel`. */
export function namedWeights(layers: Readonly<Record<string, tf.layers.Layer>>): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [name, layer] of Object.entries(layers)) {
    for (const w of layer.trainableWeights) {
      const short = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      out[`${name}/${short}`] = w.read() as tf.Variable;
    }
  }
  return out;
}

function trainRng(ctx: ForwardContext, what: string): Rng {
  if (!ctx.rng) throw new LatentkitError('INVALID_ARGUMENT', `${what} in train mode needs ctx.rng (a seeded Rng)`, { argument: 'ctx.rng' });
  return ctx.rng;
}

/** Inverted dropout in train mode, identity otherwise. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, ctx: ForwardContext): T {
  if (ctx.mode !== 'train' || ctx.dropout === false || rate === 0) return x;
  return tf.dropout(x, rate, undefined, trainRng(ctx, 'dropout').tfSeed()) as T;
}

/** Replaces each token of `ids` [batch, time] except the first column by `unk` with probability `rate` (train mode). */
export function wordDropout(ids: tf.Tensor2D, rate: number, unk: number, ctx: ForwardContext): tf.Tensor2D {
  if (ctx.mode !== 'train' || ctx.dropout === false || rate === 0) return ids;
  const [batch, time] = ids.shape;
  const u = tf.randomUniform([batch, time], 0, 1, 'float32', trainRng(ctx, 'word dropout').tfSeed());
  const notFirst = tf.concat([tf.zeros([batch, 1], 'bool'), tf.ones([batch, time - 1], 'bool')], 1);
  return tf.where(tf.logicalAnd(u.less(rate), notFirst), tf.fill([batch, time], unk, 'int32'), ids);
}
