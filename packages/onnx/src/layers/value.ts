/**
 * A value flowing between layer exporters, and the one place NHWC↔NCHW is decided.
 *
 * tfjs images are NHWC; ONNX's Conv and ConvTranspose are NCHW. Rather than wrapping every convolution in two
 * Transposes, a value remembers whether it is held channels-first: convolutions ask for channels-first, every other
 * layer asks for tfjs's own layout, elementwise layers pass it through, and a Transpose is emitted only where the
 * layout actually changes (so a stack of convolutions costs two Transposes in all).
 */
import { type GraphBuilder, attr } from '../graph.js';

export interface Value {
  readonly name: string;
  /** True when the tensor is the NCHW transpose of what tfjs holds as NHWC. */
  readonly channelsFirst: boolean;
}

/** A value in tfjs's own layout. */
export function plain(name: string): Value {
  return { name, channelsFirst: false };
}

/** The value's name in NCHW (the value must be a rank-4 image tensor). */
export function channelsFirst(g: GraphBuilder, v: Value): string {
  return v.channelsFirst ? v.name : g.op('Transpose', [v.name], { perm: attr.ints([0, 3, 1, 2]) });
}

/** The value's name in tfjs's own layout. */
export function tfjsLayout(g: GraphBuilder, v: Value): string {
  return v.channelsFirst ? g.op('Transpose', [v.name], { perm: attr.ints([0, 2, 3, 1]) }) : v.name;
}
