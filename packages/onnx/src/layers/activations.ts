/**
 * tf.layers activations (by their serialised names) as ONNX operators. Each formula is the one tfjs-layers
 * evaluates (tfjs-layers/src/activations.ts), so parity holds to float rounding.
 */
import { type GraphBuilder, attr } from '../graph.js';
import { type Layer, config, unsupported } from './common.js';

type Emit = (g: GraphBuilder, x: string) => string;

function scalar(g: GraphBuilder, hint: string, v: number): string {
  return g.constant(hint, Float32Array.of(v), []);
}

const ACTIVATIONS: Readonly<Record<string, Emit>> = {
  linear: (_g, x) => x,
  relu: (g, x) => g.op('Relu', [x]),
  relu6: (g, x) => g.op('Clip', [x, scalar(g, 'zero', 0), scalar(g, 'six', 6)]),
  sigmoid: (g, x) => g.op('Sigmoid', [x]),
  // tfjs: clip(0.2·x + 0.5, 0, 1), the same as ONNX's defaults.
  hardSigmoid: (g, x) => g.op('HardSigmoid', [x], { alpha: attr.float(0.2), beta: attr.float(0.5) }),
  tanh: (g, x) => g.op('Tanh', [x]),
  softmax: (g, x) => g.op('Softmax', [x], { axis: attr.int(-1) }),
  logSoftmax: (g, x) => g.op('LogSoftmax', [x], { axis: attr.int(-1) }),
  elu: (g, x) => g.op('Elu', [x], { alpha: attr.float(1) }),
  // ONNX's default alpha and gamma are tfjs's SELU constants rounded to float32.
  selu: (g, x) => g.op('Selu', [x]),
  softplus: (g, x) => g.op('Softplus', [x]),
  softsign: (g, x) => g.op('Softsign', [x]),
  swish: (g, x) => g.op('Mul', [x, g.op('Sigmoid', [x])]),
  mish: (g, x) => g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x])])]),
  // x · Φ(x) with Φ(x) = ½(1 + erf(x/√2)); ONNX has Gelu only from opset 20.
  gelu: (g, x) => {
    const erf = g.op('Erf', [g.op('Div', [x, scalar(g, 'sqrt2', Math.SQRT2)])]);
    const cdf = g.op('Mul', [scalar(g, 'half', 0.5), g.op('Add', [scalar(g, 'one', 1), erf])]);
    return g.op('Mul', [x, cdf]);
  },
  // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
  gelu_new: (g, x) => {
    const cube = g.op('Mul', [x, g.op('Mul', [x, x])]);
    const inner = g.op('Add', [x, g.op('Mul', [scalar(g, 'c', 0.044715), cube])]);
    const t = g.op('Tanh', [g.op('Mul', [scalar(g, 'sqrt_2_over_pi', Math.sqrt(2 / Math.PI)), inner])]);
    return g.op('Mul', [g.op('Mul', [scalar(g, 'half', 0.5), x]), g.op('Add', [scalar(g, 'one', 1), t])]);
  },
};

export const SUPPORTED_ACTIVATIONS: readonly string[] = Object.keys(ACTIVATIONS);

/** The emitter for a serialised activation name, or undefined when ONNX export does not know it. */
export function activationEmitter(name: string): Emit | undefined {
  return Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name] : undefined;
}

/** The layer's own activation (option `key`, `activation` by default), applied to `x`. */
export function layerActivation(g: GraphBuilder, layer: Layer, x: string, key = 'activation'): string {
  const name = config(layer)[key] ?? 'linear';
  const emit = typeof name === 'string' ? activationEmitter(name) : undefined;
  if (!emit) throw unsupported(layer, `activation ${JSON.stringify(name)} has no ONNX form; supported: ${SUPPORTED_ACTIVATIONS.join(', ')}`);
  return emit(g, x);
}
