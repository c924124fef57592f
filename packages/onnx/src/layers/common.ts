/** What every layer exporter needs from a tf.layers layer: its label for errors, its config, its weights by name. */
import { LatentkitError } from '@latentkit/core';
import type { tf } from '@latentkit/core/layers';

export type Layer = tf.layers.Layer;

/** `layer "dense_Dense1" (Dense)`: how errors name a layer. */
export function label(layer: Layer): string {
  return `layer "${layer.name}" (${layer.getClassName()})`;
}

export function unsupported(layer: Layer, why: string): LatentkitError {
  return new LatentkitError('UNSUPPORTED', `${label(layer)} cannot be exported to ONNX: ${why}`, {
    layer: layer.name,
    className: layer.getClassName(),
  });
}

export function config(layer: Layer): Readonly<Record<string, unknown>> {
  return layer.getConfig() as Record<string, unknown>;
}

/** A tuple option (kernel size, strides, …) that tfjs may store as one number. */
export function pair(layer: Layer, key: string, fallback: number): [number, number] {
  const v = config(layer)[key];
  if (v === undefined || v === null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return v as [number, number];
  throw unsupported(layer, `option ${key} is ${JSON.stringify(v)}; expected a number or a pair of numbers`);
}

/** The layer's weight whose name ends in `/key` (tfjs names them `<layer>/kernel`, `<layer>/bias`, …), or undefined. */
export function maybeWeight(layer: Layer, key: string): tf.Tensor | undefined {
  const w = layer.weights.find((v) => v.originalName === key || v.originalName.endsWith(`/${key}`));
  return w?.read();
}

export function weight(layer: Layer, key: string): tf.Tensor {
  const w = maybeWeight(layer, key);
  if (!w) {
    const have = layer.weights.map((v) => v.originalName).join(', ') || 'none (was the layer built, i.e. called once?)';
    throw unsupported(layer, `it has no weight "${key}"; it has ${have}`);
  }
  return w;
}
