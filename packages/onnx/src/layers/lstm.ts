/**
 * LSTM → ONNX LSTM.
 *
 * tfjs (like Keras) packs the four gates as [i, f, c, o] along the last axis of kernel [in, 4u], recurrent kernel
 * [u, 4u] and bias [4u], and multiplies x·W. ONNX packs them as [i, o, f, c], wants W as [4u, in] (it computes
 * x·Wᵀ), and splits the bias into input and recurrent halves, which it adds; the recurrent half is zero here.
 * ONNX's LSTM is time-major [T, batch, in] (onnxruntime does not implement `layout = 1`), hence the Transposes.
 */
import { tf } from '@latentkit/core';
import { type GraphBuilder, attr } from '../graph.js';
import { type Layer, config, unsupported, weight } from './common.js';
import { type Value, tfjsLayout } from './value.js';

/** ONNX's recurrent activation names for tfjs's, with the parameters tfjs uses. */
const RNN_ACTIVATIONS: Readonly<Record<string, { readonly name: string; readonly alpha?: number; readonly beta?: number }>> = {
  sigmoid: { name: 'Sigmoid' },
  tanh: { name: 'Tanh' },
  relu: { name: 'Relu' },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  hardSigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
};

/** [i, f, c, o] blocks along the last axis → [i, o, f, c]. */
function toOnnxGateOrder(t: tf.Tensor): tf.Tensor {
  const [i, f, c, o] = tf.split(t, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  return tf.concat([i, o, f, c], -1);
}

export interface LstmState {
  /** Hidden state h: [batch, units]. */
  readonly h: string;
  /** Cell state c: [batch, units]. */
  readonly c: string;
}

export interface LstmOutputs extends LstmState {
  /** Every step's h: [batch, T, units]. */
  readonly sequence: string;
}

function activations(layer: Layer): { names: string[]; alpha: number[]; beta: number[] } {
  const cfg = config(layer);
  const gate = String(cfg.recurrentActivation ?? 'hardSigmoid');
  const cell = String(cfg.activation ?? 'tanh');
  const f = RNN_ACTIVATIONS[gate];
  const g = RNN_ACTIVATIONS[cell];
  if (!f) throw unsupported(layer, `recurrent activation "${gate}" has no ONNX LSTM form; supported: ${Object.keys(RNN_ACTIVATIONS).join(', ')}`);
  if (!g) throw unsupported(layer, `activation "${cell}" has no ONNX LSTM form; supported: ${Object.keys(RNN_ACTIVATIONS).join(', ')}`);
  // activation_alpha/beta are consumed in (f, g, h) order; keeping every parameterised function in front of the
  // parameter-free ones makes "one value per function" and "one value per function that needs it" agree.
  if (g.alpha !== undefined && f.alpha === undefined) throw unsupported(layer, `activation "${cell}" with recurrent activation "${gate}"`);
  const parameterised = [f, g, g].filter((a) => a.alpha !== undefined);
  return {
    names: [f.name, g.name, g.name],
    alpha: parameterised.map((a) => a.alpha as number),
    beta: parameterised.map((a) => a.beta as number),
  };
}

export interface LstmOptions {
  /** Initial (h, c), [batch, units] each; zeros when omitted. */
  readonly initial?: LstmState;
  /** int32 [batch]: steps to run per row; the final state is the one after each row's last step. All T when omitted. */
  readonly sequenceLengths?: string;
}

/**
 * Runs the LSTM over `input` [batch, T, in] and returns every step's h and the final (h, c). With T = 1 and an
 * initial state this is one decoder step with the state going in and out.
 */
export function exportLstmLayer(g: GraphBuilder, layer: Layer, input: Value, options: LstmOptions = {}): LstmOutputs {
  const { initial, sequenceLengths } = options;
  const cfg = config(layer);
  if (cfg.goBackwards) throw unsupported(layer, 'goBackwards is not supported');
  if (cfg.stateful) throw unsupported(layer, 'stateful LSTMs are not supported');
  const units = cfg.units as number;
  const acts = activations(layer);

  const [W, R, B] = tf.tidy(() => {
    const kernel = weight(layer, 'kernel');
    const bias = cfg.useBias === false ? tf.zeros([4 * units]) : weight(layer, 'bias');
    return [
      toOnnxGateOrder(kernel).transpose().expandDims(0),
      toOnnxGateOrder(weight(layer, 'recurrent_kernel')).transpose().expandDims(0),
      tf.concat([toOnnxGateOrder(bias), tf.zeros([4 * units])]).expandDims(0),
    ];
  });
  const w = g.weight(`${layer.name}/W`, W);
  const r = g.weight(`${layer.name}/R`, R);
  const b = g.weight(`${layer.name}/B`, B);
  tf.dispose([W, R, B]);

  const timeMajor = g.op('Transpose', [tfjsLayout(g, input)], { perm: attr.ints([1, 0, 2]) });
  const axis0 = g.int64s('axis0', [0]);
  const lstmInputs = [timeMajor, w, r, b, sequenceLengths ?? ''];
  if (initial) lstmInputs.push(g.op('Unsqueeze', [initial.h, axis0]), g.op('Unsqueeze', [initial.c, axis0]));
  // Trailing empty names are not allowed; an empty name in the middle means "absent".
  while (lstmInputs.at(-1) === '') lstmInputs.pop();
  const [y, yh, yc] = g.node(
    'LSTM',
    lstmInputs,
    {
      hidden_size: attr.int(units),
      direction: attr.string('forward'),
      activations: attr.strings(acts.names),
      ...(acts.alpha.length > 0 ? { activation_alpha: attr.floats(acts.alpha), activation_beta: attr.floats(acts.beta) } : {}),
    },
    3,
  ) as [string, string, string];
  // Y: [T, 1, batch, units] → [batch, T, units]; Y_h, Y_c: [1, batch, units] → [batch, units].
  const sequence = g.op('Transpose', [g.op('Squeeze', [y, g.int64s('axis1', [1])])], { perm: attr.ints([1, 0, 2]) });
  return { sequence, h: g.op('Squeeze', [yh, axis0]), c: g.op('Squeeze', [yc, axis0]) };
}
