/**
 * Your own networks (as pythae takes user encoders and decoders): a `Network` replaces a model's encoder, which then
 * maps the model's input to features of `outputWidth`, or its decoder body, which maps the code to features of
 * `outputWidth` that the model's own output layer turns into its likelihood's parameters. The likelihood, the
 * bottleneck and the output layer stay the model's.
 *
 * Weights live in `layers` (tf.layers layers, registered under stable names `enc.net<i>` / `dec.net<i>`), so they
 * train, checkpoint and load like the model's own; pass the same networks to `loadModel`. A stack of tf.layers
 * (`sequential`) also exports to ONNX when every layer's class has an exporter.
 */
import { LatentkitError } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import type { ForwardContext } from './types.js';

export interface Network {
  /** Width of the features it outputs: [batch, outputWidth] (text encoders: [batch, time, outputWidth]). */
  readonly outputWidth: number;
  /** The layers holding its weights, in call order. */
  readonly layers: readonly tf.layers.Layer[];
  /** The forward pass; `ctx.mode` says whether this is training. */
  apply(x: tf.Tensor, ctx: ForwardContext): tf.Tensor;
  /** True when `apply` is exactly the layers in order, so the ONNX exporter can follow them. */
  readonly sequential: boolean;
}

/** Replacements for a model's encoder and/or decoder. */
export interface Networks {
  readonly encoder?: Network;
  readonly decoder?: Network;
}

/** The last layer's output width: from its output shape once built, else from its `units` or `filters`. */
function width(layer: tf.layers.Layer | undefined): number | undefined {
  if (!layer) return undefined;
  if (layer.built) {
    const shape = layer.outputShape as number[];
    if (Array.isArray(shape) && typeof shape.at(-1) === 'number') return shape.at(-1) as number;
  }
  const config = layer.getConfig() as { units?: unknown; filters?: unknown };
  const units = config.units ?? config.filters;
  return typeof units === 'number' ? units : undefined;
}

/**
 * A stack of tf.layers layers applied in order. Layers must be built (called once) or given an `inputShape`; the
 * output width is read from the last layer unless given.
 */
export function sequential(layers: readonly tf.layers.Layer[], options: { readonly outputWidth?: number } = {}): Network {
  if (layers.length === 0) throw new LatentkitError('INVALID_ARGUMENT', 'sequential() needs at least one layer', { argument: 'layers' });
  const outputWidth = options.outputWidth ?? width(layers.at(-1));
  if (!Number.isInteger(outputWidth) || (outputWidth as number) <= 0) {
    throw new LatentkitError('INVALID_ARGUMENT', 'sequential(): the last layer has no known output width; build it first or pass {outputWidth}', {
      argument: 'outputWidth',
    });
  }
  return {
    outputWidth: outputWidth as number,
    layers,
    sequential: true,
    apply: (x) => layers.reduce<tf.Tensor>((t, layer) => layer.apply(t) as tf.Tensor, x),
  };
}

/** A network from a function: `fn` computes the output from the input with `layers`' weights (and any tf ops). */
export function network(
  fn: (x: tf.Tensor, ctx: ForwardContext) => tf.Tensor,
  options: { readonly outputWidth: number; readonly layers: readonly tf.layers.Layer[] },
): Network {
  if (!Number.isInteger(options.outputWidth) || options.outputWidth <= 0) {
    throw new LatentkitError('INVALID_ARGUMENT', `network(): outputWidth must be a positive integer, got ${options.outputWidth}`, { argument: 'outputWidth' });
  }
  return { outputWidth: options.outputWidth, layers: options.layers, sequential: false, apply: fn };
}

/** Builds each unbuilt layer of a network by running it once on zeros of `inputShape` (batch excluded). */
export function buildNetwork(net: Network, inputShape: readonly number[], ctx: ForwardContext): void {
  tf.tidy(() => {
    const out = net.apply(tf.zeros([1, ...inputShape]), ctx);
    const got = out.shape.at(-1);
    if (got !== net.outputWidth) {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        `a custom network declares outputWidth ${net.outputWidth} but outputs width ${got} for input [batch, ${inputShape.join(', ')}]`,
        {
          argument: 'outputWidth',
        },
      );
    }
  });
}
