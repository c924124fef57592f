/**
 * An LSTM over a whole sequence as one differentiable op, with tfjs-layers' maths (z = x·W + h·U + b split into the
 * gates i, f, c̃, o in that order; c = f⊙c + i⊙tanh(z_c); h = o⊙tanh(c)) and either gate function.
 *
 * Why not `tf.layers.lstm`: autodiff through a step loop forms the recurrent weight's gradient as one K = batch
 * product per step plus an Add per step, and the input weight's the same way; for PTB's decoder that is 2 × 70 small
 * products over 4 MB of weight each. Here the backward pass collects every step's gate gradient and forms the weight
 * gradients as one product each over all batch × time rows, computes the input projection of all steps at once
 * forward, and runs each step's element-wise part as one cell kernel (`lstm-cell.ts`): compiled where a backend
 * registers it, tf ops elsewhere.
 */
import { LatentkitError } from '../errors.js';
import { tf } from '../tf.js';
import { type GateActivation, lstmCellBackward, lstmCellForward } from './lstm-cell.js';

export type { GateActivation } from './lstm-cell.js';

export interface LstmWeights {
  /** [input, 4·units]. */
  kernel: tf.Tensor2D;
  /** [units, 4·units]. */
  recurrentKernel: tf.Tensor2D;
  /** [4·units]. */
  bias: tf.Tensor1D;
}

export interface LstmSequenceResult {
  /** Hidden states of every step, [batch, time, units]. */
  sequence: tf.Tensor3D;
  /** The last step's hidden and cell states, [batch, units]. */
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/**
 * Runs the LSTM over `x` [batch, time, input] from the state (`h0`, `c0`) [batch, units]. Gradients flow to `x`, the
 * initial state and the weights. `gate` is the function of i, f and o: tfjs-layers' default is `hardSigmoid`
 * (clip(0.2·z + 0.5, 0, 1)), PyTorch's `sigmoid`.
 */
export function lstmSequence(x: tf.Tensor3D, h0: tf.Tensor2D, c0: tf.Tensor2D, weights: LstmWeights, gate: GateActivation = 'hardSigmoid'): LstmSequenceResult {
  const [batch, time, input] = x.shape;
  const units = weights.recurrentKernel.shape[0];
  if (time < 1) {
    throw new LatentkitError('INVALID_ARGUMENT', `lstmSequence needs at least one time step, got x of shape [${x.shape.join(', ')}]`, {
      argument: 'x',
    });
  }
  // customGrad ops have one output: the hidden states with the last cell state appended as step time + 1.
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[6] as tf.GradSaveFunc;
    const [x3, h00, c00, w, u, b] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const projected = tf
      .matMul(x3.reshape([batch * time, input]), w)
      .add(b)
      .reshape([batch, time, 4 * units]);
    const steps = tf.unstack(projected, 1) as tf.Tensor2D[];
    let h = h00;
    let c = c00;
    const states: tf.Tensor2D[] = [];
    const cells: tf.Tensor2D[] = [];
    const gates: tf.Tensor2D[] = [];
    for (const xt of steps) {
      const next = lstmCellForward(xt.add(tf.matMul(h, u)), c, gate);
      h = next.h;
      c = next.c;
      states.push(h);
      cells.push(c);
      gates.push(next.gates);
    }
    const sequence = tf.stack(states, 1) as tf.Tensor3D;
    save([x3, h00, c00, w, u, sequence, ...cells, ...gates]);
    return {
      value: tf.concat([sequence, c.expandDims(1)], 1),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xSaved, h0Saved, c0Saved, wSaved, uSaved, seqSaved] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor3D];
        const cellsSaved = saved.slice(6, 6 + time) as tf.Tensor2D[];
        const gatesSaved = saved.slice(6 + time) as tf.Tensor2D[];
        const dStates = tf.unstack(dy.slice([0, 0, 0], [batch, time, units]), 1) as tf.Tensor2D[];
        let dc = dy.slice([0, time, 0], [batch, 1, units]).reshape([batch, units]) as tf.Tensor2D;
        let dh: tf.Tensor2D | undefined;
        const dz: tf.Tensor2D[] = new Array(time);
        for (let t = time - 1; t >= 0; t--) {
          const back = lstmCellBackward(dh ? dStates[t]!.add(dh) : dStates[t]!, dc, gatesSaved[t]!, t > 0 ? cellsSaved[t - 1]! : c0Saved, cellsSaved[t]!, gate);
          dz[t] = back.dz;
          dc = back.dcPrev;
          dh = tf.matMul(back.dz, uSaved, false, true) as tf.Tensor2D;
        }
        // Every step's gate gradient as rows (batch, time), matching x's and the previous states' rows.
        const dZ = tf.stack(dz, 1).reshape([batch * time, 4 * units]) as tf.Tensor2D;
        const previous = (
          time > 1 ? tf.concat([h0Saved.expandDims(1), seqSaved.slice([0, 0, 0], [batch, time - 1, units])], 1) : h0Saved.expandDims(1)
        ).reshape([batch * time, units]) as tf.Tensor2D;
        const x2 = xSaved.reshape([batch * time, input]) as tf.Tensor2D;
        return [
          tf.matMul(dZ, wSaved, false, true).reshape([batch, time, input]),
          dh!,
          dc,
          tf.matMul(x2, dZ, true, false),
          tf.matMul(previous, dZ, true, false),
          dZ.sum(0),
        ];
      },
    };
  });
  const packed = op(x, h0, c0, weights.kernel, weights.recurrentKernel, weights.bias) as tf.Tensor3D;
  const sequence = packed.slice([0, 0, 0], [batch, time, units]);
  return {
    sequence,
    h: packed.slice([0, time - 1, 0], [batch, 1, units]).reshape([batch, units]),
    c: packed.slice([0, time, 0], [batch, 1, units]).reshape([batch, units]),
  };
}
