/**
 * The element-wise part of one LSTM step, forward and backward, as two kernels a backend may register
 * (`LSTM_CELL`, `LSTM_CELL_GRAD`; backend-native compiles them) and tf ops everywhere else. A step is a dozen small
 * element-wise ops forward and twenty backward; on [32, 512] gates each costs more in dispatch than in arithmetic.
 */
import { tf } from '../tf.js';

export type GateActivation = 'sigmoid' | 'hardSigmoid';

/** Inputs `z` [batch, 4·units] (pre-activation gates i, f, c̃, o), `cPrev` [batch, units]; attr `gate`. Outputs h, c, gates. */
export const LSTM_CELL = 'LatentkitLstmCell';
/** Inputs `dh`, `dc`, `gates`, `cPrev`, `c`; attr `gate`. Outputs dz [batch, 4·units], dcPrev [batch, units]. */
export const LSTM_CELL_GRAD = 'LatentkitLstmCellGrad';

export interface CellForward {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
  /** The activated gates i, f, tanh(c̃), o side by side, [batch, 4·units]: what the backward step needs. */
  gates: tf.Tensor2D;
}

function registered(kernel: string): boolean {
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

function activate(z: tf.Tensor, gate: GateActivation): tf.Tensor {
  return gate === 'sigmoid' ? tf.sigmoid(z) : tf.clipByValue(z.mul(0.2).add(0.5), 0, 1);
}

/** The gate function's derivative from its output a: a(1 − a), or 0.2 inside (0, 1) for the hard sigmoid. */
function derivative(a: tf.Tensor, gate: GateActivation): tf.Tensor {
  if (gate === 'sigmoid') return a.mul(tf.scalar(1).sub(a));
  return tf.logicalAnd(a.greater(0), a.less(1)).toFloat().mul(0.2);
}

export function lstmCellForward(z: tf.Tensor2D, cPrev: tf.Tensor2D, gate: GateActivation): CellForward {
  if (registered(LSTM_CELL)) {
    const [h, c, gates] = tf.engine().runKernel(LSTM_CELL, { z, cPrev }, { gate } as unknown as tf.NamedAttrMap) as tf.Tensor2D[];
    return { h: h!, c: c!, gates: gates! };
  }
  const [zi, zf, zc, zo] = tf.split(z, 4, 1);
  const i = activate(zi!, gate);
  const f = activate(zf!, gate);
  const g = tf.tanh(zc!);
  const o = activate(zo!, gate);
  const c = f.mul(cPrev).add(i.mul(g)) as tf.Tensor2D;
  return { h: o.mul(tf.tanh(c)) as tf.Tensor2D, c, gates: tf.concat([i, f, g, o], 1) as tf.Tensor2D };
}

export interface CellBackward {
  /** Gradient of the pre-activation gates, [batch, 4·units]. */
  dz: tf.Tensor2D;
  /** Gradient of the previous cell state. */
  dcPrev: tf.Tensor2D;
}

/** `dh`, `dc`: gradients of this step's h and c from everything after it. */
export function lstmCellBackward(dh: tf.Tensor2D, dc: tf.Tensor2D, gates: tf.Tensor2D, cPrev: tf.Tensor2D, c: tf.Tensor2D, gate: GateActivation): CellBackward {
  if (registered(LSTM_CELL_GRAD)) {
    const [dz, dcPrev] = tf.engine().runKernel(LSTM_CELL_GRAD, { dh, dc, gates, cPrev, c }, { gate } as unknown as tf.NamedAttrMap) as tf.Tensor2D[];
    return { dz: dz!, dcPrev: dcPrev! };
  }
  const [i, f, g, o] = tf.split(gates, 4, 1) as tf.Tensor2D[];
  const tc = tf.tanh(c);
  const dcTotal = dc.add(dh.mul(o!).mul(tf.scalar(1).sub(tc.square())));
  const dz = tf.concat(
    [
      dcTotal.mul(g!).mul(derivative(i!, gate)),
      dcTotal.mul(cPrev).mul(derivative(f!, gate)),
      dcTotal.mul(i!).mul(tf.scalar(1).sub(g!.square())),
      dh.mul(tc).mul(derivative(o!, gate)),
    ],
    1,
  ) as tf.Tensor2D;
  return { dz, dcPrev: dcTotal.mul(f!) as tf.Tensor2D };
}
